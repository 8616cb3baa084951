"""Support engagements: the work two organisations agree to do together once a request's offer is
accepted (docs/design.md §3.12). Its plan, its private space (thread, check-ins, outcomes,
follow-ups), and the summary line the network sees."""
