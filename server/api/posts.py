"""One post and what hangs off it: edits and revisions, replies, reactions, offers, closing a request."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.content import offers, posts, reactions, replies, reply_edits
from network.engagements import lifecycle
from network.enums import ReactionKind
from network.inputs import CloseInput, OfferInput, PostEdit, ReactionInput, ReplyInput
from network.search import related
from network.search.related import RelatedPost
from network.views import (
    OfferView,
    Page,
    PostView,
    ReactionCounts,
    ReplyRevisionView,
    ReplyView,
    RevisionView,
    offer_view,
    reply_view,
)
from server.api.params import Cursor, Limit
from server.deps import Db, Me


class PostController(Controller):
    path = "/posts"
    tags = ["posts"]

    @get("/{post_id:int}", summary="One practice or request")
    async def detail(self, db: Db, person: Me, post_id: FromPath[int]) -> PostView:
        access, post_ = await posts.open_post(db, post_id, person)
        return await posts.describe_post(db, post_, access.network.slug)

    @patch("/{post_id:int}", summary="Edit a post (the previous version is kept)")
    async def edit(self, db: Db, person: Me, post_id: FromPath[int], data: JSONBody[PostEdit]) -> PostView:
        access, post_ = await posts.open_post(db, post_id, person)
        await posts.edit_post(db, access, post_, data)
        return await posts.describe_post(db, post_, access.network.slug)

    @get(
        "/{post_id:int}/related",
        summary="For a request, practice that may help; for a practice, open requests it could answer",
        description="Only from networks you may read; an empty list when nothing relevant is found.",
    )
    async def related_posts(self, db: Db, person: Me, post_id: FromPath[int]) -> list[RelatedPost]:
        _access, post_ = await posts.open_post(db, post_id, person)
        return await related.related(db, person, post_)

    @get("/{post_id:int}/revisions", summary="Earlier versions, newest first")
    async def revisions(self, db: Db, person: Me, post_id: FromPath[int]) -> list[RevisionView]:
        access, post_ = await posts.open_post(db, post_id, person)
        return await posts.revisions(db, access, post_)

    @post("/{post_id:int}/close", status_code=HTTP_200_OK, summary="Close a request with its outcome")
    async def close(self, db: Db, person: Me, post_id: FromPath[int], data: JSONBody[CloseInput]) -> PostView:
        access, post_ = await posts.open_post(db, post_id, person)
        await posts.close_request(db, access, post_, data.outcome)
        return await posts.describe_post(db, post_, access.network.slug)

    @get("/{post_id:int}/replies", summary="Replies, oldest first")
    async def list_replies(
        self, db: Db, person: Me, post_id: FromPath[int], cursor: Cursor = None, limit: Limit = 50
    ) -> Page:
        access, post_ = await posts.open_post(db, post_id, person)
        return await replies.list_replies(db, access, post_, cursor=cursor, limit=limit)

    @post("/{post_id:int}/replies", status_code=HTTP_201_CREATED, summary="Reply")
    async def reply(self, db: Db, person: Me, post_id: FromPath[int], data: JSONBody[ReplyInput]) -> ReplyView:
        access, post_ = await posts.open_post(db, post_id, person)
        return reply_view(await replies.add_reply(db, access, post_, data))

    @patch("/{post_id:int}/replies/{reply_id:int}", summary="Edit your reply (the previous text is kept)")
    async def edit_reply(
        self, db: Db, person: Me, post_id: FromPath[int], reply_id: FromPath[int], data: JSONBody[ReplyInput]
    ) -> ReplyView:
        access, post_ = await posts.open_post(db, post_id, person)
        reply_ = await replies.open_reply(db, access, post_, reply_id)
        return reply_view(await reply_edits.edit_reply(db, access, post_, reply_, data))

    @delete(
        "/{post_id:int}/replies/{reply_id:int}",
        status_code=HTTP_200_OK,
        summary="Delete your reply (it stays in the thread as deleted, without its text)",
    )
    async def delete_reply(self, db: Db, person: Me, post_id: FromPath[int], reply_id: FromPath[int]) -> ReplyView:
        access, post_ = await posts.open_post(db, post_id, person)
        reply_ = await replies.open_reply(db, access, post_, reply_id)
        return reply_view(await reply_edits.delete_reply(db, access, post_, reply_))

    @get("/{post_id:int}/replies/{reply_id:int}/revisions", summary="A reply's earlier versions, newest first")
    async def reply_revisions(
        self, db: Db, person: Me, post_id: FromPath[int], reply_id: FromPath[int]
    ) -> list[ReplyRevisionView]:
        access, post_ = await posts.open_post(db, post_id, person)
        reply_ = await replies.open_reply(db, access, post_, reply_id)
        return (await reply_edits.revisions(db, access, {reply_.id: reply_.author_id})).get(reply_.id, [])

    @post("/{post_id:int}/reactions", status_code=HTTP_200_OK, summary="React: useful / tried it")
    async def react(self, db: Db, person: Me, post_id: FromPath[int], data: JSONBody[ReactionInput]) -> ReactionCounts:
        access, post_ = await posts.open_post(db, post_id, person)
        return await reactions.react(db, access, post_, data.kind)

    @delete("/{post_id:int}/reactions/{kind:str}", status_code=HTTP_200_OK, summary="Take a reaction back")
    async def unreact(self, db: Db, person: Me, post_id: FromPath[int], kind: FromPath[ReactionKind]) -> ReactionCounts:
        access, post_ = await posts.open_post(db, post_id, person)
        return await reactions.unreact(db, access, post_, kind)

    @get("/{post_id:int}/offers", summary="Offers on a request")
    async def list_offers(self, db: Db, person: Me, post_id: FromPath[int]) -> list[OfferView]:
        _, post_ = await posts.open_post(db, post_id, person)
        return await offers.list_offers(db, post_)

    @post("/{post_id:int}/offers", status_code=HTTP_201_CREATED, summary="Offer help on a request")
    async def make_offer(self, db: Db, person: Me, post_id: FromPath[int], data: JSONBody[OfferInput]) -> OfferView:
        access, post_ = await posts.open_post(db, post_id, person)
        return offer_view(await offers.make_offer(db, access, post_, data))


class OfferController(Controller):
    path = "/offers"
    tags = ["offers"]

    @post(
        "/{offer_id:int}/accept",
        status_code=HTTP_200_OK,
        summary="Accept an offer (the requesting organisation); its engagement opens",
    )
    async def accept(self, db: Db, person: Me, offer_id: FromPath[int]) -> OfferView:
        access, post_, offer = await offers.open_offer(db, offer_id, person)
        await lifecycle.accept_offer(db, access, post_, offer)  # and its engagement opens
        return offer_view(offer)

    @post(
        "/{offer_id:int}/decline",
        status_code=HTTP_200_OK,
        summary="Decline an offer (the requesting organisation)",
    )
    async def decline(self, db: Db, person: Me, offer_id: FromPath[int]) -> OfferView:
        access, post_, offer = await offers.open_offer(db, offer_id, person)
        return offer_view(await offers.decline_offer(db, access, post_, offer))

    @post("/{offer_id:int}/withdraw", status_code=HTTP_200_OK, summary="Withdraw your offer")
    async def withdraw(self, db: Db, person: Me, offer_id: FromPath[int]) -> OfferView:
        access, post_, offer = await offers.open_offer(db, offer_id, person)
        return offer_view(await offers.withdraw_offer(db, access, post_, offer))
