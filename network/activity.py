"""The domain's side of the event log: what it records for members and tells to people.

Each function writes in the caller's transaction (see `events.log`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from events import log
from network.models import Network, Person


async def record(
    session: AsyncSession, network: Network, kind: str, payload: dict[str, Any], actor: Person | None
) -> None:
    """Append a member-visible event to the network's log."""
    await log.append_event(
        session,
        counter=Network.event_seq,
        network_id=network.id,
        kind=kind,
        payload=payload,
        actor_id=actor.id if actor else None,
    )


async def notify(
    session: AsyncSession,
    person_id: int,
    kind: str,
    payload: dict[str, Any],
    *,
    network: Network | None = None,
    actor: Person | None = None,
) -> None:
    """Append a personal notification, unless the person caused it themselves."""
    if actor is not None and actor.id == person_id:
        return
    await log.append_notification(
        session,
        counter=Person.notification_seq,
        person_id=person_id,
        kind=kind,
        payload=payload,
        network_id=network.id if network else None,
    )
