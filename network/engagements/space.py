"""Opening an engagement's space for the asker, and what every change in it shares: the named people,
the screening of what is written, the events for its parties (docs/design.md §3.12).

The space is read by the named people of either side while they may read the network and are still of
that side's organisation; by a platform admin only while a flag raised in it is open. To anyone else
it is not there: "No engagement N.", exactly as for one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity
from network.access import Access, access_to
from network.engagements import rules
from network.engagements.models import (
    Engagement,
    EngagementFlag,
    EngagementFollowUp,
    EngagementOutcome,
    EngagementPerson,
)
from network.engagements.views import EngagementView, Powers, engagement_view
from network.enums import EngagementFlagStatus, ScreenAction, Side
from network.errors import Invalid, enforce
from network.event_kinds import EventKind
from network.locking import lock_row
from network.models import Network, Person
from network.moderation import gatekeeping
from network.moderation.screening import Hit, screen, strongest
from network.permissions import Action
from network.views import to_payload


@dataclass(slots=True)
class Space:
    """An engagement opened for the asker: their standing in the network and in the engagement."""

    access: Access
    engagement: Engagement
    standing: rules.Standing

    @property
    def network(self) -> Network:
        return self.access.network

    @property
    def person(self) -> Person:
        assert self.access.person is not None
        return self.access.person

    @property
    def side(self) -> Side:
        assert self.standing.side is not None
        return self.standing.side


async def named_side(session: AsyncSession, engagement: Engagement, access: Access) -> Side | None:
    """The side the asker is named on, while they are still of its organisation and may read the network."""
    person = access.person
    if person is None or not person.is_active or not access.can(Action.READ):
        return None
    side = await session.scalar(
        select(EngagementPerson.side).where(
            EngagementPerson.engagement_id == engagement.id, EngagementPerson.person_id == person.id
        )
    )
    if side is None or person.organisation_id != engagement.organisation_of(Side(side)):
        return None
    return Side(side)


async def has_open_flag(session: AsyncSession, engagement_id: int) -> bool:
    found = await session.execute(
        select(EngagementFlag.id)
        .where(EngagementFlag.engagement_id == engagement_id, EngagementFlag.status == EngagementFlagStatus.OPEN)
        .limit(1)
    )
    return found.first() is not None


async def standing_of(session: AsyncSession, engagement: Engagement, access: Access) -> rules.Standing:
    side = await named_side(session, engagement, access)
    if side is not None:
        return rules.Standing(side, may_act=access.can(Action.CONTRIBUTE))
    person = access.person
    reviewing = person is not None and person.is_admin and await has_open_flag(session, engagement.id)
    return rules.Standing(None, reviewing=reviewing)


async def open_engagement(session: AsyncSession, engagement_id: int, person: Person | None) -> Space:
    """The engagement's space if the asker may read it; else "No engagement N." as for a missing one."""
    engagement = await session.get(Engagement, engagement_id)
    if engagement is None:
        raise rules.not_found(engagement_id)
    network = await session.get(Network, engagement.network_id)
    assert network is not None
    access = await access_to(session, network, person)
    standing = await standing_of(session, engagement, access)
    enforce(rules.read_refusal(engagement, standing))
    return Space(access, engagement, standing)


async def lock(session: AsyncSession, space: Space) -> None:
    """Hold the engagement's row as it is now (the object is refreshed in place), before a check."""
    if await lock_row(session, Engagement, space.engagement.id) is None:
        raise rules.not_found(space.engagement.id)


async def groups_of(session: AsyncSession, access: Access) -> frozenset[int]:
    """The engagements of this network whose space the asker reads as a named person (what their
    live standing carries: network/audience.py's `parties`)."""
    person = access.person
    if person is None or not person.is_active or not access.can(Action.READ):
        return frozenset()
    rows = await session.execute(
        select(Engagement.id, EngagementPerson.side, Engagement.requesting_organisation_id)
        .join(EngagementPerson, EngagementPerson.engagement_id == Engagement.id)
        .where(EngagementPerson.person_id == person.id, Engagement.network_id == access.network.id)
    )
    found = set()
    for engagement_id, side, requesting in rows.tuples():
        mine = (person.organisation_id == requesting) == (Side(side) is Side.REQUESTER)
        if mine:
            found.add(int(engagement_id))
    return frozenset(found)


async def still_named(session: AsyncSession, engagement_id: int, person: Person) -> bool:
    """Whether the person still reads this engagement's space as a named person (for what is sent to
    them later: a notice email)."""
    engagement = await session.get(Engagement, engagement_id)
    if engagement is None:
        return False
    network = await session.get(Network, engagement.network_id)
    assert network is not None
    return await named_side(session, engagement, await access_to(session, network, person)) is not None


async def people_of(session: AsyncSession, engagement_id: int) -> list[EngagementPerson]:
    rows = await session.execute(
        select(EngagementPerson).where(EngagementPerson.engagement_id == engagement_id).order_by(EngagementPerson.id)
    )
    return list(rows.scalars())


async def outcomes_of(session: AsyncSession, engagement_id: int) -> list[EngagementOutcome]:
    rows = await session.execute(select(EngagementOutcome).where(EngagementOutcome.engagement_id == engagement_id))
    return list(rows.scalars())


async def follow_ups_of(session: AsyncSession, engagement_id: int) -> list[EngagementFollowUp]:
    rows = await session.execute(select(EngagementFollowUp).where(EngagementFollowUp.engagement_id == engagement_id))
    return list(rows.scalars())


async def describe(session: AsyncSession, engagement: Engagement, slug: str) -> EngagementView:
    """The engagement as its named people see it (and its events carry)."""
    return engagement_view(
        engagement,
        slug,
        await people_of(session, engagement.id),
        await outcomes_of(session, engagement.id),
        await follow_ups_of(session, engagement.id),
    )


async def describe_for(session: AsyncSession, space: Space) -> EngagementView:
    """The engagement as the asker sees it, with their side and what they may do."""
    view = await describe(session, space.engagement, space.network.slug)
    view.my_side = space.standing.side
    view.powers = powers(space, view)
    return view


def powers(space: Space, view: EngagementView) -> Powers:
    e, standing = space.engagement, space.standing
    sides = {o.side: o for o in view.outcomes}
    answered = {f.side for f in view.follow_ups}
    mine = standing.side
    own = sides.get(mine) if mine is not None else None
    return Powers(
        edit=rules.edit_refusal(e, standing) is None,
        agree=rules.agree_refusal(e, standing) is None,
        message=rules.message_refusal(e, standing) is None,
        check_in=rules.check_in_refusal(e, standing) is None,
        write_outcome=rules.outcome_refusal(e, standing, written=own is not None) is None,
        stop=rules.stop_refusal(e, standing) is None,
        follow_up=rules.follow_up_refusal(e, standing, answered=mine in answered) is None,
        share=mine is not None
        and rules.share_refusal(
            e,
            standing,
            mine,
            outcome=own is not None,
            practice_id=own.practice_id if own is not None else None,
        )
        is None,
        flag=rules.flag_refusal(e, standing) is None,
    )


async def screen_texts(session: AsyncSession, access: Access, texts: list[str]) -> list[Hit]:
    """The network's watched words and the pupil-data guard over what is written in the space, for
    everyone (no lead reviews a private space): a `block` word or anything a lead would have held is
    refused, and nothing is written, the writer keeping their text; `flag` words are returned, to be
    raised with the platform admins once the text exists."""
    words = await gatekeeping.words_of(session, access.network.id)
    hits = screen("\n".join(texts), words, personal_data=access.network.guard_personal_data)
    top = strongest(hits)
    if top is not None and top.action is ScreenAction.BLOCK:
        raise Invalid(top.message, fields={"body": top.message})
    if top is not None and top.action is ScreenAction.HOLD:
        if top.source == "personal_data":
            message = (
                f"This looks like it may include {top.label}. Pupils' personal data should not be written in an "
                "engagement's space either: take it out and save again. Nothing was saved."
            )
        else:
            message = "This uses wording this network holds for review. Change it and save again; nothing was saved."
        raise Invalid(message, fields={"body": message})
    return [h for h in hits if h.action is ScreenAction.FLAG]


async def tell(
    session: AsyncSession,
    network: Network,
    engagement: Engagement,
    kind: EventKind,
    payload: dict[str, Any],
    actor: Person | None,
) -> None:
    """An event for the engagement's named people (a `parties` kind)."""
    await activity.record(session, network, kind, payload, actor, group_id=engagement.id)


async def tell_view(
    session: AsyncSession,
    network: Network,
    engagement: Engagement,
    kind: EventKind,
    actor: Person | None,
    *,
    regrouped: list[int] | None = None,
) -> EngagementView:
    """An event carrying the whole engagement (opened, updated, closed); `regrouped`: the people named or
    dropped by this change, whom the live stream reads again."""
    view = await describe(session, engagement, network.slug)
    payload: dict[str, Any] = {"engagement": to_payload(view)}
    if regrouped:
        payload["regrouped"] = sorted(set(regrouped))
    await tell(session, network, engagement, kind, payload, actor)
    return view


async def notify_parties(
    session: AsyncSession,
    network: Network,
    engagement: Engagement,
    kind: str,
    payload: dict[str, Any],
    actor: Person | None,
    *,
    sides: tuple[Side, ...] = (Side.REQUESTER, Side.OFFERER),
    only: set[int] | None = None,
) -> None:
    """A notification to each named person of these sides (`only`: of these people) but the actor, who
    still reads the space."""
    body = {"engagement_id": engagement.id, "title": engagement.title, "request_id": engagement.request_id} | payload
    for named in await people_of(session, engagement.id):
        person = named.person
        if named.side not in sides or person.organisation_id != engagement.organisation_of(named.side):
            continue
        if only is not None and person.id not in only:
            continue
        await activity.notify(session, person.id, kind, body, network=network, actor=actor)
