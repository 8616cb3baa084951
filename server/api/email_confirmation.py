"""Confirming addresses over HTTP: sign-up's link, sending it again, and moving to a new address.

The mail each step sends is queued here, in the request's transaction (the pages queue it through
the same functions), so a refused request sends nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession

from network.inputs import Email, Input
from network.models import Person
from network.people import accounts, confirmation
from network.views import MeView, me_view
from server import auth
from server.deps import AppSettings, Db
from server.mail import affiliation_mail, messages, queue
from server.settings import Settings


class Accepted(msgspec.Struct):
    detail: str


class LinkInput(Input):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ResendInput(Input):
    email: Email


def signed_up(email: str) -> str:
    return f"We have sent a link to {email}. Follow it to confirm your address and finish signing up."


RESENT = (
    "If an account with this address is waiting to be confirmed, we have sent it a new link. "
    "Only the newest link works."
)


def change_sent(email: str) -> str:
    return f"We have sent a link to {email}. Follow it within 24 hours to move your account to that address."


async def send_sign_up_mail(db: AsyncSession, settings: Settings, outcome: confirmation.SignUp) -> None:
    """The new account's confirmation link, or the note to the address's owner that someone tried."""
    person = outcome.person
    if person is None:
        return
    if outcome.raw is not None:
        message = messages.confirm_email(settings, person.display_name, outcome.raw)
    else:
        message = messages.address_taken(settings, person.display_name)
    await queue.enqueue_message(db, settings, message, to=person.email, person_id=person.id)


async def send_confirmation_again(db: AsyncSession, settings: Settings, email: str) -> None:
    found = await confirmation.resend(db, accounts.normalise_email(email))
    if found is not None:
        person, raw = found
        message = messages.confirm_email(settings, person.display_name, raw)
        await queue.enqueue_message(db, settings, message, to=person.email, person_id=person.id)


async def send_change_mail(
    db: AsyncSession, settings: Settings, person: Person, started: confirmation.ChangeStart
) -> None:
    """The link to the new address (or, if it has an account, a note to its owner) and a notice to the old."""
    if started.raw is not None:
        link = messages.change_email(settings, person.display_name, started.raw)
        await queue.enqueue_message(db, settings, link, to=started.new_email, person_id=person.id)
    elif started.owner is not None:
        note = messages.address_taken_by_change(settings, started.owner.display_name)
        await queue.enqueue_message(db, settings, note, to=started.owner.email, person_id=started.owner.id)
    notice = messages.email_changing(settings, person.display_name, started.new_email)
    await queue.enqueue_message(db, settings, notice, to=started.old_email, person_id=person.id)


@post(
    "/confirm-email",
    status_code=HTTP_200_OK,
    summary="Confirm the address an account signed up with, with the emailed link's token; signs in",
)
async def confirm_email(
    request: Request[Any, Any, Any], db: Db, data: JSONBody[LinkInput], settings: AppSettings
) -> MeView:
    person, outcome = await confirmation.confirm(db, data.token)
    if outcome == "requested":
        await affiliation_mail.mail_request(db, settings, person)
    await auth.start_session(request, person)
    return me_view(person)


@post(
    "/confirm-email/resend",
    status_code=HTTP_202_ACCEPTED,
    summary="Send a new confirmation link (the same answer for any address)",
)
async def resend_confirmation(db: Db, data: JSONBody[ResendInput], settings: AppSettings) -> Accepted:
    await send_confirmation_again(db, settings, data.email)
    return Accepted(RESENT)


@post(
    "/change-email",
    status_code=HTTP_200_OK,
    summary="Move an account to its new address, with the link emailed there; signs in",
)
async def complete_email_change(request: Request[Any, Any, Any], db: Db, data: JSONBody[LinkInput]) -> MeView:
    person = await confirmation.complete_change(db, data.token)
    await auth.start_session(request, person)
    return me_view(person)


handlers = [confirm_email, resend_confirmation, complete_email_change]
