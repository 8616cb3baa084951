"""Offers of help on requests: made by another organisation, accepted or declined by the requester.

Accepting one offer matches the request; the other open offers stay open until the requester
declines them or their authors withdraw them, because a request may take several kinds of help.
Only one open offer per organisation per request (also a partial unique index).

Each change locks the request's row, then the offer's, before it checks (network/locking.py):
two answers to one offer, or two offers from one organisation, take turns, and the second is
refused with what the first did.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock, posts
from network.access import Access, open_network_by_id
from network.enums import ContentState, OfferStatus, PostKind, RequestStatus
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.inputs import OfferInput
from network.locking import lock_row
from network.models import Offer, Person, Post
from network.permissions import Action
from network.views import OfferView, offer_view, to_payload

ALREADY_OFFERED = "Your organisation already has an open offer on this request."


async def _lock(session: AsyncSession, post: Post, offer: Offer | None = None) -> None:
    """Hold the request, then the offer, as they are now (the objects are refreshed in place)."""
    if await lock_row(session, Post, post.id) is None:
        raise NotFound(f"No post {post.id}.")
    if offer is not None and await lock_row(session, Offer, offer.id) is None:
        raise NotFound(f"No offer {offer.id}.")


async def make_offer(session: AsyncSession, access: Access, post: Post, data: OfferInput) -> Offer:
    access.require(Action.CONTRIBUTE)
    author = access.person
    assert author is not None
    await _lock(session, post)
    if post.kind is not PostKind.REQUEST:
        raise Invalid("Offers are made on requests, not practices.", fields={"post": "Not a request."})
    if post.state is not ContentState.VISIBLE or post.locked:
        raise Forbidden("This request is not open for offers.")
    if post.status is RequestStatus.CLOSED:
        raise Conflict("This request is closed.")
    if author.organisation_id == post.organisation_id:
        raise Forbidden("Offers come from other organisations; you cannot offer on your own organisation's request.")
    if not data.message.strip():
        raise Invalid("Say what you can offer.", fields={"message": "Required."})
    existing = await session.execute(
        select(Offer.id).where(
            Offer.post_id == post.id,
            Offer.organisation_id == author.organisation_id,
            Offer.status == OfferStatus.OPEN,
        )
    )
    if existing.first() is not None:
        raise Conflict(ALREADY_OFFERED)
    offer = Offer(post_id=post.id, author=author, organisation_id=author.organisation_id, message=data.message)
    session.add(offer)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # the partial unique index: the request's lock was not taken somewhere
        raise Conflict(ALREADY_OFFERED) from exc
    await posts.move_to_discussion(session, post)
    await session.flush()
    await _publish(session, access, post, offer, "offer.made")
    await activity.notify(
        session,
        post.author_id,
        "offer.made",
        {
            "post_id": post.id,
            "title": post.title,
            "offer_id": offer.id,
            "organisation": author.organisation.name,
        },
        network=access.network,
        actor=author,
    )
    return offer


async def _publish(session: AsyncSession, access: Access, post: Post, offer: Offer, kind: str) -> None:
    await activity.record(session, access.network, kind, {"offer": to_payload(offer_view(offer))}, access.person)
    view = await posts.describe_post(session, post, access.network.slug)
    await activity.record(session, access.network, "post.updated", {"post": to_payload(view)}, access.person)


async def open_offer(session: AsyncSession, offer_id: int, person: Person | None) -> tuple[Access, Post, Offer]:
    offer = await session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(f"No offer {offer_id}.")
    post = await session.get(Post, offer.post_id)
    assert post is not None
    try:
        access = await open_network_by_id(session, post.network_id, person)
    except NotFound:
        raise NotFound(f"No offer {offer_id}.") from None
    if not posts.can_see_post(access, post):
        raise NotFound(f"No offer {offer_id}.")
    return access, post, offer


def _require_requester(access: Access, post: Post) -> Person:
    actor = access.person
    assert actor is not None
    access.require(Action.CONTRIBUTE)
    if actor.organisation_id != post.organisation_id:
        raise Forbidden("Only the requesting organisation may accept or decline offers.")
    return actor


def _still_open(offer: Offer) -> None:
    if offer.status is not OfferStatus.OPEN:
        raise Conflict(f"This offer was already {offer.status.value}.")


async def accept_offer(session: AsyncSession, access: Access, post: Post, offer: Offer) -> Offer:
    actor = _require_requester(access, post)
    await _lock(session, post, offer)
    _still_open(offer)
    if post.status is RequestStatus.CLOSED:
        raise Conflict("This request is closed.")
    offer.status = OfferStatus.ACCEPTED
    offer.decided_at = clock.now()
    offer.decided_by_id = actor.id
    post.status = RequestStatus.MATCHED
    await session.flush()
    await _publish(session, access, post, offer, "offer.accepted")
    await activity.notify(
        session,
        offer.author_id,
        "offer.accepted",
        {"post_id": post.id, "title": post.title, "offer_id": offer.id},
        network=access.network,
        actor=actor,
    )
    return offer


async def decline_offer(session: AsyncSession, access: Access, post: Post, offer: Offer) -> Offer:
    actor = _require_requester(access, post)
    await _lock(session, post, offer)
    _still_open(offer)
    offer.status = OfferStatus.DECLINED
    offer.decided_at = clock.now()
    offer.decided_by_id = actor.id
    await session.flush()
    await _publish(session, access, post, offer, "offer.declined")
    await activity.notify(
        session,
        offer.author_id,
        "offer.declined",
        {"post_id": post.id, "title": post.title, "offer_id": offer.id},
        network=access.network,
        actor=actor,
    )
    return offer


async def withdraw_offer(session: AsyncSession, access: Access, post: Post, offer: Offer) -> Offer:
    actor = access.person
    assert actor is not None
    if offer.author_id != actor.id:
        raise Forbidden("Only the person who made an offer may withdraw it.")
    await _lock(session, post, offer)
    _still_open(offer)
    offer.status = OfferStatus.WITHDRAWN
    offer.decided_at = clock.now()
    offer.decided_by_id = actor.id
    await session.flush()
    await _publish(session, access, post, offer, "offer.withdrawn")
    await activity.notify(
        session,
        post.author_id,
        "offer.withdrawn",
        {"post_id": post.id, "title": post.title, "offer_id": offer.id, "organisation": actor.organisation.name},
        network=access.network,
        actor=actor,
    )
    return offer


async def list_offers(session: AsyncSession, post: Post) -> list[OfferView]:
    result = await session.execute(select(Offer).where(Offer.post_id == post.id).order_by(Offer.id))
    return [offer_view(o) for o in result.scalars()]
