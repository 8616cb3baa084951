"""The notification settings page and the one-click unsubscribe (RFC 8058) that every notice and digest
carries (docs/design.md §3.10)."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx

from network.people import mail_settings
from server.mail import unsubscribe
from tests.conftest import ApiClient, World


async def form_post(world: World, c: ApiClient, path: str, data: list[tuple[str, str]]) -> httpx.Response:
    """A browser's form POST, with repeated fields (checkboxes) as a browser sends them."""
    await c._csrf()
    body = urlencode([("_csrf_token", c.http.cookies["csrftoken"]), *data])
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return await c.http.post(world.server.url + path, content=body, headers=headers)


async def settings_of(c: ApiClient) -> dict[str, object]:
    response = await c.get("/me/mail-settings")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_the_page_sets_follow_levels_email_kinds_digest_and_interests(world: World) -> None:
    slug, member, _ = await world.two_members()
    page = await member.http.get(world.server.url + "/account/notifications")
    assert page.status_code == 200
    assert f'name="follow-{slug}"' in page.text and 'value="all" selected' in page.text
    assert 'id="email-replies" name="email-replies" checked' in page.text
    assert 'id="digest-weekly" name="digest" value="weekly" checked' in page.text  # weekly by default

    fields = [
        (f"follow-{slug}", "mentions"),
        *[(f"email-{g.name}", "on") for g in mail_settings.NOTICE_GROUPS if g.name != "mentions"],
        ("digest", "daily"),
        ("phases", "secondary"),
        ("phases", "special"),
        ("themes", "attendance, Reading , attendance"),
    ]
    saved = await form_post(world, member, "/account/notifications", fields)
    assert saved.status_code == 303 and saved.headers["location"] == "/account/notifications?done=1"
    chosen = await settings_of(member)
    assert chosen["digest"] == "daily"
    assert chosen["phases"] == ["secondary", "special"]
    assert chosen["themes"] == ["attendance", "Reading"]
    assert chosen["email"] == {g.name: g.name != "mentions" for g in mail_settings.NOTICE_GROUPS}
    network = await member.get(f"/networks/{slug}")
    assert network.json()["membership"]["follow_level"] == "mentions"


async def test_a_bad_choice_is_refused_with_a_message_and_changes_nothing(world: World) -> None:
    slug, member, _ = await world.two_members()
    before = await settings_of(member)
    refused = await form_post(
        world, member, "/account/notifications", [(f"follow-{slug}", "loud"), ("digest", "daily")]
    )
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and "notifies you" in refused.text
    assert await settings_of(member) == before
    assert (await member.get(f"/networks/{slug}")).json()["membership"]["follow_level"] == "all"

    bad = await member.patch("/me/mail-settings", json={"email": {"spam": True}})
    assert bad.status_code == 422 and "spam" in bad.text
    bad = await member.patch("/me/mail-settings", json={"digest": "hourly"})
    assert bad.status_code == 400
    assert await settings_of(member) == before


async def test_signed_out_the_settings_page_sends_to_sign_in(world: World) -> None:
    async with httpx.AsyncClient(base_url=world.server.url) as anon:
        response = await anon.get("/account/notifications")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/account/notifications"


async def test_one_click_unsubscribe_needs_no_sign_in_and_stops_exactly_its_kind(world: World) -> None:
    member = await world.person()
    token = unsubscribe.token(world.server.settings, member.id, "replies")
    async with httpx.AsyncClient(base_url=world.server.url) as mail_client:  # no cookie, no CSRF token
        shown = await mail_client.get(f"/unsubscribe?token={token}")
        assert shown.status_code == 200 and "Stop emails about replies to my posts?" in shown.text
        assert (await settings_of(member))["email"]["replies"] is True  # a GET (a link scanner) changes nothing

        done = await mail_client.post(
            f"/unsubscribe?token={token}",
            content="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert done.status_code == 200 and "no more emails about replies to my posts" in done.text
    chosen = await settings_of(member)
    assert chosen["email"]["replies"] is False and chosen["email"]["offers"] is True
    assert chosen["digest"] == "weekly"

    digest_token = unsubscribe.token(world.server.settings, member.id, mail_settings.DIGEST)
    async with httpx.AsyncClient(base_url=world.server.url) as mail_client:
        done = await mail_client.post("/unsubscribe", data={"token": digest_token})
    assert done.status_code == 200
    assert (await settings_of(member))["digest"] == "never"


async def test_a_forged_or_cut_token_is_refused_and_changes_nothing(world: World) -> None:
    member, other = await world.person(), await world.person()
    theirs = unsubscribe.token(world.server.settings, other.id, "replies")
    forged = f"{member.id}.replies.{theirs.rsplit('.', 1)[1]}"  # someone else's signature
    async with httpx.AsyncClient(base_url=world.server.url) as client:
        for token in (forged, theirs[:-3], "", "1.nonsense.x", f"{member.id}.digest"):
            assert (await client.post("/unsubscribe", data={"token": token})).status_code == 400
            assert (await client.get(f"/unsubscribe?token={token}")).status_code == 404
    assert (await settings_of(member))["email"]["replies"] is True
    assert (await settings_of(other))["email"]["replies"] is True
    assert unsubscribe.read(world.server.settings, theirs) == unsubscribe.Unsubscribe(other.id, "replies")
