"""Sign up, sign in, sign out, a forgotten password (confirming addresses: `email_confirmation`)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Router, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from events.signals import Revocation
from network.errors import DomainError
from network.inputs import Email, Input, Password, RegisterInput
from network.people import accounts, confirmation
from network.views import MeView, me_view
from server import auth, throttle
from server.api.email_confirmation import Accepted, send_sign_up_mail, signed_up
from server.api.email_confirmation import handlers as confirmation_handlers
from server.deps import AppSettings, Db
from server.mail import messages, queue
from server.settings import Settings


class LoginInput(Input):
    email: Email
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class InvalidCredentials(DomainError):
    status = 401


@post(
    "/register",
    status_code=HTTP_202_ACCEPTED,
    summary="Sign up: the address is sent a link to confirm it (the same answer if it already has an account)",
)
async def register(db: Db, data: JSONBody[RegisterInput], settings: AppSettings) -> Accepted:
    outcome = await confirmation.sign_up(db, data)
    await send_sign_up_mail(db, settings, outcome)
    return Accepted(signed_up(outcome.email))


@post("/login", status_code=HTTP_200_OK, summary="Sign in; sets the session cookie")
async def login(request: Request[Any, Any, Any], db: Db, data: JSONBody[LoginInput], settings: AppSettings) -> MeView:
    email = accounts.normalise_email(data.email)
    await throttle.count_attempt(request, email, settings)  # 429 under the policy in server/throttle.py
    person = await accounts.authenticate(db, email, data.password)
    if person is None:
        raise InvalidCredentials("Email or password is wrong, or the account is disabled.")
    await throttle.clear_failures(request, email)
    if await confirmation.awaiting(db, person):  # said only to whoever knows the password
        raise confirmation.refuse_unconfirmed()
    await auth.start_session(request, person)
    return me_view(person)


@post(
    "/logout",
    status_code=HTTP_204_NO_CONTENT,
    summary="Sign out; ends the session",
    opt={throttle.SKIP_OPT: True},  # signing out is never rate-limited
)
async def logout(request: Request[Any, Any, Any]) -> None:
    session_id = request.cookies.get(auth.SESSION_COOKIE)
    auth.sign_out(request)
    if session_id:  # the session's live sockets close too, on every server
        await request.app.state.bus.publish([Revocation("session", auth.session_digest(session_id))])


class PasswordResetRequest(Input):
    email: Email


class PasswordResetInput(Input):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    new_password: Password


RESET_SENT = (
    "If an account uses this address, we have sent it a link to choose a new password. "
    "The link works once, for one hour."
)


@post(
    "/password-reset",
    status_code=HTTP_202_ACCEPTED,
    summary="Ask for a password reset link by email (the same answer whether or not the address has an account)",
)
async def request_password_reset(db: Db, data: JSONBody[PasswordResetRequest], settings: AppSettings) -> Accepted:
    await send_password_reset(db, settings, data.email)
    return Accepted(RESET_SENT)


async def send_password_reset(db: AsyncSession, settings: Settings, email: str) -> None:
    """Queue the reset mail, if an active account has this address (the page asks this too)."""
    found = await accounts.start_password_reset(db, accounts.normalise_email(email))
    if found is not None:
        person, raw = found
        message = messages.password_reset(settings, person.display_name, raw)
        await queue.enqueue_message(db, settings, message, to=person.email, person_id=person.id)


@post(
    "/password-reset/complete",
    status_code=HTTP_200_OK,
    summary="Choose a new password with the emailed link's token; every session ends, and this one begins",
)
async def complete_password_reset(
    request: Request[Any, Any, Any], db: Db, data: JSONBody[PasswordResetInput]
) -> MeView:
    person = await accounts.reset_password(db, data.token, data.new_password)
    await auth.start_session(request, person)
    return me_view(person)


def auth_router(settings: Settings) -> Router:
    per_address = throttle.address_limit(settings.login_attempts_per_minute)
    return Router(
        path="/auth",
        route_handlers=[
            register,
            login,
            logout,
            request_password_reset,
            complete_password_reset,
            *confirmation_handlers,
        ],
        middleware=[per_address.middleware],
        tags=["auth"],
    )
