"""Confirming addresses by email (docs/design.md §3.8): sign-up's link, which works once and signs in;
sign-in waiting for it; answers that say nothing of who has an account; moving an account to a new
address; and a confirmed address at a verified domain verifying a waiting person. Mail goes to a
real SMTP server on a loopback port."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select, text

from network.enums import OrgKind
from network.models import EmailLink, OrganisationDomain, Person
from tests.conftest import PASSWORD, ApiClient, World, direct_account, problem, unique
from tests.smtp import SmtpServer

CONFIRM = "confirm your email address"
TRIED = "someone tried to register with your address"
CHANGE = "confirm your new email address"
CHANGING = "your email address is being changed"
TRIED_CHANGE = "someone tried to use your address"


def registration(email: str, **overrides: Any) -> dict[str, Any]:
    return {
        "email": email,
        "password": PASSWORD,
        "display_name": "Cara Confirm",
        "organisation": {"name": unique("Confirm Trust "), "kind": "multi_academy_trust"},
    } | overrides


def link_in(message: EmailMessage, path: str) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(rf"http://\S+{re.escape(path)}\?token=\S+", body.get_content())
    assert found, body.get_content()
    return found.group(0)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if m["To"] == address]


async def sign_in(world: World, email: str, password: str = PASSWORD) -> httpx.Response:
    return await world.client().post("/auth/login", json={"email": email, "password": password})


async def person_row(world: World, email: str) -> Person | None:
    async with world.db() as session:
        return await session.scalar(select(Person).where(Person.email == email))


async def links(world: World, purpose: str) -> int:
    return await world.count("email_links", f"purpose = '{purpose}'")


async def test_the_link_confirms_once_and_signs_in_and_sign_in_waits_for_it(mailing: World, smtp: SmtpServer) -> None:
    email = unique("cara") + "@example.org"
    answer = await mailing.client().post("/auth/register", json=registration(email.upper()))
    assert answer.status_code == 202, answer.text
    (message,) = await smtp.collector.wait_about(CONFIRM, 1)
    assert message["To"] == email
    assert message["Subject"] == "Improvement Commons: confirm your email address"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and 'lang="en-GB"' in html.get_content()
    link = link_in(message, "/confirm-email")
    assert link.startswith(mailing.server.url + "/confirm-email?token=")
    assert token_of(link) in html.get_content()

    # until then, the right password is told to confirm first; a wrong one learns nothing new
    problem(await sign_in(mailing, email), 403, "confirm your email address first")
    problem(await sign_in(mailing, email, "not the password"), 401)
    row = await person_row(mailing, email)
    assert row is not None and row.email_confirmed_at is None

    browser = mailing.client()
    confirmed = await browser.post("/auth/confirm-email", json={"token": token_of(link)})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["email"] == email
    assert (await browser.get("/me")).json()["email"] == email  # signed in
    row = await person_row(mailing, email)
    assert row is not None and row.email_confirmed_at is not None
    assert (await sign_in(mailing, email)).status_code == 200

    again = mailing.client()
    problem(await again.post("/auth/confirm-email", json={"token": token_of(link)}), 410, "ask for a new one")
    problem(await again.post("/auth/confirm-email", json={"token": "made-up"}), 410)
    problem(await again.post("/auth/confirm-email", json={"token": ""}), 400)
    assert (await again.get("/me")).status_code == 401


async def test_an_address_with_an_account_answers_as_a_new_one_makes_nothing_and_tells_its_owner(
    mailing: World, smtp: SmtpServer
) -> None:
    owner = await mailing.person(name="Olu Owner")
    assert owner.person
    taken = owner.person["email"]
    fresh = unique("fresh") + "@example.org"
    await smtp.collector.wait_about(CONFIRM, 1)  # the owner's own sign-up
    people, organisations = await mailing.count("people"), await mailing.count("organisations")
    confirm_links = await links(mailing, "confirm_email")

    new = await mailing.client().post("/auth/register", json=registration(fresh))
    old = await mailing.client().post("/auth/register", json=registration(taken.upper()))
    assert new.status_code == old.status_code == 202
    assert old.headers["content-type"] == new.headers["content-type"]
    assert "set-cookie" not in old.headers or "commons_session" not in old.headers["set-cookie"]
    assert set(old.json()) == set(new.json()) == {"detail"}
    assert old.json()["detail"].replace(taken, "ADDRESS") == new.json()["detail"].replace(fresh, "ADDRESS")
    assert await mailing.count("people") == people + 1  # the new address's account only
    assert await mailing.count("organisations") == organisations + 1
    assert await links(mailing, "confirm_email") == confirm_links + 1

    (note,) = await smtp.collector.wait_about(TRIED, 1)
    assert note["To"] == taken
    body = note.get_body(preferencelist=("plain",))
    assert body is not None and "/forgot-password" in body.get_content()
    assert len(to(smtp.collector.about(CONFIRM), taken)) == 1  # its own sign-up's, nothing more
    assert len(to(await smtp.collector.wait_about(CONFIRM, 2), fresh)) == 1
    assert (await sign_in(mailing, taken)).status_code == 200  # the owner's account is as it was

    # bad input is refused the same way for either address, and writes nothing
    for address in (fresh, taken):
        problem(await mailing.client().post("/auth/register", json=registration(address, password="password123")), 422)
    assert await mailing.count("people") == people + 1


async def test_a_password_reset_link_confirms_the_address_it_reached(mailing: World, smtp: SmtpServer) -> None:
    """The owner of an address someone signed up with (and never confirmed) takes the account over by
    resetting its password: the reset link reached the address, so the address is confirmed."""
    email = unique("squatted") + "@example.org"
    assert (await mailing.client().post("/auth/register", json=registration(email))).status_code == 202
    assert (await mailing.client().post("/auth/password-reset", json={"email": email})).status_code == 202
    (reset,) = await smtp.collector.wait_about("reset your password", 1)
    token = token_of(link_in(reset, "/reset-password"))
    done = await mailing.client().post(
        "/auth/password-reset/complete", json={"token": token, "new_password": "the owner's own passphrase"}
    )
    assert done.status_code == 200, done.text
    assert (await sign_in(mailing, email, "the owner's own passphrase")).status_code == 200


async def test_sending_the_link_again_answers_alike_and_mails_only_a_waiting_account(
    mailing: World, smtp: SmtpServer
) -> None:
    confirmed = await mailing.person()
    assert confirmed.person
    waiting = unique("waiting") + "@example.org"
    assert (await mailing.client().post("/auth/register", json=registration(waiting))).status_code == 202
    await smtp.collector.wait_about(CONFIRM, 2)
    anyone = mailing.client()
    answers = [
        await anyone.post("/auth/confirm-email/resend", json={"email": address})
        for address in ("no-one-here@example.org", confirmed.person["email"], waiting.upper())
    ]
    assert {a.status_code for a in answers} == {202}
    assert answers[0].json() == answers[1].json() == answers[2].json()
    problem(await anyone.post("/auth/confirm-email/resend", json={"email": "not an address"}), 400, "email")
    messages = await smtp.collector.wait_about(CONFIRM, 3)
    assert len(to(messages, waiting)) == 2
    assert len(to(messages, confirmed.person["email"])) == 1  # its sign-up's, nothing more
    assert to(messages, "no-one-here@example.org") == []
    first, second = (token_of(link_in(m, "/confirm-email")) for m in to(messages, waiting))
    problem(await mailing.client().post("/auth/confirm-email", json={"token": first}), 410)  # only the newest works
    assert (await mailing.client().post("/auth/confirm-email", json={"token": second})).status_code == 200


async def test_changing_ones_address_needs_the_password_and_switches_on_the_link(
    mailing: World, smtp: SmtpServer
) -> None:
    person = await mailing.person(name="Mo Mover")
    assert person.person
    old = person.person["email"]
    new = unique("moved") + "@example.org"
    mails = await mailing.count("outbound_mail")
    bad: list[tuple[dict[str, Any], int, str]] = [
        ({"new_email": new, "current_password": "not the password"}, 422, "current password"),
        ({"new_email": "not-an-address", "current_password": PASSWORD}, 400, "new_email"),
        ({"new_email": old.upper(), "current_password": PASSWORD}, 422, "already your address"),
        ({"new_email": new}, 400, "current_password"),
        ({"new_email": new, "current_password": PASSWORD, "email_confirmed_at": "now"}, 400, "email_confirmed_at"),
    ]
    for body, status, words in bad:
        problem(await person.post("/me/email", json=body), status, words)
    assert await links(mailing, "change_email") == 0
    assert await mailing.count("outbound_mail") == mails
    problem(await mailing.client().post("/me/email", json={"new_email": new, "current_password": PASSWORD}), 401)

    asked = await person.post("/me/email", json={"new_email": new.upper(), "current_password": PASSWORD})
    assert asked.status_code == 202, asked.text
    assert new in asked.json()["detail"]
    (link_mail,) = await smtp.collector.wait_about(CHANGE, 1)
    (notice,) = await smtp.collector.wait_about(CHANGING, 1)
    assert link_mail["To"] == new and notice["To"] == old
    notice_body = notice.get_body(preferencelist=("plain",))
    assert notice_body is not None and new in notice_body.get_content()
    assert "reset your password" in notice_body.get_content()
    assert (await person.get("/me")).json()["email"] == old  # nothing moves until the link is followed
    account = await person.http.get(mailing.server.url + "/account")
    assert "You asked to move your account to" in account.text and new in account.text

    link = link_in(link_mail, "/change-email")
    assert link.startswith(mailing.server.url + "/change-email?token=")
    moved = await mailing.client().post("/auth/change-email", json={"token": token_of(link)})
    assert moved.status_code == 200, moved.text
    assert moved.json()["email"] == new
    row = await person_row(mailing, new)
    assert row is not None and row.email_confirmed_at is not None
    assert (await sign_in(mailing, new)).status_code == 200
    problem(await sign_in(mailing, old), 401)
    problem(await mailing.client().post("/auth/change-email", json={"token": token_of(link)}), 410)
    account = await person.http.get(mailing.server.url + "/account")
    assert "You asked to move your account to" not in account.text


async def test_moving_to_an_address_with_an_account_answers_alike_and_changes_nothing(
    mailing: World, smtp: SmtpServer
) -> None:
    person, other = await mailing.person(), await mailing.person(name="Tam Taken")
    assert person.person and other.person
    mine, taken = person.person["email"], other.person["email"]
    free = unique("free") + "@example.org"
    to_taken = await person.post("/me/email", json={"new_email": taken, "current_password": PASSWORD})
    to_free = await person.post("/me/email", json={"new_email": free, "current_password": PASSWORD})
    assert to_taken.status_code == to_free.status_code == 202
    assert to_taken.json()["detail"].replace(taken, "X") == to_free.json()["detail"].replace(free, "X")
    (note,) = await smtp.collector.wait_about(TRIED_CHANGE, 1)
    assert note["To"] == taken
    assert len(to(await smtp.collector.wait_about(CHANGING, 2), mine)) == 2  # the old address is told each time
    assert [m["To"] for m in await smtp.collector.wait_about(CHANGE, 1)] == [free]
    async with mailing.db() as session:
        sent_to = (await session.execute(select(EmailLink.email).where(EmailLink.purpose == "change_email"))).scalars()
        assert list(sent_to) == [free]

    # the free address gets an account before the link is followed: refused, nothing moves
    await direct_account(mailing.db, "x", "Someone Else", unique("Else Trust "), OrgKind.FEDERATION)
    async with mailing.db() as session:
        await session.execute(
            text("UPDATE people SET email = :free WHERE display_name = 'Someone Else'"), {"free": free}
        )
        await session.commit()
    link = link_in(smtp.collector.about(CHANGE)[0], "/change-email")
    problem(await mailing.client().post("/auth/change-email", json={"token": token_of(link)}), 409, "not changed")
    assert (await person.get("/me")).json()["email"] == mine


async def add_domain(world: World, email: str, domain: str) -> None:
    row = await person_row(world, email)
    assert row is not None
    async with world.db() as session:
        session.add(OrganisationDomain(organisation_id=row.organisation_id, domain=domain))
        await session.commit()


async def affiliation_of(world: World, email: str) -> str:
    async with world.db() as session:
        found = await session.execute(text("SELECT affiliation FROM people WHERE email = :e"), {"e": email})
        return str(found.scalar_one())


async def test_a_confirmed_address_at_a_verified_domain_verifies_a_waiting_person(
    mailing: World, smtp: SmtpServer
) -> None:
    at_domain = unique("head") + "@oakfield.example.org"
    elsewhere = unique("mover") + "@mail.example.net"
    org = unique("Oakfield Domain Trust ")
    for address in (at_domain, elsewhere):
        body = registration(address, organisation={"name": org, "kind": "multi_academy_trust"})
        assert (await mailing.client().post("/auth/register", json=body)).status_code == 202
    await add_domain(mailing, at_domain, "oakfield.example.org")
    messages = await smtp.collector.wait_about(CONFIRM, 2)
    for address in (at_domain, elsewhere):
        (message,) = to(messages, address)
        token = token_of(link_in(message, "/confirm-email"))
        assert (await mailing.client().post("/auth/confirm-email", json={"token": token})).status_code == 200
    assert await affiliation_of(mailing, at_domain) == "verified"
    assert await affiliation_of(mailing, elsewhere) == "waiting"  # confirmed, but not at the domain
    assert await mailing.count("organisation_log", "action = 'verified_by_domain'") == 1

    # moving to an address at the domain verifies too, once the link there is followed
    mover = ApiClient(mailing.server.url)
    mailing.clients.append(mover)
    assert (await mover.post("/auth/login", json={"email": elsewhere, "password": PASSWORD})).status_code == 200
    moved_to = unique("mover") + "@oakfield.example.org"
    asked = await mover.post("/me/email", json={"new_email": moved_to, "current_password": PASSWORD})
    assert asked.status_code == 202
    (link_mail,) = await smtp.collector.wait_about(CHANGE, 1)
    token = token_of(link_in(link_mail, "/change-email"))
    assert (await mailing.client().post("/auth/change-email", json={"token": token})).status_code == 200
    assert await affiliation_of(mailing, moved_to) == "verified"
    assert await mailing.count("organisation_log", "action = 'verified_by_domain'") == 2
    async with mailing.db() as session:
        details = await session.execute(text("SELECT detail FROM organisation_log WHERE action = 'verified_by_domain'"))
        assert set(details.scalars()) == {"oakfield.example.org"}


async def test_the_pages_confirm_with_a_button_and_move_an_address_from_the_account_page(
    mailing: World, smtp: SmtpServer
) -> None:
    from tests.web.people.test_auth_pages import FormClient, field_error

    email = unique("paige") + "@example.org"
    browser = FormClient(mailing.server.url)
    try:
        form = {
            "display_name": "Paige Pages",
            "email": email,
            "password": PASSWORD,
            "organisation_choice": "new",
            "organisation_name": unique("Pages Trust "),
            "organisation_kind": "federation",
        }
        asked = await browser.submit("/signup", form, page="/signup")
        assert asked.status_code == 200 and "Check your email" in asked.text
        again = await browser.submit("/confirm-email/resend", {"email": email})
        assert again.status_code == 200 and "we have sent it a new link" in again.text
        bad = await browser.submit("/confirm-email/resend", {"email": "nope"})
        assert bad.status_code == 422
        field_error(bad.text, "resend-email")
        messages = await smtp.collector.wait_about(CONFIRM, 2)
        link = link_in(messages[-1], "/confirm-email")
        opened = await browser.get(link.removeprefix(mailing.server.url))
        assert opened.status_code == 200 and "Confirm my address" in opened.text
        assert (await browser.me()).status_code == 401  # opening the link (as a mail scanner might) does nothing
        done = await browser.submit("/confirm-email", {"token": token_of(link)})
        assert done.status_code == 303 and done.headers["location"] == "/networks?confirmed=1"
        landed = await browser.get("/networks?confirmed=1")
        assert "Your email address is confirmed" in landed.text
        assert (await browser.me()).json()["email"] == email
        spent = await browser.get(link.removeprefix(mailing.server.url))
        assert spent.status_code == 410 and "has expired or has been used" in spent.text
        older = link_in(messages[0], "/confirm-email")
        assert (await browser.submit("/confirm-email", {"token": token_of(older)})).status_code == 410

        await browser.get("/account")
        new = unique("paige-new") + "@example.org"
        wrong = await browser.submit("/account/email", {"new_email": new, "current_password": "wrong one!"})
        assert wrong.status_code == 422
        assert "not right" in field_error(wrong.text, "email_current_password")
        malformed = await browser.submit("/account/email", {"new_email": "no at sign", "current_password": PASSWORD})
        assert malformed.status_code == 422
        field_error(malformed.text, "new_email")
        assert await links(mailing, "change_email") == 0
        moving = await browser.submit("/account/email", {"new_email": new, "current_password": PASSWORD})
        assert moving.status_code == 202 and f"We have sent a link to {new}" in moving.text
        assert "You asked to move your account to" in moving.text
        (link_mail,) = await smtp.collector.wait_about(CHANGE, 1)
        change = link_in(link_mail, "/change-email")
        assert (await browser.get(change.removeprefix(mailing.server.url))).status_code == 200
        moved = await browser.submit("/change-email", {"token": token_of(change)})
        assert moved.status_code == 303 and moved.headers["location"] == "/account?done=email#email"
        assert (await browser.me()).json()["email"] == new
    finally:
        await browser.aclose()
