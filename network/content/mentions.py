"""Who a text names with `@Display Name`, for pages that show the mentions as links to the people named
(`network.markdown.link_mentions`). Those who are told of a mention are chosen in `followers`."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.content import followers
from network.enums import MemberState
from network.models import Membership, Person

_NAMED_STATES = (MemberState.ACTIVE, MemberState.MUTED)


async def named(session: AsyncSession, network_id: int, texts: Iterable[str]) -> dict[int, str]:
    """The network's members (active or muted, accounts not deleted) that the texts name, id → display
    name; no query when no text has an `@`."""
    text = "\n".join(t for t in texts if "@" in t)
    if not text:
        return {}
    result = await session.execute(
        select(Person.id, Person.display_name)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.network_id == network_id, Membership.state.in_(_NAMED_STATES), Person.deleted_at.is_(None))
    )
    names = {int(person_id): name for person_id, name in result.tuples()}
    found = followers.mentioned(text, names)
    return {person_id: names[person_id] for person_id in found}
