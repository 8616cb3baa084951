"""Register, sign in, sign out."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Router, post
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from network import accounts
from network.errors import DomainError, RateLimited
from network.inputs import Email, RegisterInput
from network.views import MeView, me_view
from server import auth, throttle
from server.deps import AppSettings, Db
from server.settings import Settings


class LoginInput(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class InvalidCredentials(DomainError):
    status = 401


@post("/register", status_code=HTTP_201_CREATED, summary="Create an account (and sign in)")
async def register(request: Request[Any, Any, Any], db: Db, data: JSONBody[RegisterInput]) -> MeView:
    person = await accounts.register(db, data)
    auth.sign_in(request, person)
    return me_view(person)


@post("/login", status_code=HTTP_200_OK, summary="Sign in; sets the session cookie")
async def login(request: Request[Any, Any, Any], db: Db, data: JSONBody[LoginInput], settings: AppSettings) -> MeView:
    store = request.app.stores.get("throttle")
    email = accounts.normalise_email(data.email)
    if await throttle.too_many_failures(store, email, settings.login_failures_per_account):
        raise RateLimited("Too many failed sign-ins for this account; try again in 15 minutes.")
    person = await accounts.authenticate(db, email, data.password)
    if person is None:
        await throttle.record_failure(store, email)
        raise InvalidCredentials("Email or password is wrong, or the account is disabled.")
    await throttle.clear_failures(store, email)
    auth.sign_in(request, person)
    return me_view(person)


@post("/logout", status_code=HTTP_204_NO_CONTENT, summary="Sign out; ends the session")
async def logout(request: Request[Any, Any, Any]) -> None:
    auth.sign_out(request)


def auth_router(settings: Settings) -> Router:
    per_address = RateLimitConfig(rate_limit=("minute", settings.login_attempts_per_minute), store="rate_limit")
    return Router(
        path="/auth",
        route_handlers=[register, login, logout],
        middleware=[per_address.middleware],
        tags=["auth"],
    )
