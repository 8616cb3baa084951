"""Profiles on a plain session: what a person or an organisation has shared, asked and offered, as each
reader may see it. A network the reader may not read is neither listed nor counted."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.enums import OrgKind, Role
from network.errors import NotFound
from network.models import Person
from network.people import profiles
from tests.conftest import ApiClient, World, unique


async def reader(session: AsyncSession, client: ApiClient | None) -> Person | None:
    return None if client is None else await session.get(Person, client.id)


async def offer(client: ApiClient, post_id: int) -> int:
    response = await client.post(f"/posts/{post_id}/offers", json={"message": "We can help."})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str) -> None:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Test"}
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text


async def test_a_persons_profile_shows_each_reader_only_what_they_may_read(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    open_slug = await world.network(lead, name="beta open network")
    closed_slug = await world.network(lead, visibility="members", name="Alpha closed network")
    left_slug = await world.network(lead, name="Gamma network")
    alice = await world.member(open_slug)
    for slug in (closed_slug, left_slug):
        assert (await alice.post(f"/networks/{slug}/join")).json()["state"] == "active"
    fellow = await world.member(closed_slug)  # reads both networks alice is active in
    outsider = await world.person()  # reads only the public one
    await decide(lead, left_slug, "member", alice.id, "suspend")  # listed nowhere there any more

    shared = await world.practice(alice, open_slug, title="Open practice")
    await world.practice(alice, closed_slug, title="Closed practice")
    hidden = await world.practice(alice, open_slug, title="Hidden practice")
    await decide(lead, open_slug, "post", hidden["id"], "hide")
    asked = await world.request(alice, open_slug, title="Open request")
    wanted = await world.request(lead, closed_slug, title="Closed request")
    await offer(alice, wanted["id"])

    async with db() as session:
        by_fellow = await profiles.person_profile(session, await reader(session, fellow), alice.id)
        by_outsider = await profiles.person_profile(session, await reader(session, outsider), alice.id)
        by_herself = await profiles.person_profile(session, await reader(session, alice), alice.id)
        by_anonymous = await profiles.person_profile(session, None, alice.id)
        with pytest.raises(NotFound):
            await profiles.person_profile(session, await reader(session, fellow), 10**9)

    assert by_fellow.person.id == alice.id
    # sorted by name whatever its case; the suspended network is not listed
    assert [(n.slug, n.role) for n in by_fellow.networks] == [(closed_slug, Role.MEMBER), (open_slug, Role.MEMBER)]
    assert [n.slug for n in by_outsider.networks] == [open_slug]
    assert by_anonymous.networks == []

    mine = by_fellow.contributions
    assert [p.title for p in mine.practices] == ["Closed practice", "Open practice"]  # newest first
    assert (mine.practice_count, mine.request_count, mine.offer_count) == (2, 1, 1)
    assert [(o.post_id, o.post_title, o.network) for o in mine.offers] == [
        (wanted["id"], "Closed request", closed_slug)
    ]
    assert mine.network_names == {closed_slug: "Alpha closed network", open_slug: "beta open network"}

    theirs = by_outsider.contributions  # nothing of the members-only network, not even in the counts
    assert [p.id for p in theirs.practices] == [shared["id"]] and [p.id for p in theirs.requests] == [asked["id"]]
    assert (theirs.practice_count, theirs.request_count, theirs.offer_count) == (1, 1, 0)
    assert theirs.network_names == {open_slug: "beta open network"}

    assert hidden["id"] in [p.id for p in by_herself.contributions.practices]  # an author sees her hidden post
    assert hidden["id"] not in [p.id for p in mine.practices]
    nothing = by_anonymous.contributions  # post bodies need signing in
    assert (nothing.practices, nothing.requests, nothing.offers, nothing.practice_count) == ([], [], [], 0)


async def test_an_organisations_profile_lists_its_active_people_and_their_work(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    org = unique("Northern Trust ")
    lead = await world.person()
    slug = await world.network(lead)
    zed = await world.member(slug, org=org, name="zed Ahmed")
    amy = await world.member(slug, org=org, name="Amy Brown")
    gone = await world.member(slug, org=org, name="Bea Gone")
    org_id = int(zed.person["organisation"]["id"])  # type: ignore[index]
    assert amy.person["organisation"]["id"] == org_id  # type: ignore[index]
    await world.practice(zed, slug, title="By Zed")
    wanted = await world.request(lead, slug, title="Help")
    await offer(amy, wanted["id"])
    observers = await world.person(kind=OrgKind.GOVERNMENT)
    async with world.db() as session:
        deactivated = await session.get(Person, gone.id)
        assert deactivated is not None
        deactivated.is_active = False
        await session.commit()

    async with db() as session:
        profile = await profiles.organisation_profile(session, await reader(session, lead), org_id)
        government = await profiles.organisation_profile(
            session,
            await reader(session, lead),
            int(observers.person["organisation"]["id"]),  # type: ignore[index]
        )
        with pytest.raises(NotFound):
            await profiles.organisation_profile(session, None, 10**9)

    assert profile.organisation.name == org and profile.observer_only is False
    assert [p.display_name for p in profile.people] == ["Amy Brown", "zed Ahmed"]  # by name; not the disabled
    work = profile.contributions
    assert [p.title for p in work.practices] == ["By Zed"]
    assert (work.practice_count, work.request_count, work.offer_count) == (1, 0, 1)
    assert work.offers[0].author.id == amy.id
    assert government.observer_only is True


async def test_names_and_people_by_id_skip_those_that_do_not_exist(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    priya = await world.person(name="Priya Shah")
    async with db() as session:
        assert await profiles.display_names(session, {priya.id, 10**9}) == {priya.id: "Priya Shah"}
        assert list(await profiles.people_by_id(session, {priya.id, 10**9})) == [priya.id]
        assert await profiles.display_names(session, set()) == {}
        assert await profiles.people_by_id(session, set()) == {}
