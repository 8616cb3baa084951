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

from network import activity
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


async def _members(session: AsyncSession, network: Network) -> list[Membership]:
    result = await session.execute(
        select(Membership).where(Membership.network_id == network.id, Membership.state.in_(_NOTIFIED_STATES))
    )
    return list(result.scalars())


async def notify_new_post(session: AsyncSession, network: Network, post: Post, author: Person) -> None:
    members = await _members(session, network)
    levels = {m.person_id: m.follow_level for m in members}
    names = {m.person_id: m.person.display_name for m in members if m.follow_level is not FollowLevel.MUTED}
    mentions = mentioned(f"{post.title}\n{post.body}", names) - {author.id}
    summary = {"post_id": post.id, "title": post.title, "kind": post.kind.value, "by": author.display_name}
    for person_id in sorted(mentions):
        await activity.notify(session, person_id, "mention", summary, network=network, actor=author)
    for person_id in sorted(post_recipients(post.kind, levels) - mentions - {author.id}):
        await activity.notify(session, person_id, "post.created", summary, network=network, actor=author)


async def notify_mentions(
    session: AsyncSession, network: Network, post: Post, text: str, author: Person, skip: Iterable[int] = ()
) -> None:
    """Mentions in a reply; `skip` holds people already told about this reply another way."""
    members = await _members(session, network)
    names = {m.person_id: m.person.display_name for m in members if m.follow_level is not FollowLevel.MUTED}
    summary = {"post_id": post.id, "title": post.title, "kind": post.kind.value, "by": author.display_name}
    for person_id in sorted(mentioned(text, names) - set(skip) - {author.id}):
        await activity.notify(session, person_id, "mention", summary, network=network, actor=author)
