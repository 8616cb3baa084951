"""A person's own account page: their name, address, password, sessions, API tokens, organisation and
networks, and deleting the account.

Each form posts to its own path and answers with POST-redirect-GET (`?done=` says what was done), or
the page again with the refusal beside the form and what was typed in it (never a password).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from events.log import revoke_after_commit
from events.signals import Revocation
from network.errors import DomainError, Invalid
from network.inputs import EmailChange, NameChange, PasswordChange
from network.models import Person
from network.people import accounts, affiliation, confirmation, my_data, networks
from server import auth, leaving, session_list
from server.api.email_confirmation import change_sent, send_change_mail
from server.api.me import end_one_session
from server.deps import AppSettings, Db, Viewer
from web.forms import read_form, see_other, sign_in_first
from web.render import page
from web.shared import when

DONE = {
    "name": "Your name is changed.",
    "password": "Your password is changed, and you are signed out everywhere else.",
    "sessions": "You are signed out everywhere else.",
    "session-ended": "That session is ended: it is signed out.",
    "email": "Your account has moved to its new address.",
    "token-revoked": "The token is revoked.",
}


async def _account_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    *,
    status_code: int = 200,
    form: str = "",
    errors: dict[str, str] | None = None,
    message: str = "",
    values: dict[str, str] | None = None,
    new_token: str = "",
    sent: str = "",
) -> Template:
    mine = [n for n in await networks.directory(db, viewer) if n.membership is not None]
    tokens = await accounts.list_tokens(db, viewer)
    sessions = await session_list.listed(request.scope, viewer, request.cookies.get(auth.SESSION_COOKIE))
    done = DONE.get(request.query_params.get("done", ""), "")
    pending = await confirmation.pending_change(db, viewer)
    return await page(
        "account.html",
        request,
        db,
        viewer,
        status_code=status_code,
        networks=mine,
        tokens=tokens,
        sessions=sessions,
        when=when,
        done=done,
        form=form,
        errors=errors or {},
        message=message,
        values=values or {},
        new_token=new_token,
        pending=pending,
        sent=sent,
        approver=viewer.is_admin or await affiliation.is_approver(db, viewer, viewer.organisation_id),
    )


def _refusal(exc: DomainError) -> tuple[str, dict[str, str]]:
    return exc.message, dict(exc.fields)


@get("/account", summary="Your account", include_in_schema=False)
async def account(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    return await _account_page(request, db, viewer)


@get("/account/data.json", summary="Download your data", include_in_schema=False)
async def download_data(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Response[dict[str, Any]] | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    return Response(
        await my_data.personal_data(db, viewer),
        headers={"Content-Disposition": "attachment; filename=my-data.json"},
    )


@post("/account/name", summary="Change your name", include_in_schema=False)
async def change_name(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    typed = str((await read_form(request)).get("display_name", ""))
    try:
        data = msgspec.convert({"display_name": typed}, NameChange)
        async with db.begin_nested():
            await accounts.rename(db, viewer, data)
    except msgspec.ValidationError:
        message = "Give your name, in at most 120 characters."
        return await _account_page(
            request,
            db,
            viewer,
            status_code=422,
            form="name",
            errors={"display_name": message},
            message=message,
            values={"display_name": typed},
        )
    except DomainError as exc:
        message, errors = _refusal(exc)
        await db.refresh(viewer)
        return await _account_page(
            request,
            db,
            viewer,
            status_code=exc.status,
            form="name",
            errors=errors,
            message=message,
            values={"display_name": typed},
        )
    return see_other("/account?done=name#name")


@post("/account/password", summary="Change your password", include_in_schema=False)
async def change_password(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    form = await read_form(request)
    current, new = str(form.get("current_password", "")), str(form.get("new_password", ""))
    try:
        if len(new) < 10:
            raise Invalid(
                "Choose a new password of at least 10 characters.", fields={"new_password": "At least 10 characters."}
            )
        data = msgspec.convert({"current_password": current or " ", "new_password": new}, PasswordChange)
        async with db.begin_nested():
            await accounts.change_password(db, viewer, data)
    except msgspec.ValidationError:
        message = "A password has at most 200 characters."
        return await _account_page(
            request, db, viewer, status_code=422, form="password", errors={"new_password": message}, message=message
        )
    except DomainError as exc:
        message, errors = _refusal(exc)
        return await _account_page(
            request, db, viewer, status_code=exc.status, form="password", errors=errors, message=message
        )
    auth.keep_signed_in(request, viewer)
    return see_other("/account?done=password#password")


@post("/account/email", summary="Move your account to a new address", include_in_schema=False)
async def change_email(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings
) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    form = await read_form(request)
    typed, current = str(form.get("new_email", "")).strip(), str(form.get("current_password", ""))
    try:
        data = msgspec.convert({"new_email": typed, "current_password": current or " "}, EmailChange)
        async with db.begin_nested():
            started = await confirmation.start_change(db, viewer, data)
            await send_change_mail(db, settings, viewer, started)
    except msgspec.ValidationError:
        message = "Enter the new email address, like name@trust.org.uk."
        return await _account_page(
            request, db, viewer, status_code=422, form="email", errors={"new_email": message}, message=message,
            values={"new_email": typed},
        )  # fmt: skip
    except DomainError as exc:
        message, errors = _refusal(exc)
        return await _account_page(
            request, db, viewer, status_code=exc.status, form="email", errors=errors, message=message,
            values={"new_email": typed},
        )  # fmt: skip
    return await _account_page(request, db, viewer, status_code=202, form="email", sent=change_sent(started.new_email))


@post("/account/sessions/end-others", summary="Sign out everywhere else", include_in_schema=False)
async def end_other_sessions(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Redirect:
    if viewer is None:
        return sign_in_first("/account")
    await accounts.end_sessions(db, viewer)
    auth.keep_signed_in(request, viewer)
    return see_other("/account?done=sessions#sessions")


@post("/account/sessions/{session_id:str}/end", summary="End one session", include_in_schema=False)
async def end_session(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, session_id: FromPath[str]
) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    try:
        this_one = await end_one_session(request, viewer, session_id)
    except DomainError as exc:
        message, errors = _refusal(exc)
        return await _account_page(
            request, db, viewer, status_code=exc.status, form="sessions", errors=errors, message=message
        )
    if this_one:
        return see_other("/")  # signed out
    return see_other("/account?done=session-ended#sessions")


@post("/account/delete", summary="Delete your account", include_in_schema=False)
async def delete_account(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    form = await read_form(request)
    password, remove_content = str(form.get("password", "")), form.get("remove_content") == "yes"
    try:
        if not password or len(password) > 200:
            message = "Give your password to delete your account."
            raise Invalid(message, fields={"delete_password": message})
        async with db.begin_nested():
            await leaving.delete_account(request, db, viewer, password=password, remove_content=remove_content)
    except DomainError as exc:
        message, errors = _refusal(exc)
        if "password" in errors:
            errors["delete_password"] = errors.pop("password")
        await db.refresh(viewer)
        return await _account_page(
            request,
            db,
            viewer,
            status_code=exc.status,
            form="delete",
            errors=errors,
            message=message,
            values={"remove_content": "yes" if remove_content else ""},
        )
    return see_other("/?goodbye=1")


@post("/account/tokens", summary="Create an API token", include_in_schema=False)
async def create_token(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    name = " ".join(str((await read_form(request)).get("name", "")).split())
    if not name or len(name) > 80:
        message = "Give the token a name of at most 80 characters, saying where it is used."
        return await _account_page(
            request,
            db,
            viewer,
            status_code=422,
            form="tokens",
            errors={"token_name": message},
            message=message,
            values={"token_name": name},
        )
    _, raw = await accounts.create_token(db, viewer, name)
    return await _account_page(request, db, viewer, status_code=201, form="tokens", new_token=raw)


@post("/account/tokens/{token_id:int}/revoke", summary="Revoke an API token", include_in_schema=False)
async def revoke_token(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, token_id: FromPath[int]
) -> Template | Redirect:
    if viewer is None:
        return sign_in_first("/account")
    try:
        async with db.begin_nested():
            await accounts.revoke_token(db, viewer, token_id)
    except DomainError as exc:
        message, errors = _refusal(exc)
        return await _account_page(
            request, db, viewer, status_code=exc.status, form="tokens", errors=errors, message=message
        )
    revoke_after_commit(db, Revocation("token", str(token_id)))  # its live sockets close too
    return see_other("/account?done=token-revoked#tokens")


handlers = [
    account,
    download_data,
    change_name,
    change_password,
    end_other_sessions,
    end_session,
    delete_account,
    change_email,
    create_token,
    revoke_token,
]
