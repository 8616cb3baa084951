"""Who hears about new posts and @mentions, by each member's follow level for the network.

`all`: every new post; `requests_only`: new requests; `mentions`: only when named;
`muted`: nothing from this network (replies to your own posts still reach you).
A mention is `@` followed by a member's display name, e.g. "@Priya Shah".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity
from network.enums import FollowLevel, MemberState, PostKind
from network.models import Membership, Network, Person, Post

_NOTIFIED_STATES = (MemberState.ACTIVE, MemberState.MUTED)
# Followers told inside the post's own transaction. A larger network's are told after it commits,
# in chunks (network/content/post_notices.py): a post to thousands would otherwise hold its author, and on
# SQLite every other writer, while a row per follower is written.
INLINE_MAX = 200


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


def notified_levels(kind: PostKind) -> frozenset[FollowLevel]:
    """The follow levels that ask to hear of a new post of this kind."""
    return frozenset({FollowLevel.ALL, FollowLevel.REQUESTS_ONLY} if kind is PostKind.REQUEST else {FollowLevel.ALL})


def _followers_query(kind: PostKind) -> Select[tuple[int]]:
    return (
        select(Membership.person_id)
        .where(
            Membership.network_id == bindparam("network_id"),
            Membership.person_id > bindparam("after"),
            Membership.state.in_(_NOTIFIED_STATES),
            Membership.follow_level.in_(notified_levels(kind)),
        )
        .order_by(Membership.person_id)
        .limit(bindparam("limit", type_=Integer))
    )


# Built once per kind, with bound parameters (see network/people/accounts.py's _LIVE_TOKEN for why): every
# post and every chunk of its followers' notices runs one.
_FOLLOWERS_AFTER = {kind: _followers_query(kind) for kind in PostKind}


async def followers_after(session: AsyncSession, network_id: int, kind: PostKind, after: int, limit: int) -> list[int]:
    """The next `limit` members (by id, after `after`) whose follow level asks for a new post of
    this kind: a range of the (network, person) index, so each chunk of a large network costs the same."""
    params = {"network_id": network_id, "after": after, "limit": limit}
    result = await session.execute(_FOLLOWERS_AFTER[kind], params)
    return [int(person_id) for person_id in result.scalars()]


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


async def _notify(session: AsyncSession, network_id: int, kinds: dict[int, str], summary: dict[str, object]) -> None:
    activity.notify_many(session, network_id, kinds, dict(summary))


def _summary(post: Post, author: Person) -> dict[str, object]:
    return {"post_id": post.id, "title": post.title, "kind": post.kind.value, "by": author.display_name}


async def notify_new_post(session: AsyncSession, network: Network, post: Post, author: Person) -> bool:
    """Tell the people named in a new post, and its followers if there are no more than
    `INLINE_MAX`, in one bulk append; False when the followers are too many to tell now (the
    caller leaves them to network/content/post_notices.py, which writes them after the commit)."""
    mentions = await _mentioned_members(session, network, f"{post.title}\n{post.body}") - {author.id}
    first = await followers_after(session, network.id, post.kind, after=0, limit=INLINE_MAX + 1)
    told_all = len(first) <= INLINE_MAX
    kinds = dict.fromkeys(set(first) - mentions - {author.id}, "post.created") if told_all else {}
    kinds.update(dict.fromkeys(mentions, "mention"))  # a mention beats a plain new-post notice
    await _notify(session, network.id, kinds, _summary(post, author))
    return told_all


async def notify_followers(session: AsyncSession, post: Post, people: list[int]) -> None:
    """A new-post notice for each of these followers, except its author and the people it names
    (they had a mention with the post itself)."""
    text = f"{post.title}\n{post.body}"
    named = mentioned(text, await _names(session, people)) if "@" in text else set()
    kinds = dict.fromkeys(set(people) - named - {post.author_id}, "post.created")
    await _notify(session, post.network_id, kinds, _summary(post, post.author))


async def _names(session: AsyncSession, people: list[int]) -> dict[int, str]:
    result = await session.execute(select(Person.id, Person.display_name).where(Person.id.in_(people)))
    return {int(person_id): name for person_id, name in result.tuples()}


async def notify_new_mentions(
    session: AsyncSession, network: Network, post: Post, before: str, after: str, author: Person
) -> None:
    """An edit's mentions: the people it names that the text before it did not (named already, they were
    told then), except the post's author, who hears of the reply itself."""
    already = await _mentioned_members(session, network, before)
    await notify_mentions(session, network, post, after, author, skip=[*already, post.author_id])


async def notify_mentions(
    session: AsyncSession, network: Network, post: Post, text: str, author: Person, skip: Iterable[int] = ()
) -> None:
    """Mentions in a reply; `skip` holds people already told about this reply another way."""
    mentions = await _mentioned_members(session, network, text) - set(skip) - {author.id}
    await _notify(session, network.id, dict.fromkeys(mentions, "mention"), _summary(post, author))
