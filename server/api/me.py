"""The signed-in person, their tokens, and organisations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from events.log import revoke_after_commit
from events.signals import Revocation
from network.inputs import Input
from network.people import accounts, organisations
from network.views import MeView, OrganisationDetail, me_view, organisation_detail
from server.deps import Db, Me


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
