"""Sign up, sign in and sign out in the browser: plain forms, POST-redirect-GET, the API's rules and messages.

The forms' fields are checked one by one against the limits in `network.inputs` (so every
mistake is reported at once, beside its field) and then handed to the same services the JSON
API calls. A refused form is shown again with what was typed, never the password. Sign-in and
sign-up share the API's limits: the per-address limit (`server.throttle`, the same counter as
`/api/v1/auth/*`) and the counts of failed sign-ins per account and address (the same counts
as the API's sign-in). Signing up shows "check your email", the same page whether or not the address
had an account (`network/people/confirmation.py`); an account that has not confirmed its address
is refused sign-in, with a form to send the link again. Signing in starts a new session and ends
the one this browser had; signing out ends the session and closes its live sockets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.types import ASGIApp, Receive, Scope, Send

from events.signals import Revocation
from network.enums import OrgKind
from network.errors import DomainError, NotFound
from network.inputs import Email, Name, OrganisationInput, OrgName, Password, RegisterInput
from network.models import Organisation, Person
from network.people import accounts, confirmation, organisations
from server import auth, throttle
from server.api.email_confirmation import send_sign_up_mail, signed_up
from server.deps import AppSettings, Db, Viewer
from server.settings import Settings
from web.render import page

AFTER_SIGN_IN = "/networks"
BAD_CREDENTIALS = "Email or password is wrong, or the account is disabled."  # the API's words: no enumeration
ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.MULTI_ACADEMY_TRUST: "Multi-academy trust",
    OrgKind.SINGLE_ACADEMY_TRUST: "Single-academy trust",
    OrgKind.DIOCESE: "Diocese",
    OrgKind.LOCAL_AUTHORITY: "Local authority",
    OrgKind.FEDERATION: "Federation",
    OrgKind.OTHER_GROUP: "Other group of schools",
    OrgKind.REGULATOR: "Regulator (observes only)",
    OrgKind.GOVERNMENT: "Government (observes only)",
}
# what sign-up offers: never a regulator or government organisation (a platform admin adds those)
SIGNUP_KINDS: dict[OrgKind, str] = {kind: label for kind, label in ORG_KIND_LABELS.items() if not kind.observer_only}
# a domain error's field names (as in the API) -> the form's field names
_FORM_FIELDS = {"organisation.name": "organisation_name", "organisation.kind": "organisation_kind"}


class AddressLimit:
    """`throttle.address_limit` on a page's POST, sized from the app's settings when the first request comes.

    The pages are declared before any settings exist, so the limit cannot be built with them; it
    is the same middleware class and store as the API's, so both share one count per address.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.limited: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limited is None:
            settings: Settings = scope["litestar_app"].state.settings
            self.limited = throttle.address_limit(settings.login_attempts_per_minute).middleware(self.app)
        await self.limited(scope, receive, send)


def safe_next(value: object) -> str | None:
    """A path on this site to go to after signing in, or None (never another site: no open redirect)."""
    if not isinstance(value, str) or not value or len(value) > 1000:
        return None
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def see_other(path: str) -> Redirect:
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


def _text(form: FormMultiDict, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _valid(value: Any, kind: Any) -> bool:
    try:
        msgspec.convert(value, kind)
    except msgspec.ValidationError:
        return False
    return True


def _too_many(request: Request[Any, Any, Any], exc: TooManyRequestsException) -> Response[Any]:
    """The per-address limit refused a sign-in or sign-up form: say so on the page, as the API would."""
    signup = request.url.path.startswith("/signup")
    context: dict[str, Any] = {
        "viewer": None,
        "unread": 0,
        "path": request.url.path,
        "values": {},
        "errors": {},
        "message": exc.detail,
        "next": None,
    }
    if signup:
        context |= {"organisations": [], "kinds": SIGNUP_KINDS}
    return Template(
        template_name="signup.html" if signup else "signin.html",
        context=context,
        status_code=429,
        headers=dict(exc.headers or {}),
    )


LIMITED: dict[str, Any] = {"middleware": [AddressLimit], "exception_handlers": {TooManyRequestsException: _too_many}}


# ---- sign up -------------------------------------------------------------------------------------------


async def _organisations(db: Db, query: str) -> tuple[list[tuple[str, list[Organisation]]], int]:
    """The sign-up picker's organisations grouped by kind (open ones, no regulator or government one):
    all of them while the register is small, else those the search finds; and how many there are."""
    found, total = await organisations.signup_choices(db, query)
    groups: dict[OrgKind, list[Organisation]] = {}
    for org in found:
        groups.setdefault(OrgKind(org.kind), []).append(org)
    return [(ORG_KIND_LABELS[kind], groups[kind]) for kind in OrgKind if kind in groups], total


async def _signup_page(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Person | None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> Template:
    values = dict(values or {})
    query = values.get("organisation_query", "")
    grouped, total = await _organisations(db, query)
    if not values.get("organisation_choice"):
        values["organisation_choice"] = "existing" if total else "new"
    found = [org for _, orgs in grouped for org in orgs]
    if query and len(found) == 1 and not values.get("organisation_id"):
        values["organisation_id"] = str(found[0].id)  # the one match, chosen
    return await page(
        "signup.html",
        request,
        db,
        viewer,
        status_code=status_code,
        values=values,
        errors=errors or {},
        message=message,
        organisations=grouped,
        registered=total,
        searched=bool(query),
        found=len(found),
        kinds=SIGNUP_KINDS,
    )


@get("/signup", summary="Sign-up form")
async def signup_form(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    query = request.query_params.get("organisation_query", "")[:100]
    return await _signup_page(request, db, viewer, values={"organisation_query": query} if query else None)


def _check_signup(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["display_name"] or not _valid(values["display_name"], Name):
        errors["display_name"] = "Enter your name (up to 120 characters)."
    if not _valid(values["email"], Email):
        errors["email"] = "Enter your email address, like name@example.org."
    if not _valid(values["password"], Password):
        errors["password"] = "Choose a password of 10 to 200 characters."  # noqa: S105 - a message
    if values["organisation_choice"] == "existing":
        if not values["organisation_id"].isdigit():
            errors["organisation_id"] = "Choose your organisation from the list, or add it below."
    elif values["organisation_choice"] == "new":
        if not _valid(" ".join(values["organisation_name"].split()), OrgName):
            errors["organisation_name"] = "Give your organisation's full name (2 to 200 characters)."
        if not _valid(values["organisation_kind"], OrgKind):
            errors["organisation_kind"] = "Choose what kind of organisation it is."
        elif OrgKind(values["organisation_kind"]).observer_only:
            errors["organisation_kind"] = accounts.OBSERVER_ONLY_BY_ADMIN
    else:
        errors["organisation_choice"] = "Say whether your organisation is already listed or is new."
    return errors


@post("/signup", summary="Create an account; a link to confirm the address is mailed", **LIMITED)
async def signup(request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings) -> Template:
    form = await request.form()
    names = ("display_name", "email", "password", "organisation_choice", "organisation_id")
    values = {name: _text(form, name).strip() for name in (*names, "organisation_name", "organisation_kind")}
    values["organisation_query"] = _text(form, "organisation_query").strip()[:100]
    if _text(form, "find"):  # "Search the register": the page again with what it finds, nothing made
        kept = {k: v for k, v in values.items() if k not in ("password", "organisation_id")}
        return await _signup_page(request, db, viewer, values=kept | {"organisation_choice": "existing"})
    values["password"] = _text(form, "password")  # kept exactly as typed (spaces count)
    errors = _check_signup(values)
    organisation: OrganisationInput | None = None
    if not errors and values["organisation_choice"] == "existing":
        try:
            if len(values["organisation_id"]) >= 12:  # beyond any id, and beyond a 64-bit integer
                raise NotFound("No such organisation.")
            org = await accounts.get_organisation(db, int(values["organisation_id"]))
        except NotFound:
            errors["organisation_id"] = "That organisation is not in the list any more; choose another or add it."
        else:
            organisation = OrganisationInput(name=org.name, kind=OrgKind(org.kind))
    elif not errors:
        name = " ".join(values["organisation_name"].split())
        organisation = OrganisationInput(name=name, kind=OrgKind(values["organisation_kind"]))
    kept = {k: v for k, v in values.items() if k != "password"}
    if errors or organisation is None:
        message = "Check the highlighted answers." if len(errors) > 1 else next(iter(errors.values()), "")
        return await _signup_page(request, db, viewer, values=kept, errors=errors, message=message, status_code=422)
    data = RegisterInput(
        email=values["email"],
        password=values["password"],
        display_name=values["display_name"],
        organisation=organisation,
    )
    try:
        async with db.begin_nested():  # a refusal leaves nothing behind (not even a new organisation)
            outcome = await confirmation.sign_up(db, data)
    except DomainError as exc:
        fields = {_FORM_FIELDS.get(k, k): v for k, v in exc.fields.items()}
        if len(fields) <= 1:  # one field at fault: the whole message beside it ("Already registered." says less)
            fields = {next(iter(fields), "email"): exc.message}
        if values["organisation_choice"] == "existing" and fields.keys() & {"organisation_name", "organisation_kind"}:
            fields = {"organisation_id": exc.message}
        return await _signup_page(
            request, db, viewer, values=kept, errors=fields, message=exc.message, status_code=exc.status
        )
    await send_sign_up_mail(db, settings, outcome)  # the same page whether or not the address had an account
    return await page(
        "check_email.html", request, db, viewer, errors={}, message="",
        sent=signed_up(outcome.email), resend_email=outcome.email,
    )  # fmt: skip


# ---- sign in and out -----------------------------------------------------------------------------------


async def _signin_page(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Person | None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    next_path: str | None = None,
    status_code: int = 200,
    unconfirmed: bool = False,
) -> Template:
    return await page(
        "signin.html",
        request,
        db,
        viewer,
        status_code=status_code,
        values=values or {},
        errors=errors or {},
        message=message,
        next=next_path,
        unconfirmed=unconfirmed,
    )


@get("/signin", summary="Sign-in form")
async def signin_form(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, next: FromQuery[str | None] = None
) -> Template:
    return await _signin_page(request, db, viewer, next_path=safe_next(next))


@post("/signin", summary="Sign in; starts a new session", **LIMITED)
async def signin(request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings) -> Template | Redirect:
    form = await request.form()
    email = _text(form, "email").strip()
    password = _text(form, "password")
    next_path = safe_next(_text(form, "next"))
    kept = {"email": email}
    errors: dict[str, str] = {}
    if not _valid(email, Email):
        errors["email"] = "Enter your email address, like name@example.org."
    if not password:
        errors["password"] = "Enter your password."  # noqa: S105 - a message
    elif len(password) > 200:
        errors["password"] = "That password is too long to be right."  # noqa: S105 - a message
    if errors:
        message = "Check the highlighted answers." if len(errors) > 1 else next(iter(errors.values()))
        return await _signin_page(
            request, db, viewer, values=kept, errors=errors, message=message, next_path=next_path, status_code=422
        )
    normalised = accounts.normalise_email(email)
    try:
        await throttle.count_attempt(request, normalised, settings)
    except TooManyRequestsException as exc:
        refused = await _signin_page(
            request, db, viewer, values=kept, message=exc.detail, next_path=next_path, status_code=429
        )
        refused.headers.update(exc.headers or {})
        return refused
    person = await accounts.authenticate(db, normalised, password)
    if person is None:
        return await _signin_page(
            request, db, viewer, values=kept, message=BAD_CREDENTIALS, next_path=next_path, status_code=400
        )
    await throttle.clear_failures(request, normalised)
    if await confirmation.awaiting(db, person):
        return await _signin_page(
            request, db, viewer, values=kept, message=confirmation.UNCONFIRMED, next_path=next_path,
            status_code=403, unconfirmed=True,
        )  # fmt: skip
    await auth.start_session(request, person)
    return see_other(next_path or AFTER_SIGN_IN)


@post("/signout", summary="Sign out", opt={throttle.SKIP_OPT: True})
async def signout(request: Request[Any, Any, Any]) -> Redirect:
    session_id = request.cookies.get(auth.SESSION_COOKIE)
    auth.sign_out(request)
    if session_id and session_id != "null":  # the session's live sockets close too, on every server
        await request.app.state.bus.publish([Revocation("session", auth.session_digest(session_id))])
    return see_other("/")


handlers = [signup_form, signup, signin_form, signin, signout]
