"""The platform admins' page of flags raised in engagements' spaces, as a browser without JavaScript uses
it (docs/design.md §3.12): the open flags newest first, deciding one with a reason (POST-redirect-GET with
a notice), a refusal that keeps the typed reason, deciding twice (409), the author told, and the page of
a missing address for anyone else."""

from __future__ import annotations

import html

from tests.conftest import World
from tests.server.engagement_world import engaged, ok
from tests.web.content.test_post_pages import Pages, main_of, redirected_to

PATH = "/admin/engagement-flags"


async def test_an_admin_sees_the_open_flags_and_decides_them_and_no_one_else_may(world: World, backend: str) -> None:
    e = await engaged(world)
    first = ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Buy our toolkit today."}), 201)
    second = ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Call me on my mobile."}), 201)
    old = ok(await e.requester.post(f"/engagements/{e.id}/messages/{first['id']}/flags", json={"reason": "spam"}), 201)
    new = ok(
        await e.requester.post(
            f"/engagements/{e.id}/messages/{second['id']}/flags",
            json={"reason": "personal_data", "note": "A phone number"},
        ),
        201,
    )
    admin = Pages(world, await world.admin())

    shown = await admin.get(PATH)
    assert shown.status_code == 200
    page = main_of(shown)
    assert page.count("<h1") == 1
    assert page.index(f'id="flag-{new["id"]}"') < page.index(f'id="flag-{old["id"]}"')  # newest first
    assert f'href="/engagements/{e.id}"' in page and "A behaviour curriculum review" in page
    assert "Call me on my mobile." in page and "personal data" in page and html.escape("A phone number") in page
    requester_name = ok(await e.requester.get("/me"))["display_name"]
    assert html.escape(requester_name) in page
    assert f'action="{PATH}/{new["id"]}/decide"' in page
    assert "Engagement flags" in shown.text and ", open: </span>2</span>" in shown.text  # the nav's count

    # no reason: refused beside the form, writing nothing
    bare = await admin.form(f"{PATH}/{new['id']}/decide", {"action": "remove", "reason": "  "})
    assert bare.status_code == 422 and 'id="flag-{}-reason-error"'.format(new["id"]) in bare.text
    too_long = "x" * 1001
    long = await admin.form(f"{PATH}/{new['id']}/decide", {"action": "dismiss", "reason": too_long})
    assert long.status_code == 422 and too_long in long.text  # the typed reason kept
    assert await world.count("engagement_flags", "status = 'open'") == 2

    before = {n["id"] for n in ok(await e.offerer.get("/notifications"))["items"]}
    removed = await admin.form(f"{PATH}/{new['id']}/decide", {"action": "remove", "reason": "Personal data"})
    redirected_to(removed, f"{PATH}?done=removed")
    assert await world.count("engagement_flags", f"id = {new['id']} AND status = 'removed'") == 1
    assert await world.count("engagement_messages", f"id = {second['id']} AND state = 'removed'") == 1
    told = [n for n in ok(await e.offerer.get("/notifications"))["items"] if n["id"] not in before]
    assert [n["kind"] for n in told] == ["decision"]
    after = main_of(await admin.get(removed.headers["location"]))
    assert "The message is removed and its author told." in after
    assert f'id="flag-{new["id"]}"' not in after and f'id="flag-{old["id"]}"' in after

    again = await admin.form(f"{PATH}/{new['id']}/decide", {"action": "dismiss", "reason": "Second thoughts"})
    assert again.status_code == 409 and "already decided (removed)" in again.text
    assert "Second thoughts" in again.text  # the typed reason kept
    assert await world.count("engagement_flags", f"id = {new['id']} AND status = 'removed'") == 1

    redirected_to(
        await admin.form(f"{PATH}/{old['id']}/decide", {"action": "dismiss", "reason": "Fine"}),
        f"{PATH}?done=dismissed",
    )
    assert await world.count("engagement_messages", f"id = {first['id']} AND state = 'removed'") == 0
    assert "No flag is open." in main_of(await admin.get(PATH))

    # anyone else: the page of an unknown address, and their decisions write nothing
    third = ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Another advert."}), 201)
    flag = ok(await e.requester.post(f"/engagements/{e.id}/messages/{third['id']}/flags", json={"reason": "spam"}), 201)
    for who in (e.requester, e.lead):
        other = Pages(world, who)
        refused = await other.get(PATH)
        assert refused.status_code == 404 and "There is no such page." in refused.text
        decided = await other.form(f"{PATH}/{flag['id']}/decide", {"action": "remove", "reason": "Mine now"})
        assert decided.status_code == 404 and "There is no such page." in decided.text
        assert "/admin/engagement-flags" not in refused.text  # not in their navigation either
    assert await world.count("engagement_flags", "status = 'open'") == 1
    anonymous = Pages(world)
    redirected_to(await anonymous.get(PATH), f"/signin?next={PATH}")
    await anonymous.aclose()
