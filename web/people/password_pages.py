"""A forgotten password: ask for a link by email, then choose a new password through it.

Asking answers the same whether or not the address has an account (server/api/auth.py
`send_password_reset` queues the mail only when one does). The link works once, for an hour;
using it ends every session of the person and signs this browser in.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.exceptions import TooManyRequestsException
from litestar.response import Redirect, Template

from network.errors import DomainError, Invalid
from network.inputs import Email
from network.people import accounts, email_links
from server import auth
from server.api.auth import RESET_SENT, send_password_reset
from server.deps import AppSettings, Db, Viewer
from web.forms import read_form, see_other
from web.people.auth_pages import AddressLimit
from web.render import page


def _too_many(request: Request[Any, Any, Any], exc: TooManyRequestsException) -> Response[Any]:
    context: dict[str, Any] = {
        "viewer": None,
        "unread": 0,
        "path": request.url.path,
        "values": {},
        "errors": {},
        "message": exc.detail,
    }
    return Template(
        template_name="forgot_password.html", context=context, status_code=429, headers=dict(exc.headers or {})
    )


LIMITED: dict[str, Any] = {"middleware": [AddressLimit], "exception_handlers": {TooManyRequestsException: _too_many}}


@get("/forgot-password", summary="Ask for a password reset link", include_in_schema=False)
async def forgot_form(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    return await page("forgot_password.html", request, db, viewer, values={}, errors={}, message="")


@post("/forgot-password", summary="Send a password reset link", include_in_schema=False, **LIMITED)
async def forgot(request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings) -> Template:
    email = str((await read_form(request)).get("email", "")).strip()
    try:
        msgspec.convert(email, Email)
    except msgspec.ValidationError:
        message = "Enter the email address you signed up with, like name@trust.org.uk."
        return await page(
            "forgot_password.html", request, db, viewer, status_code=422,
            values={"email": email}, errors={"email": message}, message=message,
        )  # fmt: skip
    await send_password_reset(db, settings, email)
    return await page("forgot_password.html", request, db, viewer, values={}, errors={}, message="", sent=RESET_SENT)


async def _spent(request: Request[Any, Any, Any], db: Db, viewer: Viewer, why: str) -> Template:
    """The link is unknown, used or expired (410): say so, and offer to send a new one."""
    return await page(
        "reset_password.html", request, db, viewer, status_code=410, spent=why, token="", errors={}, message=""
    )


@get("/reset-password", summary="Choose a new password", include_in_schema=False)
async def reset_form(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    token = request.query_params.get("token", "")
    try:
        await email_links.find(db, token, email_links.PASSWORD_RESET)
    except DomainError as exc:
        return await _spent(request, db, viewer, exc.message)
    return await page("reset_password.html", request, db, viewer, token=token, errors={}, message="", spent="")


@post("/reset-password", summary="Set the new password", include_in_schema=False, **LIMITED)
async def reset(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    form = await read_form(request)
    token, new = str(form.get("token", "")), str(form.get("new_password", ""))
    try:
        if not 10 <= len(new) <= 200:
            message = "Choose a password of 10 to 200 characters."
            raise Invalid(message, fields={"new_password": message})
        async with db.begin_nested():
            person = await accounts.reset_password(db, token, new)
    except email_links.LinkNotValid as exc:
        return await _spent(request, db, viewer, exc.message)
    except DomainError as exc:
        errors = dict(exc.fields) or {"new_password": exc.message}
        return await page(
            "reset_password.html",
            request,
            db,
            viewer,
            status_code=exc.status,
            token=token,
            errors=errors,
            message=exc.message,
            spent="",
        )
    await auth.start_session(request, person)
    return see_other("/account?done=password")


handlers = [forgot_form, forgot, reset_form, reset]
