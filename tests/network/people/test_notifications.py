"""A person's notifications on a plain session: their own only, newest first in pages, and marked read."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.models import Person
from network.people import notifications
from tests.conftest import ApiClient, World


async def person(session: AsyncSession, client: ApiClient) -> Person:
    found = await session.get(Person, client.id)
    assert found is not None
    return found


async def test_pages_newest_first_and_marking_read(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    post = await world.practice(author, slug, title="Tell me")
    for n in range(5):
        replier = await world.member(slug)
        response = await replier.post(f"/posts/{post['id']}/replies", json={"body": f"Reply {n}"})
        assert response.status_code == 201, response.text

    async with db() as session:
        me, lead_row = await person(session, author), await person(session, lead)
        first = await notifications.list_notifications(session, me, unread_only=False, cursor=None, limit=2)
        seqs = [n.seq for n in first.items]
        assert seqs == [5, 4] and first.next_cursor is not None
        second = await notifications.list_notifications(
            session, me, unread_only=False, cursor=first.next_cursor, limit=2
        )
        last = await notifications.list_notifications(
            session, me, unread_only=False, cursor=second.next_cursor, limit=2
        )
        assert [n.seq for n in second.items] == [3, 2] and [n.seq for n in last.items] == [1]
        assert last.next_cursor is None  # the end
        everything = [*first.items, *second.items, *last.items]
        assert {(n.kind, n.data["post_id"]) for n in everything} == {("reply.created", post["id"])}
        assert not any(n.read for n in everything)
        assert await notifications.unread_count(session, me) == 5

        # marking: only one's own (another person's id is ignored), and each once
        others = await notifications.list_notifications(session, lead_row, unread_only=False, cursor=None, limit=50)
        assert others.items and not {n.id for n in others.items} & {n.id for n in everything}
        chosen = [first.items[0].id, last.items[0].id, others.items[0].id]
        assert await notifications.mark_read(session, me, chosen) == 2
        assert await notifications.mark_read(session, me, chosen) == 0
        await session.commit()

    async with db() as session:
        me, lead_row = await person(session, author), await person(session, lead)
        assert await notifications.unread_count(session, me) == 3
        assert await notifications.unread_count(session, lead_row) == len(others.items)  # untouched
        unread = await notifications.list_notifications(session, me, unread_only=True, cursor=None, limit=50)
        assert [n.seq for n in unread.items] == [4, 3, 2]
        read = await notifications.list_notifications(session, me, unread_only=False, cursor=None, limit=1)
        assert read.items[0].read is True
        assert await notifications.mark_read(session, me, None) == 3  # all the rest
        await session.commit()
        assert await notifications.unread_count(session, me) == 0
        assert await notifications.unread_count(session, lead_row) == len(others.items)
