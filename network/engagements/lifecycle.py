"""An engagement from the accepted offer that opens it to its close: the plan, each side's agreement,
stopping early, and closing with the request (docs/design.md §3.12).

Every change locks the engagement's row before it checks (network/locking.py); one that also closes the
request locks the request first, then the engagement, as an offer's change locks the request before the
offer (docs/integrity.md). A plan edit names the version it was made from: an edit of an earlier one is
refused with 409, the current plan and the text sent, never written over what came since.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import Access, access_to
from network.content import offers, posts
from network.engagements import rules, space
from network.engagements.models import Engagement, EngagementPerson, EngagementRevision
from network.engagements.space import Space
from network.engagements.views import EngagementView, summary_view
from network.enums import ClosedAs, EngagementState, RequestStatus, Side
from network.errors import Conflict, Invalid, NotFound, StaleEdit, enforce
from network.event_kinds import EventKind
from network.inputs import PlanEdit
from network.locking import lock_row
from network.models import Network, Offer, Organisation, Person, Post
from network.permissions import Action
from network.views import to_payload

PLAN_FIELDS = ("title", "aims", "activities", "starts_on", "expected_end_on", "next_check_in_on")


def plan_of(e: Engagement, people: list[EngagementPerson]) -> dict[str, Any]:
    """The plan as a revision keeps it: its fields, the listing choices and the named people."""
    plan: dict[str, Any] = msgspec.to_builtins({name: getattr(e, name) for name in PLAN_FIELDS})
    plan["unlisted"] = {"requester": e.requester_unlisted, "offerer": e.offerer_unlisted}
    plan["people"] = [{"person_id": p.person_id, "side": p.side.value} for p in people]
    return plan


async def _keep_revision(session: AsyncSession, e: Engagement, editor: Person) -> None:
    await session.flush()
    plan = plan_of(e, await space.people_of(session, e.id))
    session.add(
        EngagementRevision(
            engagement_id=e.id, version=e.version, editor_id=editor.id, plan=plan, created_at=clock.now()
        )
    )


async def accept_offer(session: AsyncSession, access: Access, post: Post, offer: Offer) -> Engagement:
    """Accept an offer (network/content/offers.py) and open its engagement, in the one transaction: every
    accepted offer has its engagement."""
    await offers.accept_offer(session, access, post, offer)
    return await open_for(session, access, post, offer)


async def open_for(session: AsyncSession, access: Access, post: Post, offer: Offer) -> Engagement:
    """The engagement of an offer just accepted (the request and the offer are locked): proposed, titled
    after the request, naming the offer's author, the person who accepted, and the request's author if
    they are someone else of the requesting organisation."""
    actor = access.person
    assert actor is not None
    requesting = await session.get(Organisation, post.organisation_id)
    offering = await session.get(Organisation, offer.organisation_id)
    assert requesting is not None and offering is not None
    engagement = Engagement(
        network_id=access.network.id,
        request_id=post.id,
        offer_id=offer.id,
        requesting_organisation_id=requesting.id,
        offering_organisation_id=offering.id,
        requesting_organisation=requesting,
        offering_organisation=offering,
        title=post.title,
    )
    session.add(engagement)
    await session.flush()
    named: dict[int, tuple[Person, Side]] = {offer.author_id: (offer.author, Side.OFFERER)}
    named.setdefault(actor.id, (actor, Side.REQUESTER))
    if post.author.organisation_id == post.organisation_id:
        named.setdefault(post.author_id, (post.author, Side.REQUESTER))
    now = clock.now()
    for person, side in named.values():
        session.add(
            EngagementPerson(
                engagement_id=engagement.id, person=person, side=side, added_by_id=actor.id, created_at=now
            )
        )
    await _keep_revision(session, engagement, actor)
    await space.tell_view(session, access.network, engagement, EventKind.ENGAGEMENT_OPENED, actor, regrouped=[*named])
    # the offer's author has its `offer.accepted` already: the others named are told the engagement is open
    await space.notify_parties(
        session,
        access.network,
        engagement,
        "engagement.opened",
        {"organisation": offering.name, "by": actor.display_name},
        actor,
        only=set(named) - {offer.author_id},
    )
    return engagement


def _given(data: PlanEdit) -> dict[str, Any]:
    given: dict[str, Any] = msgspec.to_builtins(data)
    return given


async def _person_of_side(session: AsyncSession, space_: Space, person_id: int) -> Person:
    """Someone the asker may name on their side: of their organisation, active, and able to read the network."""
    person = await session.get(Person, person_id)
    if person is None or person.organisation_id != space_.person.organisation_id or not person.is_active:
        raise Invalid(
            f"Person {person_id} is not someone of your organisation you can name.",
            fields={"add_people": "Only people of your own organisation."},
        )
    if not (await access_to(session, space_.network, person)).can(Action.READ):
        raise Invalid(
            f"{person.display_name} cannot read this network, so cannot take part in its engagement.",
            fields={"add_people": "Not a reader of this network."},
        )
    return person


async def nameable(session: AsyncSession, space_: Space) -> list[Person]:
    """The colleagues the asker may name on their side: of their organisation, active, able to read the
    network and not named yet (what the plan's form offers; `edit_plan` checks each again)."""
    named = {p.person_id for p in await space.people_of(session, space_.engagement.id)}
    rows = await session.execute(
        select(Person)
        .where(Person.organisation_id == space_.person.organisation_id, Person.is_active.is_(True))
        .order_by(Person.display_name, Person.id)
        .limit(200)
    )
    found = []
    for person in rows.scalars():
        if person.id not in named and (await access_to(session, space_.network, person)).can(Action.READ):
            found.append(person)
    return found


async def edit_plan(session: AsyncSession, space_: Space, data: PlanEdit, *, if_match: int | None) -> EngagementView:
    """Change the plan (or the asker's side's listing choice, or its named people), from the version named
    by `data.version` or the If-Match header: a new version, kept as a revision, which each side agrees
    again while the engagement is proposed. An active engagement stays active (the revision is kept)."""
    e = space_.engagement
    enforce(rules.edit_refusal(e, space_.standing))
    await space.lock(session, space_)
    enforce(rules.edit_refusal(e, space_.standing))
    version = data.version if data.version is not None else if_match
    if version is None:
        raise Invalid(
            "Say which version of the plan you edited (`version`, or the If-Match header).",
            fields={"version": "Required."},
        )
    if rules.stale_refusal(e, version) is not None:
        current = await space.describe_for(session, space_)
        refusal = rules.stale_refusal(e, version)
        assert refusal is not None
        raise StaleEdit(refusal.message, current=to_payload(current), yours=_given(data))
    side = space_.side
    changes = {
        k: v
        for k, v in msgspec.structs.asdict(data).items()
        if k in PLAN_FIELDS and v is not msgspec.UNSET and getattr(e, k) != (v.strip() if isinstance(v, str) else v)
    }
    for name in ("title", "aims", "activities"):
        if name in changes:
            changes[name] = changes[name].strip()
    if "title" in changes and not changes["title"]:
        raise Invalid("The title cannot be blank.", fields={"title": "Required."})
    starts = changes.get("starts_on", e.starts_on)
    ends = changes.get("expected_end_on", e.expected_end_on)
    if "starts_on" in changes or "expected_end_on" in changes:
        enforce(rules.dates_problem(starts, ends))
    texts = [changes[n] for n in ("title", "aims", "activities") if n in changes]
    if texts:
        await space.screen_texts(session, space_.access, texts)
    listing = "requester_unlisted" if side is Side.REQUESTER else "offerer_unlisted"
    unlisted_change = data.unlisted is not msgspec.UNSET and getattr(e, listing) != data.unlisted
    people = await space.people_of(session, e.id)
    named_ids = {p.person_id for p in people}
    added = [pid for pid in dict.fromkeys(data.add_people) if pid not in named_ids]
    dropped = [p for p in people if p.person_id in set(data.drop_people)]
    if any(p.side is not side for p in dropped):
        raise Invalid("You may drop people of your own side only.", fields={"drop_people": "Not of your side."})
    unknown = set(data.drop_people) - named_ids
    if unknown:
        raise Invalid(
            f"Not named in this engagement: {', '.join(str(i) for i in sorted(unknown))}.",
            fields={"drop_people": "Not named here."},
        )
    own_left = [p for p in people if p.side is side and p not in dropped] + [None] * len(added)
    if not own_left:
        raise Conflict("Each side keeps at least one named person; name a colleague before dropping the last.")
    if not (changes or unlisted_change or added or dropped):
        return await space.describe_for(session, space_)
    was_listed = rules.listed(e)
    for name, value in changes.items():
        setattr(e, name, value)
    if "next_check_in_on" in changes:
        e.check_in_told = False
    if unlisted_change:
        setattr(e, listing, data.unlisted)
    actor = space_.person
    now = clock.now()
    new_people = [await _person_of_side(session, space_, pid) for pid in added]
    for person in new_people:
        session.add(
            EngagementPerson(engagement_id=e.id, person=person, side=side, added_by_id=actor.id, created_at=now)
        )
    for p in dropped:
        await session.delete(p)
    e.version += 1
    await _keep_revision(session, e, actor)
    regrouped = [*added, *(p.person_id for p in dropped)]
    await space.tell_view(session, space_.network, e, EventKind.ENGAGEMENT_UPDATED, actor, regrouped=regrouped)
    if was_listed != rules.listed(e):
        await _listing(session, space_.network, e, actor)
    if new_people:
        await space.notify_parties(
            session, space_.network, e, "engagement.named", {"by": actor.display_name}, actor, only=set(added)
        )
    return await space.describe_for(session, space_)


async def _listing(session: AsyncSession, network: Network, e: Engagement, actor: Person | None) -> None:
    """The network's summary line: shown (or taken back, when both sides chose to keep it unlisted)."""
    payload = {"engagement": to_payload(summary_view(e, network.slug)), "listed": rules.listed(e)}
    await activity.record(session, network, EventKind.ENGAGEMENT_LISTED, payload, actor)


async def agree(session: AsyncSession, space_: Space, *, version: int | None = None) -> EngagementView:
    """The asker's side agrees the current version of the plan (`version`, when given: the one they read,
    refused with 409 if it has changed since); when both sides have agreed the same version the engagement
    is active (from today, unless the plan says when it starts)."""
    e = space_.engagement
    enforce(rules.agree_refusal(e, space_.standing))
    await space.lock(session, space_)
    enforce(rules.agree_refusal(e, space_.standing))
    if version is not None:
        enforce(rules.stale_refusal(e, version))
    actor = space_.person
    if space_.side is Side.REQUESTER:
        e.requester_agreed_version = e.version
    else:
        e.offerer_agreed_version = e.version
    became_active = rules.both_agreed(e)
    if became_active:
        e.state = EngagementState.ACTIVE
        e.activated_at = clock.now()
        if e.starts_on is None:
            e.starts_on = clock.now().date()
    await session.flush()
    await space.tell_view(session, space_.network, e, EventKind.ENGAGEMENT_UPDATED, actor)
    if became_active and rules.listed(e):
        await _listing(session, space_.network, e, actor)
    await space.notify_parties(
        session,
        space_.network,
        e,
        "engagement.agreed",
        {"by": actor.display_name, "active": became_active},
        actor,
        sides=(space_.side.other,),
    )
    return await space.describe_for(session, space_)


async def lock_request_then(session: AsyncSession, space_: Space) -> Post:
    """Hold the request, then the engagement (a change that may close the request)."""
    post = await lock_row(session, Post, space_.engagement.request_id)
    if post is None:
        raise NotFound(f"No engagement {space_.engagement.id}.")
    await space.lock(session, space_)
    return post


async def close(
    session: AsyncSession,
    space_: Space,
    post: Post,
    closed_as: ClosedAs,
    *,
    reason: str = "",
    today: date | None = None,
) -> None:
    """Close the engagement and, unless someone closed it already, its request, with an outcome that links
    the engagement; the follow-up falls due the network's number of weeks later."""
    e, network, actor = space_.engagement, space_.network, space_.person
    e.state = EngagementState.CLOSED
    e.closed_as = closed_as
    e.stop_reason = reason
    e.closed_at = clock.now()
    e.follow_up_due_on = rules.follow_up_due(today or e.closed_at.date(), network.engagement_follow_up_weeks)
    await session.flush()
    await space.tell_view(session, network, e, EventKind.ENGAGEMENT_CLOSED, actor)
    if rules.listed(e):
        await _listing(session, network, e, actor)
    if post.status is not RequestStatus.CLOSED:
        how = "completed" if closed_as is ClosedAs.COMPLETED else f"stopped early: {reason}"
        outcome = (
            f"Closed with the outcome of its engagement with {e.offering_organisation.name} ({how}). "
            f"The engagement: /engagements/{e.id}"
        )
        await posts.close_with(session, network, post, outcome, actor)
    await space.notify_parties(
        session, network, e, "engagement.closed", {"by": actor.display_name, "closed_as": closed_as.value}, actor
    )


async def stop(session: AsyncSession, space_: Space, reason: str) -> EngagementView:
    """Either side stops the engagement early, saying why."""
    enforce(rules.stop_refusal(space_.engagement, space_.standing))
    if not reason.strip():
        raise Invalid("Say why the engagement is stopping.", fields={"reason": "Required."})
    post = await lock_request_then(session, space_)
    enforce(rules.stop_refusal(space_.engagement, space_.standing))
    await space.screen_texts(session, space_.access, [reason])
    await close(session, space_, post, ClosedAs.STOPPED_EARLY, reason=reason.strip())
    return await space.describe_for(session, space_)
