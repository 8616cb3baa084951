"""The platform admins' open data page: the year's tables and their row counts, the zip of the same files,
a year it cannot read refused, and everyone else shown the page an unknown address gets."""

from __future__ import annotations

import io
import zipfile

from network import clock
from network.enums import OrgKind
from network.insight.periods import year_of
from tests.conftest import World, direct_account
from tests.web.people.test_admin_organisation_pages import signed_in_form


async def test_admins_see_the_tables_and_download_the_zip_and_no_one_else_does(world: World) -> None:
    slug, first, second = await world.two_members(practices=1)
    year = year_of(clock.now().date()).name
    email = await direct_account(world.db, "admin", "Ada Admin", "Stewards", OrgKind.OTHER_GROUP, is_admin=True)
    admin = await signed_in_form(world, email)
    members = [await signed_in_form(world, member.person["email"]) for member in (first, second)]

    shown = await admin.get(f"/admin/open-data?period={year}")
    assert shown.status_code == 200
    assert f"Tables for {year}" in shown.text and "<td>practices</td><td>1</td>" in shown.text
    assert 'href="/admin/open-data"' in shown.text  # beside the admins' other pages

    download = await admin.get(f"/admin/open-data/download?period={year}")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert "schema.json" in archive.namelist() and "practices.csv" in archive.namelist()
    assert f"{slug},none,none,none,,true" in archive.read("practices.csv").decode()  # 1 is below 5

    bad = await admin.get("/admin/open-data?period=2026-2027")
    assert bad.status_code == 422 and "Give an academic year as 2026-27." in bad.text

    for other in members:
        for path in ("/admin/open-data", f"/admin/open-data/download?period={year}"):
            refused = await other.get(path)
            assert refused.status_code == 404 and "There is no such page." in refused.text
            assert "schema.json" not in refused.text
    for client in (admin, *members):
        await client.aclose()
