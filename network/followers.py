"""Who hears about new posts and @mentions, by each member's follow level for the network.

`all`: every new post; `requests_only`: new requests; `mentions`: only when named;
`muted`: nothing from this network (replies to your own posts still reach you).
A mention is `@` followed by a member's display name, e.g. "@Priya Shah".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events import log
from network.enums import FollowLevel, MemberState, PostKind
from network.models import Membership, Network, Person, Post

_NOTIFIED_STATES = (MemberState.ACTIVE, MemberState.MUTED)


def mentioned(text: str, names: dict[int, str]) -> set[int]:
    """Ids of the people whose `@Display Name` appears in the text (case-insensitive, whole name)."""
    if "@" not in text:
        return set()
    lowered = text.lower()
    found = set()
    for person_id, name in names.items():
        pattern = r"@" + re.escape(name.lower()) + r"(?![\w-])"
        if re.search(pattern, lowered):
            found.add(person_id)
    return found


def post_recipients(kind: PostKind, levels: dict[int, FollowLevel]) -> set[int]:
    """Members whose follow level asks for a new post of this kind."""
    wanted = {FollowLevel.ALL} | ({FollowLevel.REQUESTS_ONLY} if kind is PostKind.REQUEST else set())
    return {person_id for person_id, level in levels.items() if level in wanted}


async def _levels(session: AsyncSession, network: Network) -> dict[int, FollowLevel]:
    """Each notified member's follow level (two columns, not a member object each: networks are large)."""
    result = await session.execute(
        select(Membership.person_id, Membership.follow_level).where(
            Membership.network_id == network.id, Membership.state.in_(_NOTIFIED_STATES)
        )
    )
    return {int(person_id): level for person_id, level in result.tuples()}


async def _mentioned_members(session: AsyncSession, network: Network, text: str) -> set[int]:
    """Members (not muting the network) named with @ in the text; no query when there is no @."""
    if "@" not in text:
        return set()
    result = await session.execute(
        select(Membership.person_id, Person.display_name)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.network_id == network.id,
            Membership.state.in_(_NOTIFIED_STATES),
            Membership.follow_level != FollowLevel.MUTED,
        )
    )
    return mentioned(text, {int(person_id): name for person_id, name in result.tuples()})


async def _notify(session: AsyncSession, network: Network, kinds: dict[int, str], summary: dict[str, object]) -> None:
    await log.append_notifications(
        session, counter=Person.notification_seq, kinds=kinds, payload=summary, network_id=network.id
    )


def _summary(post: Post, author: Person) -> dict[str, object]:
    return {"post_id": post.id, "title": post.title, "kind": post.kind.value, "by": author.display_name}


async def notify_new_post(session: AsyncSession, network: Network, post: Post, author: Person) -> None:
    """Mentions first (a mention beats a plain new-post notice), then followers, in one bulk append."""
    levels = await _levels(session, network)
    mentions = await _mentioned_members(session, network, f"{post.title}\n{post.body}") - {author.id}
    kinds = dict.fromkeys(post_recipients(post.kind, levels) - mentions - {author.id}, "post.created")
    kinds.update(dict.fromkeys(mentions, "mention"))
    await _notify(session, network, kinds, _summary(post, author))


async def notify_mentions(
    session: AsyncSession, network: Network, post: Post, text: str, author: Person, skip: Iterable[int] = ()
) -> None:
    """Mentions in a reply; `skip` holds people already told about this reply another way."""
    mentions = await _mentioned_members(session, network, text) - set(skip) - {author.id}
    await _notify(session, network, dict.fromkeys(mentions, "mention"), _summary(post, author))
