"""Who a new post or a mention notifies: the pure rules, then the service on a plain session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.models import Notification
from network.content.followers import mentioned, notified_levels, notify_mentions, notify_new_post
from network.enums import FollowLevel, PostKind
from network.models import Network, Person, Post
from tests.conftest import ApiClient, World

NAMES = {1: "Priya Shah", 2: "Tom", 3: "Tom Byrne", 4: "Ngozi Okafor-Reid"}


def test_mentions_match_whole_display_names_case_insensitively() -> None:
    assert mentioned("Thanks @priya shah, this helped", NAMES) == {1}
    assert mentioned("@Tom Byrne and @Tom: both of you", NAMES) == {2, 3}
    assert mentioned("cc @Ngozi Okafor-Reid.", NAMES) == {4}
    assert mentioned("email priya shah@example.org", NAMES) == set()
    assert mentioned("@Tomas is someone else", NAMES) == set()
    assert mentioned("@Priya Shahid is someone else", NAMES) == set()
    assert mentioned("no at-sign at all", NAMES) == set()


def test_follow_levels_choose_who_hears_of_a_new_post() -> None:
    assert notified_levels(PostKind.PRACTICE) == {FollowLevel.ALL}
    assert notified_levels(PostKind.REQUEST) == {FollowLevel.ALL, FollowLevel.REQUESTS_ONLY}
    assert FollowLevel.MENTIONS not in notified_levels(PostKind.REQUEST)
    assert FollowLevel.MUTED not in notified_levels(PostKind.REQUEST)


# -- on a plain session: who a post or a reply tells, by follow level, membership and the names in it ----------


async def _member_as(world: World, slug: str, name: str, level: FollowLevel = FollowLevel.ALL) -> ApiClient:
    return await world.member(slug, name=name, follow=level.value)


async def _told(
    db: async_sessionmaker[AsyncSession], network_id: int, call: Callable[[AsyncSession], Awaitable[object]]
) -> tuple[object, dict[int, str], list[dict[str, Any]]]:
    """What `call` answered, and the notifications it added (person id → kind, and their payloads)."""
    async with db() as session:
        last = (await session.execute(select(func.coalesce(func.max(Notification.id), 0)))).scalar_one()
        answer = await call(session)
        await session.commit()
    async with db() as session:
        rows = (
            await session.execute(
                select(Notification.person_id, Notification.kind, Notification.payload, Notification.network_id)
                .where(Notification.id > last)
                .order_by(Notification.id)
            )
        ).all()
    assert all(row.network_id == network_id for row in rows)
    kinds = {row.person_id: row.kind for row in rows}
    assert len(kinds) == len(rows), "one notification per person"
    return answer, kinds, [dict(row.payload) for row in rows]


async def test_a_new_post_tells_its_followers_and_names_by_level(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    await world.follow(lead, slug, "all")
    author = await _member_as(world, slug, "Sam Author")
    fan = await _member_as(world, slug, "Fay Fan")
    asker = await _member_as(world, slug, "Ria Requests", FollowLevel.REQUESTS_ONLY)
    quiet = await _member_as(world, slug, "Quinn Quiet", FollowLevel.MENTIONS)
    named = await _member_as(world, slug, "Priya Shah", FollowLevel.MENTIONS)
    muting = await _member_as(world, slug, "Mo Muted", FollowLevel.MUTED)
    suspended = await _member_as(world, slug, "Sue Spended")
    outsider = await world.person(name="Otto Outside")
    response = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "member", "target_id": suspended.id, "action": "suspend", "reason": "Test"},
    )
    assert response.status_code == 201, response.text
    text = "Thanks @Priya Shah, @Mo Muted, @Otto Outside, @Sue Spended and @Sam Author (me)."
    practice = await world.practice(author, slug, title="Phonics", body=text)
    request = await world.request(author, slug, title="Help wanted", body="No names here.")

    async with db() as session:
        network = (await session.execute(select(Network).where(Network.slug == slug))).scalar_one()
        posts = {p.id: p for p in (await session.execute(select(Post).where(Post.network_id == network.id))).scalars()}
        author_row = await session.get(Person, author.id)
    assert author_row is not None

    def new_post(post_id: int) -> Callable[[AsyncSession], Awaitable[bool]]:
        async def call(session: AsyncSession) -> bool:
            post, person = await session.merge(posts[post_id]), await session.merge(author_row)
            return await notify_new_post(session, await session.merge(network), post, person)

        return call

    told_all, kinds, payloads = await _told(db, network.id, new_post(practice["id"]))
    assert told_all is True
    # followers of everything hear of a practice; the one named has a mention instead; the others,
    # the author, the suspended member, a muting member (named or not) and a non-member hear nothing
    assert kinds == {lead.id: "post.created", fan.id: "post.created", named.id: "mention"}
    assert all(
        p == {"post_id": practice["id"], "title": "Phonics", "kind": "practice", "by": "Sam Author"} for p in payloads
    )
    assert {asker.id, quiet.id, muting.id, suspended.id, outsider.id, author.id}.isdisjoint(kinds)

    _, kinds, _ = await _told(db, network.id, new_post(request["id"]))
    assert kinds == {lead.id: "post.created", fan.id: "post.created", asker.id: "post.created"}


async def test_a_reply_tells_those_it_names_except_whom_it_skips(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    author = await _member_as(world, slug, "Sam Author")
    named = await _member_as(world, slug, "Priya Shah", FollowLevel.MENTIONS)
    skipped = await _member_as(world, slug, "Tom Byrne")
    await _member_as(world, slug, "Mo Muted", FollowLevel.MUTED)  # named, but muting the network
    post = await world.practice(author, slug, title="Phonics")

    async with db() as session:
        network = (await session.execute(select(Network).where(Network.slug == slug))).scalar_one()
        post_row = await session.get(Post, post["id"])
        lead_row = await session.get(Person, lead.id)
    assert post_row is not None and lead_row is not None

    async def mentions(text: str, skip: set[int]) -> dict[int, str]:
        async def call(session: AsyncSession) -> None:
            await notify_mentions(
                session, network, await session.merge(post_row), text, await session.merge(lead_row), skip
            )

        _, kinds, payloads = await _told(db, network.id, call)
        assert all(p["post_id"] == post["id"] and p["by"] == "Lena Lead" for p in payloads)
        return kinds

    text = "@Priya Shah and @Tom Byrne, see @Mo Muted's note; @Lena Lead agrees."
    assert await mentions(text, {skipped.id}) == {named.id: "mention"}
    assert await mentions(text, set()) == {named.id: "mention", skipped.id: "mention"}
    assert await mentions("no one named, just an email a@b.org", set()) == {}
