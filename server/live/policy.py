"""Who may receive what on the live stream: the domain's side of the hub.

The hub's delivery core (server/live/hub.py) knows no permission rule. For each subscription it
holds a `Standing` this policy gave it (what the person is in the network, and the network's
visibility), asks `may_receive` for each event not every reader receives, and asks `recheck_after`
which subscribers an event may have changed, to read their standing again (`standing`). The rules
are the API's (network/permissions.py, network/audience.py): docs/integrity.md, "Who receives an
event".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from network import audience, event_kinds
from network.access import Access, open_network
from network.engagements import space
from network.enums import MemberState, Visibility
from network.errors import NotFound
from network.models import Network, Person
from network.permissions import Viewer, effective_state

EVERYONE = True


@dataclass(frozen=True, slots=True)
class Standing:
    viewer: Viewer
    visibility: Visibility
    groups: frozenset[int] = frozenset()  # the engagements whose space they read (their `parties` events)


def excluded(access: Access) -> bool:
    """Suspended or banned here (removed from every channel of the network until it ends)."""
    m = access.membership
    return m is not None and effective_state(m.state, m.until, access.now) in (
        MemberState.SUSPENDED,
        MemberState.BANNED,
    )


def standing_from(access: Access, groups: frozenset[int] = frozenset()) -> Standing:
    return Standing(access.viewer, access.network.visibility, groups)


class NetworkPolicy:
    def __init__(self, sessions: Callable[[], AsyncSession]) -> None:
        self._sessions = sessions

    async def standing(self, network_id: int, person_id: int) -> Standing | None:
        """What this person is in this network if they may (still) follow it live; else None."""
        async with self._sessions() as session:
            network = await session.get(Network, network_id)
            person = await session.get(Person, person_id)
            if network is None or person is None or not person.is_active:
                return None
            try:
                access = await open_network(session, network.slug, person)
            except NotFound:
                return None
            if excluded(access):
                return None
            return standing_from(access, await space.groups_of(session, access))

    @staticmethod
    def recheck_after(kind: str, payload: Mapping[str, Any]) -> int | bool | frozenset[int] | None:
        """The member (or the people named in or dropped from an engagement) an event may have changed
        the standing of, `EVERYONE`, or None."""
        if kind in event_kinds.NETWORK_WIDE:
            return EVERYONE
        if kind in event_kinds.REGROUPING:
            regrouped = payload.get("regrouped")
            if isinstance(regrouped, list) and regrouped:
                return frozenset(int(p) for p in regrouped if isinstance(p, int))
            return None
        if kind not in event_kinds.MEMBERSHIP:
            return None
        if isinstance(payload.get("person_id"), int):
            return int(payload["person_id"])
        member = payload.get("member")
        if isinstance(member, Mapping) and isinstance(member.get("person"), Mapping):
            person_id = member["person"].get("id")
            return int(person_id) if isinstance(person_id, int) else None
        return None

    @staticmethod
    def recheck_first(kind: str) -> bool:
        """Whether the people an event concerns are read again before it is delivered, not after: those named
        in or dropped from an engagement receive the change as a replay would send it (named, they do)."""
        return kind in event_kinds.REGROUPING

    @staticmethod
    def for_everyone(to: str, person_id: int | None) -> bool:
        """Whether every subscriber receives an event with this audience: they all may read the network
        (checked when they subscribed, and again whenever their standing may have changed)."""
        return to == audience.READERS and person_id is None

    @staticmethod
    def may_receive(
        standing: Any, person_id: int, to: str, to_person: int | None, to_group: int | None, now: datetime
    ) -> bool:
        if not isinstance(standing, Standing):
            return False
        return audience.may_receive(
            to,
            to_person,
            person_id,
            standing.viewer,
            standing.visibility,
            now,
            group_id=to_group,
            groups=standing.groups,
        )
