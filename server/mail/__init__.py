"""Outbound mail: queued in the transaction of the change that causes it, sent after the commit by a
sender in each server process (docs/operations.md, "Mail")."""
