"""Sign up, sign in and sign out as a browser without JavaScript does them: forms, cookies, 303s."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.enums import OrgKind, OrgStatus
from network.models import Organisation
from network.people import organisations
from tests.conftest import PASSWORD, LiveServer, World, confirm_directly, direct_account, make_settings, unique
from tests.live.client import WsClient

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


class FormClient:
    """A cookie-keeping HTTP client that submits the site's forms with the CSRF token they carry."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=20)
        self.token = ""

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        response = await self.http.get(path, **kw)
        found = _TOKEN.search(response.text)
        if found:
            self.token = html.unescape(found.group(1))
        return response

    async def submit(self, path: str, data: dict[str, str], *, csrf: bool = True, page: str = "/") -> httpx.Response:
        """POST a form; fetch `page` first (for its CSRF token) unless a token is already held."""
        if csrf and not self.token:
            await self.get(page)
        fields = {"_csrf_token": self.token} | data if csrf else data
        return await self.http.post(path, data=fields)

    async def me(self) -> httpx.Response:
        return await self.http.get("/api/v1/me")

    async def aclose(self) -> None:
        await self.http.aclose()


@pytest.fixture
async def browser(world: World) -> AsyncIterator[FormClient]:
    client = FormClient(world.server.url)
    yield client
    await client.aclose()


def field_error(page: str, field: str) -> str:
    """The message shown beside a field, checking the control points at it (aria-describedby)."""
    control = re.search(rf'<(?:input|select)[^>]*\bid="{field}"[^>]*>', page)
    assert control, f"no control {field}"
    assert 'aria-invalid="true"' in control.group(0), control.group(0)
    assert f"{field}-error" in control.group(0), control.group(0)
    message = re.search(rf'<p class="field-error" id="{field}-error">([^<]+)</p>', page)
    assert message, f"no message beside {field}"
    return html.unescape(message.group(1))


def signup_form(**fields: str) -> dict[str, str]:
    email = unique("signup") + "@example.org"
    return {
        "display_name": "Asha Patel",
        "email": email,
        "password": PASSWORD,
        "organisation_choice": "new",
        "organisation_name": unique("Riverside Learning Trust "),
        "organisation_kind": "multi_academy_trust",
    } | fields


async def test_signup_page_offers_existing_organisations_grouped_and_escaped(world: World, browser: FormClient) -> None:
    await world.person(org="Hill <b>&</b> Dale Trust", kind=OrgKind.DIOCESE)
    response = await browser.get("/signup")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Create an account</h1>" in page
    assert '<optgroup label="Diocese">' in page
    assert "Hill &lt;b&gt;&amp;&lt;/b&gt; Dale Trust" in page and "<b>&</b>" not in page
    assert 'value="regulator"' not in page and 'value="government"' not in page  # a platform admin adds those
    assert "Multi-academy trust" in page
    assert 'name="_csrf_token"' in page
    assert "<script>" not in page and "style=" not in page


async def test_signup_searches_the_register_and_never_offers_a_closed_organisation(
    world: World, browser: FormClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_trust = await world.person(org=unique("Greystone Learning Trust "))
    closed = await world.person(org=unique("Greystone Old Academies "))
    assert open_trust.person and closed.person
    async with world.db() as session:
        await session.execute(
            update(Organisation)
            .where(Organisation.id == open_trust.person["organisation"]["id"])
            .values(gias_group_id="TR04242")
        )
        await session.execute(
            update(Organisation)
            .where(Organisation.id == closed.person["organisation"]["id"])
            .values(status=OrgStatus.CLOSED)
        )
        await session.commit()
    page = (await browser.get("/signup")).text
    assert "Greystone Learning Trust" in page and "(Group ID TR04242)" in page
    assert "Greystone Old Academies" not in page  # the register marks it closed

    monkeypatch.setattr(organisations, "PICKER_LIMIT", 0)  # a register too big to list: search it
    page = (await browser.get("/signup")).text
    assert "search it for yours" in page and "Greystone Learning Trust" not in page
    people = await world.count("people")
    typed = signup_form(organisation_choice="existing", organisation_id="", organisation_query="tr04242", find="1")
    found = await browser.submit("/signup", typed, page="/signup")
    assert found.status_code == 200 and "1 found" in found.text
    chosen = re.search(r'<option value="(\d+)" selected>Greystone Learning Trust', found.text)
    assert chosen and int(chosen.group(1)) == open_trust.person["organisation"]["id"]  # the one match, chosen
    assert 'value="Asha Patel"' in found.text and PASSWORD not in found.text  # typing kept, never the password
    assert await world.count("people") == people  # a search makes nothing
    none = await browser.submit("/signup", typed | {"organisation_query": "Old Academies"}, page="/signup")
    assert "Nothing in the register matches" in html.unescape(none.text)


async def confirm_and_sign_in(world: World, browser: FormClient, email: str) -> httpx.Response:
    """Confirm the address as its mailed link would (tests/server/test_api_email_confirmation.py follows
    the link itself), then sign in through the form; the API's view of who is signed in."""
    await confirm_directly(world.db, email)
    signed_in = await browser.submit("/signin", {"email": email, "password": PASSWORD}, page="/signin")
    assert signed_in.status_code == 303, signed_in.text
    return await browser.me()


def check_your_email(response: httpx.Response, email: str) -> None:
    assert response.status_code == 200, response.text
    assert "<h1>Check your email</h1>" in response.text
    assert f"We have sent a link to {email}." in html.unescape(response.text)


async def test_signup_with_a_new_organisation_asks_to_confirm_the_address_then_signs_in(
    world: World, browser: FormClient
) -> None:
    data = signup_form(organisation_name="  Brook   Valley Federation ", organisation_kind="federation")
    response = await browser.submit("/signup", data, page="/signup")
    check_your_email(response, data["email"])
    assert (await browser.me()).status_code == 401  # not signed in until the address is confirmed
    refused = await browser.submit("/signin", {"email": data["email"], "password": PASSWORD})
    assert refused.status_code == 403
    assert "Confirm your email address first" in html.unescape(refused.text)
    assert 'action="/confirm-email/resend"' in refused.text
    me = (await confirm_and_sign_in(world, browser, data["email"])).json()
    assert me["email"] == data["email"]
    assert me["display_name"] == "Asha Patel"
    assert me["organisation"]["name"] == "Brook Valley Federation"
    assert me["organisation"]["kind"] == "federation"
    directory = await browser.get("/networks")
    assert "Asha Patel" in directory.text and "Sign out" in directory.text


async def test_signup_picking_an_existing_organisation_joins_it(world: World, browser: FormClient) -> None:
    colleague = await world.person(org="Oakfield Academies", kind=OrgKind.MULTI_ACADEMY_TRUST)
    org_id = colleague.person["organisation"]["id"] if colleague.person else 0
    before = await world.count("organisations")
    data = signup_form(organisation_choice="existing", organisation_id=str(org_id), organisation_name="")
    response = await browser.submit("/signup", data, page="/signup")
    check_your_email(response, data["email"])
    me = (await confirm_and_sign_in(world, browser, data["email"])).json()
    assert me["organisation"] == {"id": org_id, "name": "Oakfield Academies", "kind": "multi_academy_trust"}
    assert await world.count("organisations") == before


async def test_signup_mistakes_are_shown_beside_each_field_and_typing_is_kept(
    world: World, browser: FormClient
) -> None:
    people, orgs = await world.count("people"), await world.count("organisations")
    data = {
        "display_name": "Sam <Lee>",
        "email": "not-an-email",
        "password": "short",
        "organisation_choice": "new",
        "organisation_name": "X",
        "organisation_kind": "castle",
    }
    response = await browser.submit("/signup", data, page="/signup")
    assert response.status_code == 422
    page = response.text
    assert 'role="alert"' in page and "Your account could not be created" in page
    assert "email address" in field_error(page, "email")
    assert "10 to 200 characters" in field_error(page, "password")
    assert "name" in field_error(page, "organisation_name")
    assert "kind of organisation" in field_error(page, "organisation_kind")
    assert 'value="Sam &lt;Lee&gt;"' in page  # kept, escaped
    assert 'value="not-an-email"' in page
    assert 'value="X"' in page
    assert "short" not in page  # never the password
    assert await world.count("people") == people
    assert await world.count("organisations") == orgs


async def test_signup_neither_offers_nor_accepts_a_regulator_or_government_organisation(
    world: World, browser: FormClient
) -> None:
    """docs/design.md §5: a platform admin adds those organisations and makes their people's accounts."""
    inspector = await world.person(org="Schools Inspection Office", kind=OrgKind.REGULATOR)
    await world.person(org="Hill Trust", kind=OrgKind.MULTI_ACADEMY_TRUST)
    assert inspector.person
    office_id = str(inspector.person["organisation"]["id"])
    listing = (await browser.get("/signup")).text
    assert "Hill Trust" in listing and "Schools Inspection Office" not in listing
    people, orgs = await world.count("people"), await world.count("organisations")

    chosen = await browser.submit(
        "/signup", signup_form(display_name="Ivy Ames", organisation_choice="existing", organisation_id=office_id)
    )
    assert chosen.status_code == 422
    assert "platform admin" in field_error(chosen.text, "organisation_id")
    assert 'value="Ivy Ames"' in chosen.text  # what was typed is kept
    for kind in ("regulator", "government"):
        created = await browser.submit("/signup", signup_form(organisation_name="A New Office", organisation_kind=kind))
        assert created.status_code == 422
        assert "platform admin" in field_error(created.text, "organisation_kind")
        assert 'value="A New Office"' in created.text
    by_name = await browser.submit("/signup", signup_form(organisation_name="schools inspection OFFICE"))
    assert by_name.status_code == 422
    assert "platform admin" in field_error(by_name.text, "organisation_name")
    assert await world.count("people") == people
    assert await world.count("organisations") == orgs
    assert (await browser.me()).status_code == 401


async def test_signup_refusals_from_the_domain_use_the_apis_words_and_write_nothing(
    world: World, browser: FormClient
) -> None:
    taken = await world.person(org="Meadow Trust", kind=OrgKind.MULTI_ACADEMY_TRUST)
    people, orgs = await world.count("people"), await world.count("organisations")
    assert taken.person
    # an address that has an account gets the page a new one gets (its owner is mailed instead)
    duplicate = await browser.submit("/signup", signup_form(email=taken.person["email"].upper()), page="/signup")
    check_your_email(duplicate, taken.person["email"])
    common = await browser.submit("/signup", signup_form(password="password123"))
    assert common.status_code == 422
    assert "commonly used" in field_error(common.text, "password")
    wrong_kind = await browser.submit(
        "/signup", signup_form(organisation_name="meadow trust", organisation_kind="diocese")
    )
    assert wrong_kind.status_code == 409
    assert "already registered as a multi academy trust" in html.unescape(wrong_kind.text)
    assert field_error(wrong_kind.text, "organisation_kind")
    gone = await browser.submit("/signup", signup_form(organisation_choice="existing", organisation_id="999999"))
    assert gone.status_code == 422
    assert "not in the list" in field_error(gone.text, "organisation_id")
    assert await world.count("people") == people
    assert await world.count("organisations") == orgs
    assert (await browser.me()).status_code == 401


async def test_signup_without_the_csrf_token_is_refused(world: World, browser: FormClient) -> None:
    people = await world.count("people")
    response = await browser.submit("/signup", signup_form(), csrf=False)
    assert response.status_code == 403
    assert "csrf" in response.json()["detail"].lower()
    assert await world.count("people") == people


async def test_sign_in_goes_on_to_a_local_next_page_only(world: World) -> None:
    person = await world.person()
    assert person.person
    email = person.person["email"]
    cases = {
        "/networks/some-net?kind=request": "/networks/some-net?kind=request",
        "//evil.example/x": "/networks",
        "https://evil.example/": "/networks",
        "/\\evil.example": "/networks",
        "": "/networks",
    }
    for next_path, expected in cases.items():
        client = FormClient(world.server.url)
        try:
            form = await client.get("/signin", params={"next": next_path})
            assert form.status_code == 200
            if expected != "/networks":
                assert "evil.example" not in form.text
            response = await client.submit("/signin", {"email": email, "password": PASSWORD, "next": next_path})
            assert response.status_code == 303, response.text
            assert response.headers["location"] == expected
            assert (await client.me()).json()["email"] == email
        finally:
            await client.aclose()


async def test_wrong_password_and_unknown_account_get_the_same_answer(world: World, browser: FormClient) -> None:
    person = await world.person()
    assert person.person
    wrong = await browser.submit(
        "/signin", {"email": person.person["email"], "password": "not the password"}, page="/signin"
    )
    unknown = await browser.submit("/signin", {"email": "nobody@example.org", "password": "not the password"})
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Email or password is wrong, or the account is disabled." in response.text
        assert 'role="alert"' in response.text
        assert "not the password" not in response.text
    assert f'value="{person.person["email"]}"' in wrong.text
    blank = await browser.submit("/signin", {"email": "", "password": ""})
    assert blank.status_code == 422
    assert "email address" in field_error(blank.text, "email")
    assert "password" in field_error(blank.text, "password")
    assert (await browser.me()).status_code == 401


async def test_sign_out_needs_the_token_then_ends_the_session_and_its_live_socket(
    world: World, browser: FormClient
) -> None:
    person = await world.person()
    assert person.person
    await browser.get("/signin")
    signed_in = await browser.submit("/signin", {"email": person.person["email"], "password": PASSWORD})
    assert signed_in.status_code == 303
    cookie = browser.http.cookies["commons_session"]
    socket = await WsClient.connect(
        world.server.url, additional_headers={"Cookie": f"commons_session={cookie}"}, origin=world.server.url
    )
    try:
        subscribed = await socket.subscribe("no-such-network")
        assert subscribed["type"] == "error"  # the socket is open and authenticated
        refused = await browser.submit("/signout", {}, csrf=False)
        assert refused.status_code == 403
        assert (await browser.me()).status_code == 200
        await browser.get("/networks")  # the page's own sign-out form carries the token
        response = await browser.submit("/signout", {})
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        assert (await browser.me()).status_code == 401
        assert await socket.closed_code() == 4001  # closed, with nothing sent before
    finally:
        await socket.close()
    home = await browser.get("/")
    assert "Sign in" in home.text and "Sign out" not in home.text


async def test_signing_in_again_ends_the_previous_session(world: World, browser: FormClient) -> None:
    first, second = await world.person(), await world.person()
    assert first.person and second.person
    await browser.submit("/signin", {"email": first.person["email"], "password": PASSWORD}, page="/signin")
    old_cookie = browser.http.cookies["commons_session"]
    await browser.get("/signin")
    await browser.submit("/signin", {"email": second.person["email"], "password": PASSWORD})
    assert browser.http.cookies["commons_session"] != old_cookie
    assert (await browser.me()).json()["email"] == second.person["email"]
    async with httpx.AsyncClient(base_url=world.server.url, cookies={"commons_session": old_cookie}) as stale:
        assert (await stale.get("/api/v1/me")).status_code == 401


@asynccontextmanager
async def limited(database_url: str, tmp_path: Path, **limits: Any) -> AsyncIterator[LiveServer]:
    live = LiveServer(make_settings(database_url, tmp_path, **limits)).start()
    try:
        yield live
    finally:
        live.stop()


async def test_sign_in_and_sign_up_pages_share_the_apis_limits(
    database_url: str, tmp_path: Path, db: async_sessionmaker[AsyncSession]
) -> None:
    email = await direct_account(db, "limited", "Limited Person", unique("Limit Trust "), OrgKind.FEDERATION)
    async with limited(database_url, tmp_path, login_attempts_per_minute=5, login_failures_per_account=2) as live:
        client = FormClient(live.url)
        try:
            await client.get("/signin")
            for _ in range(2):
                assert (await client.submit("/signin", {"email": email, "password": "wrong guess!"})).status_code == 400
            account = await client.submit("/signin", {"email": email, "password": PASSWORD})
            assert account.status_code == 429
            assert "Too many failed sign-ins for this account" in account.text
            assert int(account.headers["retry-after"]) > 0
            assert f'value="{email}"' in account.text
            # the API's sign-in counts against the same address
            api = await client.http.post(
                "/api/v1/auth/login",
                json={"email": "other@example.org", "password": "x"},
                headers={"x-csrftoken": client.http.cookies["csrftoken"]},
            )
            assert api.status_code == 401
            signup = await client.submit("/signup", signup_form())
            assert signup.status_code == 200  # the fifth attempt from this address
            await client.get("/signup")
            address = await client.submit("/signup", signup_form())
            assert address.status_code == 429
            assert address.headers["content-type"].startswith("text/html")
            assert "Too many sign-in attempts from your address" in address.text
            assert int(address.headers["retry-after"]) > 0
            assert "<h1>Create an account</h1>" in address.text
            signout = await client.submit("/signout", {})
            assert signout.status_code == 303  # signing out is never limited
        finally:
            await client.aclose()
