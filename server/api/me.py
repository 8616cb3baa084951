"""The signed-in person, their tokens, and organisations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from events.log import revoke_after_commit
from events.signals import Revocation
from network.errors import NotFound
from network.inputs import EmailChange, Input, NameChange, PasswordChange
from network.models import Person
from network.people import accounts, confirmation, mail_settings, my_data, organisations
from network.views import MeView, OrganisationDetail, me_view, organisation_detail
from server import auth, leaving, session_list
from server.api.email_confirmation import Accepted, change_sent, send_change_mail
from server.deps import AppSettings, Db, Me


class DeleteAccountInput(Input):
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    remove_content: bool = False  # remove my posts and replies too


class TokenInput(Input):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]


class NewToken(msgspec.Struct):
    id: int
    name: str
    token: str  # shown once; only its digest is stored


class TokenView(msgspec.Struct):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class MeController(Controller):
    path = "/me"
    tags = ["me"]

    @get("/", summary="Who I am")
    async def me(self, person: Me) -> MeView:
        return me_view(person)

    @get(
        "/data",
        summary="Download what the platform holds about me (UK GDPR's right of access), as JSON",
        response_headers=[ResponseHeader(name="Content-Disposition", value="attachment; filename=my-data.json")],
    )
    async def download_my_data(self, db: Db, person: Me) -> dict[str, Any]:
        return await my_data.personal_data(db, person)

    @get("/mail-settings", summary="What I am emailed: each kind of email when away, my digest, its phases and themes")
    async def read_mail_settings(self, person: Me) -> mail_settings.MailSettingsView:
        return mail_settings.view(person)

    @patch("/mail-settings", summary="Change what I am emailed (fields left out stay as they are)")
    async def change_mail_settings(
        self, db: Db, person: Me, data: JSONBody[mail_settings.MailSettingsInput]
    ) -> mail_settings.MailSettingsView:
        return await mail_settings.save(db, person, data)

    @patch("/", summary="Change my name")
    async def rename(self, db: Db, person: Me, data: JSONBody[NameChange]) -> MeView:
        return me_view(await accounts.rename(db, person, data))

    @post(
        "/password",
        status_code=HTTP_204_NO_CONTENT,
        summary="Change my password (the current one is needed); every other session of mine ends",
    )
    async def change_password(
        self, request: Request[Any, Any, Any], db: Db, person: Me, data: JSONBody[PasswordChange]
    ) -> None:
        await accounts.change_password(db, person, data)
        if auth.bearer_token(request) is None:
            auth.keep_signed_in(request, person)

    @post(
        "/email",
        status_code=HTTP_202_ACCEPTED,
        summary="Move my account to a new address (the current password is needed): a link goes to it",
    )
    async def change_email(self, db: Db, person: Me, data: JSONBody[EmailChange], settings: AppSettings) -> Accepted:
        started = await confirmation.start_change(db, person, data)
        await send_change_mail(db, settings, person, started)
        return Accepted(change_sent(started.new_email))

    @post(
        "/sessions/end-others",
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign out everywhere else: end every other session of mine (API tokens stay; revoke them one by one)",
    )
    async def end_other_sessions(self, request: Request[Any, Any, Any], db: Db, person: Me) -> None:
        await accounts.end_sessions(db, person)
        if auth.bearer_token(request) is None:
            auth.keep_signed_in(request, person)  # this session goes on, in the new generation

    @get("/sessions", summary="Where I am signed in: each session's start, last use, browser and address")
    async def list_sessions(self, request: Request[Any, Any, Any], person: Me) -> list[session_list.SessionView]:
        current = None if auth.bearer_token(request) else request.cookies.get(auth.SESSION_COOKIE)
        return await session_list.listed(request.scope, person, current)

    @post(
        "/sessions/{session_id:str}/end",
        status_code=HTTP_204_NO_CONTENT,
        summary="End one of my sessions (its live sockets close too)",
    )
    async def end_session(self, request: Request[Any, Any, Any], person: Me, session_id: FromPath[str]) -> None:
        await end_one_session(request, person, session_id)

    @delete(
        "/",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete my account (the password is needed): my personal data goes and every session ends; "
        "my posts and replies stay as a former member's of my organisation, unless I ask for them to be removed",
    )
    async def delete_account(
        self, request: Request[Any, Any, Any], db: Db, person: Me, data: JSONBody[DeleteAccountInput]
    ) -> None:
        await leaving.delete_account(request, db, person, password=data.password, remove_content=data.remove_content)


async def end_one_session(request: Request[Any, Any, Any], person: Person, session_id: str) -> bool:
    """End one listed session; the asking one is signed out like any other (then True)."""
    if len(session_id) > 64:
        raise NotFound("No such session.")
    ended = await session_list.end(request.scope, person, session_id)
    this_one = ended == request.cookies.get(auth.SESSION_COOKIE)
    if this_one:
        auth.sign_out(request)
    await request.app.state.bus.publish([Revocation("session", auth.session_digest(ended))])
    return this_one


class TokenController(Controller):
    path = "/tokens"
    tags = ["tokens"]

    @get("/", summary="My API tokens (never the secret)")
    async def list_tokens(self, db: Db, person: Me) -> list[TokenView]:
        tokens = await accounts.list_tokens(db, person)
        return [TokenView(t.id, t.name, t.prefix, t.created_at, t.last_used_at) for t in tokens]

    @post("/", status_code=HTTP_201_CREATED, summary="Create an API token; the token is shown once")
    async def create_token(self, db: Db, person: Me, data: JSONBody[TokenInput]) -> NewToken:
        token, raw = await accounts.create_token(db, person, data.name)
        return NewToken(id=token.id, name=token.name, token=raw)

    @delete("/{token_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Revoke an API token")
    async def revoke_token(self, db: Db, person: Me, token_id: FromPath[int]) -> None:
        await accounts.revoke_token(db, person, token_id)
        revoke_after_commit(db, Revocation("token", str(token_id)))  # its live sockets close too


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["organisations"]

    @get("/", summary="Organisations, by name, with their region, status, register identifiers and domains")
    async def list_organisations(
        self, db: Db, q: Annotated[str, QueryParameter(max_length=100)] = ""
    ) -> list[OrganisationDetail]:
        found = await accounts.list_organisations(db, q)
        domains = await organisations.domains_of(db, (o.id for o in found))
        return [organisation_detail(o, domains.get(o.id, [])) for o in found]

    @get("/{organisation_id:int}", summary="One organisation")
    async def get_organisation(self, db: Db, organisation_id: FromPath[int]) -> OrganisationDetail:
        org = await accounts.get_organisation(db, organisation_id)
        return organisation_detail(org, (await organisations.domains_of(db, [org.id])).get(org.id, []))
