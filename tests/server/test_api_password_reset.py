"""A forgotten password (docs/design.md §3.8): a link by email that works once, for an hour, and
answers that say nothing of who has an account. Mail goes to a real SMTP server on a loopback port."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select, update

from network import clock
from network.models import EmailLink
from tests.conftest import PASSWORD, World, problem
from tests.smtp import SmtpServer

NEW_PASSWORD = "a brand new passphrase"


RESET = "reset your password"  # the reset mail's subject (people made for a test were sent a confirmation too)


def reset_link(smtp: SmtpServer, index: int = -1) -> str:
    message = smtp.collector.about(RESET)[index]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(r"http://\S+/reset-password\?token=\S+", body.get_content())
    assert found, body.get_content()
    return found.group(0)


async def complete(world: World, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return await world.client().post("/auth/password-reset/complete", json={"token": token, "new_password": password})


async def sign_in(world: World, email: str, password: str) -> int:
    return (await world.client().post("/auth/login", json={"email": email, "password": password})).status_code


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def test_asking_answers_alike_and_mails_only_an_account_holder(mailing: World, smtp: SmtpServer) -> None:
    person = await mailing.person()
    assert person.person
    anyone = mailing.client()
    unknown = await anyone.post("/auth/password-reset", json={"email": "no-one-here@example.org"})
    known = await anyone.post("/auth/password-reset", json={"email": person.person["email"].upper()})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    messages = await smtp.collector.wait_about(RESET, 1)
    assert [m["To"] for m in messages] == [person.person["email"]]  # the unknown address was sent nothing
    message = messages[0]
    assert message["Subject"] == "Improvement Commons: reset your password"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and 'lang="en-GB"' in html.get_content()
    link = reset_link(smtp)
    assert link.startswith(mailing.server.url + "/reset-password?token=")
    assert token_of(link) in html.get_content()


async def test_the_link_sets_a_new_password_once_and_ends_every_session(mailing: World, smtp: SmtpServer) -> None:
    person = await mailing.person()
    assert person.person
    email = person.person["email"]
    assert (await mailing.client().post("/auth/password-reset", json={"email": email})).status_code == 202
    await smtp.collector.wait_about(RESET, 1)
    token = token_of(reset_link(smtp))

    weak = await mailing.client().post(
        "/auth/password-reset/complete", json={"token": token, "new_password": "password123"}
    )
    problem(weak, 422)
    assert (await person.get("/me")).status_code == 200  # a refusal changes nothing, the link still works

    browser = mailing.client()
    done = await browser.post("/auth/password-reset/complete", json={"token": token, "new_password": NEW_PASSWORD})
    assert done.status_code == 200, done.text
    assert (await browser.get("/me")).json()["email"] == email  # signed in here
    problem(await person.get("/me"), 401)  # and nowhere else
    problem(await mailing.client().post("/auth/login", json={"email": email, "password": PASSWORD}), 401)
    assert (
        await mailing.client().post("/auth/login", json={"email": email, "password": NEW_PASSWORD})
    ).status_code == 200

    again = await mailing.client().post(
        "/auth/password-reset/complete", json={"token": token, "new_password": "yet another passphrase"}
    )
    problem(again, 410)
    problem(
        await mailing.client().post(
            "/auth/password-reset/complete", json={"token": "made-up", "new_password": NEW_PASSWORD}
        ),
        410,
    )


async def test_only_the_newest_link_works_and_none_after_an_hour(mailing: World, smtp: SmtpServer) -> None:
    person = await mailing.person()
    assert person.person
    email = person.person["email"]
    for _ in range(2):
        assert (await mailing.client().post("/auth/password-reset", json={"email": email})).status_code == 202
    await smtp.collector.wait_about(RESET, 2)
    older, newer = token_of(reset_link(smtp, 0)), token_of(reset_link(smtp, 1))
    problem(
        await mailing.client().post(
            "/auth/password-reset/complete", json={"token": older, "new_password": NEW_PASSWORD}
        ),
        410,
    )

    async with mailing.db() as session:
        await session.execute(update(EmailLink).values(expires_at=clock.now() - timedelta(seconds=1)))
        await session.commit()
    problem(
        await mailing.client().post(
            "/auth/password-reset/complete", json={"token": newer, "new_password": NEW_PASSWORD}
        ),
        410,
    )
    async with mailing.db() as session:
        resets = select(EmailLink.used_at).where(EmailLink.purpose == "password_reset")
        assert (await session.execute(resets)).scalars().all() == [None, None]


async def test_the_pages_ask_and_the_link_opens_the_form(mailing: World, smtp: SmtpServer) -> None:
    from tests.web.people.test_auth_pages import FormClient, field_error

    person = await mailing.person()
    assert person.person
    browser = FormClient(mailing.server.url)
    try:
        asked = await browser.submit("/forgot-password", {"email": person.person["email"]}, page="/forgot-password")
        assert asked.status_code == 200
        assert "If an account uses this address" in asked.text
        bad = await browser.submit("/forgot-password", {"email": "not an address"})
        assert bad.status_code == 422
        field_error(bad.text, "email")
        await smtp.collector.wait_about(RESET, 1)
        link = reset_link(smtp)
        form = await browser.get(link.removeprefix(mailing.server.url))
        assert form.status_code == 200
        short = await browser.submit("/reset-password", {"token": token_of(link), "new_password": "short"})
        assert short.status_code == 422
        field_error(short.text, "new_password")
        done = await browser.submit("/reset-password", {"token": token_of(link), "new_password": NEW_PASSWORD})
        assert done.status_code == 303
        assert done.headers["location"] == "/account?done=password"
        assert (await browser.me()).json()["email"] == person.person["email"]
        spent = await browser.get(link.removeprefix(mailing.server.url))
        assert spent.status_code == 410
        assert "has expired or has been used" in spent.text
    finally:
        await browser.aclose()
