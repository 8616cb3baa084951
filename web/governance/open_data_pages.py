"""The platform admins' open data page (`/admin/open-data`): choose an academic year, see each table's
row count, and download a zip of the same files `commons insight export` writes (docs/open-data.md).
Anyone else is shown the page an unknown address gets."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Redirect, Response, Template

from network import clock
from network.errors import Invalid
from network.insight import open_data
from network.insight.periods import Period, academic_year, year_of
from network.models import Person
from server.deps import Db, Viewer
from web.forms import sign_in_first
from web.render import page

PATH = "/admin/open-data"
YEARS_BACK = 5  # the academic years offered in the form, the current one first


def _refused(viewer: Person) -> bool:
    return not viewer.is_admin


def _years() -> list[str]:
    current = year_of(clock.now().date())
    first = current.start.year
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(first, first - YEARS_BACK, -1)]


def _period(request: Request[Any, Any, Any]) -> Period:
    chosen = request.query_params.get("period", "")
    return academic_year(chosen) if chosen else year_of(clock.now().date())


async def _chosen(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Period | Template | Redirect:
    """The period asked for, or the answer that refuses the asker or the period (both pages ask the same)."""
    if viewer is None:
        return sign_in_first(PATH)
    if _refused(viewer):
        return await page("organisation.html", request, db, viewer, status_code=404, missing="There is no such page.")
    try:
        return _period(request)
    except Invalid as exc:
        return await page(
            "admin_open_data.html",
            request,
            db,
            viewer,
            status_code=422,
            message=exc.message,
            years=_years(),
            chosen=request.query_params.get("period", "")[:20],
            counts=None,
        )


@get(PATH, summary="Open data (platform admins)", include_in_schema=False)
async def open_data_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    period = await _chosen(request, db, viewer)
    if not isinstance(period, Period):
        return period
    exact = await open_data.tables(db, period)
    counts = {table.name: len(exact[table.name]) for table in open_data.TABLES}
    return await page(
        "admin_open_data.html",
        request,
        db,
        viewer,
        message="",
        years=_years(),
        chosen=period.name,
        counts=counts,
        threshold=open_data.THRESHOLD,
    )


@get(f"{PATH}/download", summary="Download open data (platform admins)", include_in_schema=False)
async def open_data_download(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer
) -> Template | Redirect | Response[bytes]:
    period = await _chosen(request, db, viewer)
    if not isinstance(period, Period):
        return period
    content = open_data.zipped(open_data.files(await open_data.tables(db, period), period))
    return Response(
        content,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="open-data-{period.name}.zip"'},
    )


handlers = [open_data_page, open_data_download]
