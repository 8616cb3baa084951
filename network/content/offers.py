"""Offers of help on requests: made by another organisation, accepted or declined by the requester.

Accepting one offer matches the request; the other open offers stay open until the requester
declines them or their authors withdraw them, because a request may take several kinds of help.
Only one open offer per organisation per request (also a partial unique index).

Each change locks the request's row, then the offer's, before it checks (network/locking.py):
two answers to one offer, or two offers from one organisation, take turns, and the second is
refused with what the first did.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import Access, open_network_by_id
from network.content import posts
from network.enums import ContentState, OfferStatus, PostKind, RequestStatus
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, enforce
from network.event_kinds import EventKind
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


def offer_refusal(access: Access, post: Post, *, already_offered: bool) -> Refusal:
    """Whether the asker may offer help on the post: a reader who may contribute, on a shown, unlocked,
    unclosed request of another organisation, when their organisation has no open offer on it yet
    (`already_offered`: `has_open_offer`)."""
    refusal = posts.read_refusal(access, post) or access.refusal(Action.CONTRIBUTE)
    if refusal is not None:
        return refusal
    assert access.person is not None
    if post.kind is not PostKind.REQUEST:
        return Invalid("Offers are made on requests, not practices.", fields={"post": "Not a request."})
    if post.state is not ContentState.VISIBLE or post.locked:
        return Forbidden("This request is not open for offers.")
    if post.status is RequestStatus.CLOSED:
        return Conflict("This request is closed.")
    if access.person.organisation_id == post.organisation_id:
        return Forbidden("Offers come from other organisations; you cannot offer on your own organisation's request.")
    if already_offered:
        return Conflict(ALREADY_OFFERED)
    return None


async def has_open_offer(session: AsyncSession, post: Post, organisation_id: int) -> bool:
    """Whether the organisation has an open offer on the request."""
    existing = await session.execute(
        select(Offer.id).where(
            Offer.post_id == post.id,
            Offer.organisation_id == organisation_id,
            Offer.status == OfferStatus.OPEN,
        )
    )
    return existing.first() is not None


async def make_offer(session: AsyncSession, access: Access, post: Post, data: OfferInput) -> Offer:
    enforce(offer_refusal(access, post, already_offered=False))  # a refused reader takes no lock
    author = access.person
    assert author is not None
    await _lock(session, post)
    already = await has_open_offer(session, post, author.organisation_id)
    enforce(offer_refusal(access, post, already_offered=already))
    if not data.message.strip():
        raise Invalid("Say what you can offer.", fields={"message": "Required."})
    offer = Offer(post_id=post.id, author=author, organisation_id=author.organisation_id, message=data.message)
    session.add(offer)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # the partial unique index: the request's lock was not taken somewhere
        raise Conflict(ALREADY_OFFERED) from exc
    await posts.move_to_discussion(session, post)
    await session.flush()
    await _publish(session, access, post, offer, EventKind.OFFER_MADE)
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


async def _publish(session: AsyncSession, access: Access, post: Post, offer: Offer, kind: EventKind) -> None:
    await activity.record(session, access.network, kind, {"offer": to_payload(offer_view(offer))}, access.person)
    view = await posts.describe_post(session, post, access.network.slug)
    await activity.record(session, access.network, EventKind.POST_UPDATED, {"post": to_payload(view)}, access.person)


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
    enforce(offer_read_refusal(access, post, offer))
    return access, post, offer


def offer_read_refusal(access: Access, post: Post, offer: Offer) -> Refusal:
    """Whether the asker may read the offer: whoever may read its request. Never confirmed otherwise."""
    if offer.post_id == post.id and posts.read_refusal(access, post) is None:
        return None
    return NotFound(f"No offer {offer.id}.")


def _requester_refusal(access: Access, post: Post, offer: Offer) -> Refusal:
    refusal = offer_read_refusal(access, post, offer) or access.refusal(Action.CONTRIBUTE)
    if refusal is None and (access.person is None or access.person.organisation_id != post.organisation_id):
        refusal = Forbidden("Only the requesting organisation may accept or decline offers.")
    return refusal or _open_refusal(offer)


def _open_refusal(offer: Offer) -> Refusal:
    if offer.status is not OfferStatus.OPEN:
        return Conflict(f"This offer was already {offer.status.value}.")
    return None


def accept_refusal(access: Access, post: Post, offer: Offer) -> Refusal:
    """Whether the asker may accept the offer: someone of the requesting organisation who may contribute,
    while the offer is open and the request is not closed."""
    refusal = _requester_refusal(access, post, offer)
    if refusal is None and post.status is RequestStatus.CLOSED:
        refusal = Conflict("This request is closed.")
    return refusal


def decline_refusal(access: Access, post: Post, offer: Offer) -> Refusal:
    """Whether the asker may decline the offer: someone of the requesting organisation who may
    contribute, while the offer is open."""
    return _requester_refusal(access, post, offer)


def withdraw_refusal(access: Access, post: Post, offer: Offer) -> Refusal:
    """Whether the asker may withdraw the offer: the person who made it, while it is open."""
    refusal = offer_read_refusal(access, post, offer)
    if refusal is None and (access.person is None or offer.author_id != access.person.id):
        refusal = Forbidden("Only the person who made an offer may withdraw it.")
    return refusal or _open_refusal(offer)


@dataclass(frozen=True, slots=True)
class OfferPowers:
    """What the asker may do with one offer (each is its refusal function answering None)."""

    accept: bool
    decline: bool
    withdraw: bool


def may(access: Access, post: Post, offer: Offer) -> OfferPowers:
    return OfferPowers(
        accept=accept_refusal(access, post, offer) is None,
        decline=decline_refusal(access, post, offer) is None,
        withdraw=withdraw_refusal(access, post, offer) is None,
    )


async def accept_offer(session: AsyncSession, access: Access, post: Post, offer: Offer) -> Offer:
    enforce(accept_refusal(access, post, offer))  # a refused reader takes no lock
    await _lock(session, post, offer)
    enforce(accept_refusal(access, post, offer))  # and the request and the offer as they are now
    actor = access.person
    assert actor is not None
    offer.status = OfferStatus.ACCEPTED
    offer.decided_at = clock.now()
    offer.decided_by_id = actor.id
    post.status = RequestStatus.MATCHED
    await session.flush()
    await _publish(session, access, post, offer, EventKind.OFFER_ACCEPTED)
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
    enforce(decline_refusal(access, post, offer))
    await _lock(session, post, offer)
    enforce(decline_refusal(access, post, offer))
    actor = access.person
    assert actor is not None
    offer.status = OfferStatus.DECLINED
    offer.decided_at = clock.now()
    offer.decided_by_id = actor.id
    await session.flush()
    await _publish(session, access, post, offer, EventKind.OFFER_DECLINED)
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
    enforce(withdraw_refusal(access, post, offer))
    await _lock(session, post, offer)
    enforce(withdraw_refusal(access, post, offer))
    actor = access.person
    assert actor is not None
    offer.status = OfferStatus.WITHDRAWN
    offer.decided_at = clock.now()
    offer.decided_by_id = actor.id
    await session.flush()
    await _publish(session, access, post, offer, EventKind.OFFER_WITHDRAWN)
    await activity.notify(
        session,
        post.author_id,
        "offer.withdrawn",
        {"post_id": post.id, "title": post.title, "offer_id": offer.id, "organisation": actor.organisation.name},
        network=access.network,
        actor=actor,
    )
    return offer


async def offers_on(session: AsyncSession, post: Post) -> list[Offer]:
    """The request's offers, oldest first."""
    result = await session.execute(select(Offer).where(Offer.post_id == post.id).order_by(Offer.id))
    return list(result.scalars())


async def list_offers(session: AsyncSession, post: Post) -> list[OfferView]:
    return [offer_view(o) for o in await offers_on(session, post)]
