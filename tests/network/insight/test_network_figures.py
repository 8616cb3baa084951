"""A network's figures, each checked against a hand count over a small world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from network.access import open_network
from network.enums import OrgKind
from network.insight.network_figures import Count, ThemeMonth, figure_rows, figures
from network.insight.periods import academic_year
from network.models import Person
from tests.conftest import ApiClient, World


@dataclass
class Figured:
    slug: str
    lead: ApiClient
    asker: ApiClient
    other: ApiClient
    waiting_id: int


async def _at(world: World, table: str, row_id: int, when: str, column: str = "created_at") -> None:
    async with world.db() as session:
        update = text(f"UPDATE {table} SET {column} = :at WHERE id = :id")  # noqa: S608
        await session.execute(update, {"at": datetime.fromisoformat(when), "id": row_id})
        await session.commit()


async def figured_world(world: World) -> Figured:
    """By hand: in 2026-27, three shown requests (the first answered in 2 days, offered in 3 and matched
    in 4; the second offered in 10; the third never answered); a hidden request and one of the year
    before, not counted; practices on reading and attendance over two months, and a hidden one."""
    lead = await world.person()  # an organisation of kind multi_academy_trust
    slug = await world.network(lead)
    asker = await world.member(slug)  # multi_academy_trust
    other = await world.member(slug, kind=OrgKind.LOCAL_AUTHORITY)
    hider = await world.member(slug, kind=OrgKind.DIOCESE)  # only hidden content: not active

    quick = await world.request(asker, slug, title="Quick")
    await _at(world, "posts", quick["id"], "2026-10-01 09:00:00+00:00")
    reply = (await other.post(f"/posts/{quick['id']}/replies", json={"body": "We can help."})).json()
    await _at(world, "replies", reply["id"], "2026-10-03 09:00:00+00:00")
    offer = (await other.post(f"/posts/{quick['id']}/offers", json={"message": "A visit."})).json()
    await _at(world, "offers", offer["id"], "2026-10-04 09:00:00+00:00")
    assert (await asker.post(f"/offers/{offer['id']}/accept")).status_code == 200
    await _at(world, "offers", offer["id"], "2026-10-05 09:00:00+00:00", "decided_at")
    async with world.db() as session:
        await session.execute(text("UPDATE engagements SET created_at = '2026-10-05 09:00:00+00:00'"))
        await session.commit()

    slow = await world.request(asker, slug, title="Slow")
    await _at(world, "posts", slow["id"], "2026-10-01 09:00:00+00:00")
    own = (await asker.post(f"/posts/{slow['id']}/replies", json={"body": "Anyone?"})).json()  # own org: no answer
    await _at(world, "replies", own["id"], "2026-10-02 09:00:00+00:00")
    late = (await lead.post(f"/posts/{slow['id']}/offers", json={"message": "Late help."})).json()
    await _at(world, "offers", late["id"], "2026-10-11 09:00:00+00:00")

    waiting = await world.request(asker, slug, title="Still waiting")
    await _at(world, "posts", waiting["id"], "2026-11-01 09:00:00+00:00")

    hidden = await world.request(hider, slug, title="Hidden")
    await _at(world, "posts", hidden["id"], "2026-10-01 09:00:00+00:00")
    await world.set_post(hidden["id"], "state = 'hidden'")
    before = await world.request(asker, slug, title="Last year")
    await _at(world, "posts", before["id"], "2026-08-31 23:59:59+00:00")

    for author, themes, when in (
        (other, ["reading", "attendance"], "2026-09-15 09:00:00+00:00"),
        (asker, ["reading"], "2026-10-20 09:00:00+00:00"),
        (hider, ["reading"], "2026-10-20 09:00:00+00:00"),
    ):
        practice = await world.practice(author, slug, themes=themes)
        await _at(world, "posts", practice["id"], when)
        if author is hider:
            await world.set_post(practice["id"], "state = 'removed'")
    return Figured(slug, lead, asker, other, waiting["id"])


async def _figures_for(world: World, f: Figured, client: ApiClient, period: str = "2026-27") -> Any:
    async with world.db() as session:
        person = await session.get(Person, client.id)
        access = await open_network(session, f.slug, person)
        return await figures(session, access, academic_year(period))


async def test_each_figure_matches_the_hand_count(world: World, backend: str) -> None:
    f = await figured_world(world)
    found = await _figures_for(world, f, f.lead)
    assert found.full
    assert found.requests_posted == 3
    assert found.answered_within_window == 1
    assert found.median_days_to_first_offer == 6.5  # 3 and 10 days
    assert found.median_days_to_match == 4.0
    assert [(w.id, w.title) for w in found.waiting] == [(f.waiting_id, "Still waiting")]
    assert found.engagements_opened == 1
    assert found.engagements_active == 0  # proposed until both sides agree the plan
    assert found.engagements_closed == [] and found.outcomes_by_evidence == [] and found.follow_ups_lasted == []
    assert found.adoption_reports == []
    assert found.active_organisations == [Count("local_authority", 1), Count("multi_academy_trust", 2)]
    assert found.themes_by_month == [
        ThemeMonth("attendance", "2026-09", 1),
        ThemeMonth("reading", "2026-09", 1),
        ThemeMonth("reading", "2026-10", 1),
    ]
    assert figure_rows(found, "themes_by_month")[1] == ["2026-09", "attendance", 1]


async def test_members_see_the_shorter_version_with_the_same_counts(world: World, backend: str) -> None:
    f = await figured_world(world)
    found = await _figures_for(world, f, f.other)
    assert not found.full
    assert found.waiting is None and found.median_days_to_first_offer is None and found.median_days_to_match is None
    assert (found.requests_posted, found.answered_within_window) == (3, 1)


async def test_the_period_bounds_what_is_counted(world: World, backend: str) -> None:
    f = await figured_world(world)
    before = await _figures_for(world, f, f.lead, "2025-26")
    assert before.requests_posted == 1  # 31 August 2026 is the last day of 2025-26
    assert before.themes_by_month == [] and before.engagements_opened == 0
    after = await _figures_for(world, f, f.lead, "2027-28")
    assert after.requests_posted == 0 and after.active_organisations == [] and after.waiting == []
