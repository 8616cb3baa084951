"""Moderation's records, rules and queue: what is screened, held and put before the leads.

Below `content` and `people`, which publish through `gatekeeping`; the cases that act on them are
in `network.casework`."""
