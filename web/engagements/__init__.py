"""The pages of support engagements (docs/design.md §3.12): an engagement's space, and the ones a person is in."""
