"""The transparency log on a plain session: open to the network's readers, newest first in pages, by the
person concerned, and naming who acted as the network chose."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.access import Access, access_to, open_network
from network.enums import Decision
from network.errors import NotFound
from network.governance import transparency
from network.models import Person
from tests.conftest import ApiClient, World


async def as_(session: AsyncSession, client: ApiClient | None, slug: str) -> Access:
    """What `client` may do in the network, as a service is handed it."""
    return await open_network(session, slug, await session.get(Person, client.id) if client else None)


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str) -> int:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": f"Because {action}"}
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_the_log_pages_newest_first_and_by_the_person_concerned(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    muted, other = await world.member(slug), await world.member(slug)
    post = await world.practice(other, slug)
    ids = [
        await decide(lead, slug, "member", muted.id, "mute"),
        await decide(lead, slug, "post", post["id"], "pin"),
        await decide(lead, slug, "member", muted.id, "lift"),
    ]
    async with db() as session:
        access = await as_(session, other, slug)
        everything = await transparency.list_log(session, access, cursor=None, limit=50)
        entries = everything.items
        assert [e.id for e in entries[:3]] == ids[::-1] and everything.next_cursor is None
        assert entries[-1].action is Decision.SET_ROLE  # the first lead, when the network was made
        assert [e.id for e in entries] == sorted((e.id for e in entries), reverse=True)

        pages, cursor = [], None
        while True:
            page = await transparency.list_log(session, access, cursor=cursor, limit=2)
            pages.append([e.id for e in page.items])
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert [i for p in pages for i in p] == [e.id for e in entries] and all(len(p) <= 2 for p in pages)

        about_muted = await transparency.list_log(session, access, cursor=None, limit=50, subject_id=muted.id)
        assert [(e.action, e.reason) for e in about_muted.items] == [
            (Decision.LIFT, "Because lift"),
            (Decision.MUTE, "Because mute"),
        ]
        assert {e.actor for e in about_muted.items} == {"Lena Lead"}

        entry, network = await transparency.get_entry(session, ids[0])
        assert (entry.action, entry.subject_id, network.slug) == (Decision.MUTE, muted.id, slug)
        with pytest.raises(NotFound):
            await transparency.get_entry(session, 10**9)


async def test_a_members_only_log_is_not_there_for_outsiders(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    member, outsider = await world.member(slug), await world.person()
    await decide(lead, slug, "member", member.id, "mute")
    async with db() as session:
        access = await as_(session, member, slug)
        assert transparency.may_read_log(access)
        assert (await transparency.list_log(session, access, cursor=None, limit=10)).items
        for reader in (await session.get(Person, outsider.id), None):  # not told the network exists
            blocked = await access_to(session, access.network, reader)
            assert not transparency.may_read_log(blocked)
            with pytest.raises(NotFound) as refused:
                await transparency.list_log(session, blocked, cursor=None, limit=10)
            assert "log" not in refused.value.message.lower()


async def test_an_admin_acting_where_they_do_not_lead_is_named_as_such(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    admin = await world.admin()
    async with db() as session:
        assert transparency.acting_as_admin(await as_(session, admin, slug)) is True
        assert transparency.acting_as_admin(await as_(session, lead, slug)) is False
        log = await transparency.list_log(session, await as_(session, lead, slug), cursor=None, limit=10)
    (made,) = [e for e in log.items if e.action is Decision.SET_ROLE]
    assert made.by_admin is True and made.actor.endswith("(platform admin)")
