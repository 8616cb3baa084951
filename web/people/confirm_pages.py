"""Confirming an address in the browser: sign-up's link, sending it again, and a change of address.

A mailed link opens a page with one button, and the button does the work: a mail scanner that
fetches every link it sees neither uses the link up nor signs itself in. Confirming signs this
browser in (docs/design.md §3.8); a used or expired link says so (410) and offers a new one.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.exceptions import TooManyRequestsException
from litestar.response import Redirect, Template

from network.errors import DomainError
from network.inputs import Email
from network.people import confirmation, email_links
from server import auth
from server.api.email_confirmation import RESENT, send_confirmation_again
from server.deps import AppSettings, Db, Viewer
from server.mail import affiliation_mail
from web.forms import read_form, see_other
from web.people.auth_pages import AddressLimit
from web.render import page

CONFIRM = {
    "heading": "Confirm your email address",
    "explain": "Confirm this is your address to finish signing up. You will be signed in.",
    "button": "Confirm my address",
    "action": "/confirm-email",
}
CHANGE = {
    "heading": "Confirm your new email address",
    "explain": "Confirm this address to move your account to it. You will be signed in.",
    "button": "Confirm my new address",
    "action": "/change-email",
}


def _too_many(request: Request[Any, Any, Any], exc: TooManyRequestsException) -> Response[Any]:
    context: dict[str, Any] = {
        "viewer": None,
        "unread": 0,
        "path": request.url.path,
        "errors": {},
        "message": exc.detail,
        "sent": "",
        "resend_email": "",
    }
    return Template(template_name="check_email.html", context=context, status_code=429, headers=dict(exc.headers or {}))


LIMITED: dict[str, Any] = {"middleware": [AddressLimit], "exception_handlers": {TooManyRequestsException: _too_many}}


async def _link_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, words: dict[str, str], *, token: str = "", spent: str = ""
) -> Template:
    status = 410 if spent else 200
    return await page(
        "confirm_email.html", request, db, viewer, status_code=status, token=token, spent=spent, errors={}, **words
    )


async def _open(request: Request[Any, Any, Any], db: Db, viewer: Viewer, purpose: str) -> Template:
    words = CONFIRM if purpose == email_links.CONFIRM_EMAIL else CHANGE
    token = request.query_params.get("token", "")
    try:
        await confirmation.check_link(db, token, purpose)
    except DomainError as exc:
        return await _link_page(request, db, viewer, words, spent=exc.message)
    return await _link_page(request, db, viewer, words, token=token)


@get("/confirm-email", summary="Confirm your address", include_in_schema=False)
async def confirm_form(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    return await _open(request, db, viewer, email_links.CONFIRM_EMAIL)


@post("/confirm-email", summary="Confirm your address and sign in", include_in_schema=False, **LIMITED)
async def confirm(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings
) -> Template | Redirect:
    token = str((await read_form(request)).get("token", ""))
    try:
        async with db.begin_nested():
            person, outcome = await confirmation.confirm(db, token)
            if outcome == "requested":
                await affiliation_mail.mail_request(db, settings, person)
    except DomainError as exc:
        return await _link_page(request, db, viewer, CONFIRM, spent=exc.message)
    await auth.start_session(request, person)
    return see_other("/networks?confirmed=1")


@post("/confirm-email/resend", summary="Send the confirmation link again", include_in_schema=False, **LIMITED)
async def resend(request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings) -> Template:
    email = str((await read_form(request)).get("email", "")).strip()
    try:
        msgspec.convert(email, Email)
    except msgspec.ValidationError:
        message = "Enter the email address you signed up with, like name@trust.org.uk."
        return await page(
            "check_email.html", request, db, viewer, status_code=422,
            errors={"resend_email": message}, message=message, sent="", resend_email=email,
        )  # fmt: skip
    await send_confirmation_again(db, settings, email)
    return await page("check_email.html", request, db, viewer, errors={}, message="", sent=RESENT, resend_email=email)


@get("/change-email", summary="Confirm your new address", include_in_schema=False)
async def change_form(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    return await _open(request, db, viewer, email_links.CHANGE_EMAIL)


@post("/change-email", summary="Move your account to the new address", include_in_schema=False, **LIMITED)
async def change(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    token = str((await read_form(request)).get("token", ""))
    try:
        async with db.begin_nested():
            person = await confirmation.complete_change(db, token)
    except email_links.LinkNotValid as exc:
        return await _link_page(request, db, viewer, CHANGE, spent=exc.message)
    except DomainError as exc:
        refused = await _link_page(request, db, viewer, CHANGE, spent=exc.message)
        refused.status_code = exc.status
        return refused
    await auth.start_session(request, person)
    return see_other("/account?done=email#email")


handlers = [confirm_form, confirm, resend, change_form, change]
