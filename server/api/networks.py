"""Networks: directory, details, joining, members, charter, invitations, and each network's posts."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, MediaType, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.serialization import encode_json
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from network.access import access_to, open_network
from network.content import feed_cache, posts
from network.content.feed_cache import FeedCache
from network.enums import EvidenceStrength, MemberState, Phase, PostKind, RequestStatus
from network.errors import NotFound
from network.governance import charter
from network.inputs import Answer, CharterInput, Email, FollowInput, Input, MemberChange, NetworkInput, PostInput
from network.people import membership, networks
from network.views import CharterView, MembershipView, MemberView, NetworkView, Page, PostView, member_view
from server.api.params import Cursor, Limit
from server.deps import Db, Me, Viewer


class JoinInput(Input):
    invitation: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    answers: Annotated[list[Answer], msgspec.Meta(max_length=5)] = []  # to the network's join questions


class JoinResult(msgspec.Struct):
    state: MemberState
    role: str


class InvitationInput(Input):
    email: Email


class InvitationView(msgspec.Struct):
    id: int
    email: str
    token: str  # shown once, to copy into a link
    expires_at: str


def encoded(page: bytes) -> Response[Page]:
    """A page already encoded as JSON, sent as it is (the annotation keeps the schema's Page)."""
    return Response(content=page, media_type=MediaType.JSON)  # type: ignore[arg-type]


class NetworkController(Controller):
    path = "/networks"
    tags = ["networks"]

    @get("/", summary="The network directory (what you may see)")
    async def directory(self, db: Db, viewer: Viewer) -> list[NetworkView]:
        return await networks.directory(db, viewer)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a network with its first lead (platform admins)")
    async def create(self, db: Db, person: Me, data: JSONBody[NetworkInput]) -> NetworkView:
        network = await networks.create_network(db, person, data)
        return await networks.describe(db, network, None)

    @get("/{slug:str}", summary="One network")
    async def detail(self, db: Db, viewer: Viewer, slug: FromPath[str]) -> NetworkView:
        access = await open_network(db, slug, viewer)
        return await networks.describe(db, access.network, access.membership)

    @post(
        "/{slug:str}/join",
        status_code=HTTP_200_OK,
        summary="Join, or ask to join, under the network's policy",
    )
    async def join(
        self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[JoinInput | None] = None
    ) -> JoinResult:
        network = await networks.get_by_slug(db, slug)
        m = await membership.join(
            db, network, person, data.invitation if data else None, answers=data.answers if data else None
        )
        return JoinResult(state=m.state, role=m.role.value)

    @post("/{slug:str}/leave", status_code=HTTP_204_NO_CONTENT, summary="Leave, or withdraw a join request")
    async def leave(self, db: Db, person: Me, slug: FromPath[str]) -> None:
        access = await access_to(db, await networks.get_by_slug(db, slug), person)
        await membership.leave(db, access)

    @get("/{slug:str}/members", summary="Members, leads and observers")
    async def members(self, db: Db, person: Me, slug: FromPath[str]) -> list[MemberView]:
        access = await open_network(db, slug, person)
        return [member_view(m, with_answers=access.is_lead) for m in await membership.list_members(db, access)]

    @patch("/{slug:str}/members/{person_id:int}", summary="Set a member's role or state (leads)")
    async def change_member(
        self, db: Db, person: Me, slug: FromPath[str], person_id: FromPath[int], data: JSONBody[MemberChange]
    ) -> MemberView:
        access = await open_network(db, slug, person)
        return member_view(await membership.change_member(db, access, person_id, data))

    @delete(
        "/{slug:str}/members/{person_id:int}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove a member (leads)",
    )
    async def remove_member(
        self,
        db: Db,
        person: Me,
        slug: FromPath[str],
        person_id: FromPath[int],
        reason: Annotated[str, QueryParameter(max_length=1000, description="Why (told to the person)")] = "",
    ) -> None:
        access = await open_network(db, slug, person)
        await membership.remove_member(db, access, person_id, reason)

    @put("/{slug:str}/follow", summary="How much of this network notifies me")
    async def follow(self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[FollowInput]) -> MembershipView:
        access = await open_network(db, slug, person)
        m = await membership.set_follow_level(db, access, data.level)
        return MembershipView(role=m.role, state=m.state, until=m.until, follow_level=m.follow_level)

    @post("/{slug:str}/invitations", status_code=HTTP_201_CREATED, summary="Invite an email address (leads)")
    async def invite(self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[InvitationInput]) -> InvitationView:
        access = await open_network(db, slug, person)
        invitation, token = await membership.invite(db, access, data.email)
        return InvitationView(invitation.id, invitation.email, token, invitation.expires_at.isoformat())

    @get("/{slug:str}/charter", summary="The current charter")
    async def get_charter(self, db: Db, person: Me, slug: FromPath[str]) -> CharterView:
        access = await open_network(db, slug, person)
        version = await charter.current_charter(db, access.network.id)
        if version is None:
            raise NotFound("This network has no charter yet.")
        return charter.charter_view(version)

    @get("/{slug:str}/charter/versions", summary="Every version of the charter, newest first")
    async def charter_versions(self, db: Db, person: Me, slug: FromPath[str]) -> list[CharterView]:
        access = await open_network(db, slug, person)
        return [charter.charter_view(v) for v in await charter.charter_history(db, access.network.id)]

    @put("/{slug:str}/charter", summary="Publish a new charter version (leads)")
    async def amend_charter(self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[CharterInput]) -> CharterView:
        access = await open_network(db, slug, person)
        return charter.charter_view(await charter.amend(db, access, data.body, data.note))

    @get("/{slug:str}/posts", summary="Practices and requests, newest first")
    async def list_posts(
        self,
        state: State,
        db: Db,
        person: Me,
        slug: FromPath[str],
        cursor: Cursor = None,
        limit: Limit = 30,
        kind: FromQuery[PostKind | None] = None,
        theme: Annotated[str | None, QueryParameter(max_length=40)] = None,
        phase: FromQuery[Phase | None] = None,
        evidence_strength: FromQuery[EvidenceStrength | None] = None,
        status: FromQuery[RequestStatus | None] = None,
    ) -> Response[Page]:
        access = await open_network(db, slug, person)
        filters = posts.Filters(
            kind=kind,
            theme=theme,
            phase=phase.value if phase else None,
            evidence_strength=evidence_strength.value if evidence_strength else None,
            status=status,
        )
        cache: FeedCache = state.feed_cache
        key = feed_cache.page_key(access, cursor, limit, filters)
        kept = cache.get(key) if key is not None else None
        if kept is not None and await feed_cache.still_shown(db, access, kept):
            return encoded(kept.page)
        page = await posts.list_posts(db, access, cursor=cursor, limit=limit, filters=filters)
        body = encode_json(page)
        entry = feed_cache.entry_for(page, body)
        if key is not None and entry is not None:
            cache.put(key, entry)
        return encoded(body)

    @post("/{slug:str}/posts", status_code=HTTP_201_CREATED, summary="Share a practice or make a request")
    async def create_post(self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[PostInput]) -> PostView:
        access = await open_network(db, slug, person)
        post_ = await posts.create_post(db, access, data)
        return posts.new_post_view(post_, access.network.slug)
