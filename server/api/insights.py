"""A network's insight figures for a period, and one figure's rows as CSV (never a score, rank or grade)."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import FromPath, QueryParameter

from network import clock
from network.access import open_network
from network.insight import network_figures
from network.insight.network_figures import NetworkFigures
from network.insight.periods import academic_year, year_of
from server.deps import Db, Viewer

Year = Annotated[
    str | None,
    QueryParameter(max_length=20, description="An academic year such as 2026-27 (by default, this one)"),
]


class InsightController(Controller):
    path = "/networks/{slug:str}"
    tags = ["insights"]

    @get(
        "/insights",
        summary="The network's figures for an academic year",
        description="Counts and median durations: leads (and platform admins) see the full set with the "
        "requests still waiting; members and observers a shorter one. A network you may not read is a 404.",
    )
    async def insights(self, db: Db, person: Viewer, slug: FromPath[str], period: Year = None) -> NetworkFigures:
        return await _figures(db, person, slug, period)

    @get(
        "/insights.csv",
        summary="One figure's rows as CSV",
        description="`figure` is one of requests, waiting (leads), engagements_closed, outcomes_by_evidence, "
        "follow_ups_lasted, adoption_reports, active_organisations, themes_by_month.",
        media_type="text/csv",
    )
    async def insights_csv(
        self,
        db: Db,
        person: Viewer,
        slug: FromPath[str],
        figure: Annotated[str, QueryParameter(max_length=40)],
        period: Year = None,
    ) -> Response[str]:
        found = await _figures(db, person, slug, period)
        out = io.StringIO()
        csv.writer(out).writerows(network_figures.figure_rows(found, figure))
        filename = f"{found.network}-{found.period}-{figure}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )


async def _figures(db: Db, person: Viewer, slug: str, period: str | None) -> NetworkFigures:
    access = await open_network(db, slug, person)
    span = academic_year(period) if period is not None else year_of(clock.now().date())
    return await network_figures.figures(db, access, span)
