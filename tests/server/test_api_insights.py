"""GET /networks/{slug}/insights and its CSV: the figures by who asks, bad periods and figures refused."""

from __future__ import annotations

import csv
import io

from tests.conftest import World, problem
from tests.network.insight.test_network_figures import figured_world


async def test_the_permission_table(world: World, backend: str) -> None:
    f = await figured_world(world)
    url = f"/networks/{f.slug}/insights?period=2026-27"

    lead = (await f.lead.get(url)).json()
    assert lead["full"] and lead["requests_posted"] == 3 and lead["answered_within_window"] == 1
    assert [w["title"] for w in lead["waiting"]] == ["Still waiting"]
    assert lead["median_days_to_match"] == 4.0

    admin = (await (await world.admin()).get(url)).json()
    assert admin["full"] and admin["waiting"] is not None

    member = (await f.other.get(url)).json()
    assert not member["full"] and member["waiting"] is None and member["median_days_to_first_offer"] is None
    assert member["requests_posted"] == 3

    observer = await world.observer(f.lead, f.slug)
    seen = (await observer.get(url)).json()
    assert not seen["full"] and seen["waiting"] is None


async def test_who_may_not_read_the_network_gets_its_404(world: World, backend: str) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    url = f"/networks/{slug}/insights?period=2026-27"
    outsider = await world.person()
    problem(await outsider.get(url), 404, slug)
    problem(await world.client().get(url), 401)  # anonymous, as the API answers them elsewhere
    elsewhere = await world.member(await world.network(await world.person()))
    problem(await elsewhere.get(url), 404, slug)
    assert (await outsider.get(f"/networks/{slug}/insights.csv?figure=requests")).status_code == 404
    assert (await lead.get(url)).status_code == 200


async def test_a_bad_period_or_figure_is_refused(world: World, backend: str) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    problem(await lead.get(f"/networks/{slug}/insights?period=2026-28"), 422, "next one")
    problem(await lead.get(f"/networks/{slug}/insights?period=autumn"), 422, "2026-27")
    problem(await lead.get(f"/networks/{slug}/insights.csv?figure=scores"), 422, "scores")
    problem(await member.get(f"/networks/{slug}/insights.csv?figure=waiting"), 422, "waiting")


async def test_one_figure_as_csv(world: World, backend: str) -> None:
    f = await figured_world(world)
    response = await f.lead.get(f"/networks/{f.slug}/insights.csv?period=2026-27&figure=active_organisations")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert list(csv.reader(io.StringIO(response.text))) == [
        ["kind", "count"],
        ["local_authority", "1"],
        ["multi_academy_trust", "2"],
    ]
    waiting = await f.lead.get(f"/networks/{f.slug}/insights.csv?period=2026-27&figure=waiting")
    rows = list(csv.reader(io.StringIO(waiting.text)))
    assert rows[0] == ["id", "title", "age_days"] and rows[1][:2] == [str(f.waiting_id), "Still waiting"]
    themes = await f.other.get(f"/networks/{f.slug}/insights.csv?period=2026-27&figure=themes_by_month")
    assert list(csv.reader(io.StringIO(themes.text)))[1:] == [
        ["2026-09", "attendance", "1"],
        ["2026-09", "reading", "1"],
        ["2026-10", "reading", "1"],
    ]
