"""Loading a network together with what the asker may do in it.

Every service starts here: `open_network` finds the network and the asker's membership and
answers 404 (never 403) when the asker may not read it, so a hidden or members-only network
is not confirmed to exist. `require` then checks one more action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from network import clock
from network.enums import Affiliation, MemberState, OrgKind, Role, Visibility
from network.errors import Forbidden, NotFound, SignInNeeded, enforce
from network.models import Membership, Network, Person
from network.permissions import ANONYMOUS, Action, Viewer, allowed, effective_state

_REFUSALS: dict[Action, str] = {
    Action.CONTRIBUTE: "Only active members and leads of this network may post, reply, offer or react.",
    Action.FLAG: "Only members and leads of this network may flag content.",
    Action.MODERATE: "Only a lead of this network may do that.",
    Action.EXPORT: "Only a lead of this network may export its data.",
}
# the table gives observers no flag (they follow a network's work without taking part); this says so
OBSERVERS_DO_NOT_FLAG = "Observers do not flag content; they follow the network's work without taking part."


def waiting_refusal(person: Person) -> Forbidden:
    """Why a person not verified for their organisation may not act (network/people/affiliation.py),
    in words that say what happens next."""
    org = person.organisation.name
    match Affiliation(person.affiliation):
        case Affiliation.DECLINED:
            return Forbidden(
                f"{org} declined your request to act for it, so you cannot take part yet. "
                "Your account page says why and lets you ask again."
            )
        case Affiliation.REMOVED:
            return Forbidden(f"{org} removed you from its people: you no longer act for it.")
        case _:
            return Forbidden(
                f"You are waiting for {org} to approve you. Until one of its approvers does (or you confirm "
                "an address at one of its email domains) you can read and ask to join networks, but not "
                "post, reply, react, flag or make, accept, decline or close offers."
            )


@dataclass(slots=True)
class Access:
    network: Network
    person: Person | None
    membership: Membership | None
    viewer: Viewer
    now: datetime

    def can(self, action: Action) -> bool:
        return allowed(action, self.network.visibility, self.viewer, self.now)

    def refusal(self, action: Action) -> Forbidden | None:
        """None if the table allows `action`, else the refusal, worded for who is refused."""
        if self.can(action):
            return None
        if self.viewer.unverified and self.person is not None and action in (Action.CONTRIBUTE, Action.FLAG):
            return waiting_refusal(self.person)
        if action is Action.CONTRIBUTE and self.membership is not None:
            state = effective_state(self.membership.state, self.membership.until, self.now)
            if state is not None and state.value == "muted":
                until = self.membership.until
                when = f" until {until:%d %B %Y %H:%M} UTC" if until else ""
                return Forbidden(f"You are muted in this network{when} and cannot post.")
        if action is Action.FLAG and self.viewer.role is Role.OBSERVER:
            return Forbidden(OBSERVERS_DO_NOT_FLAG)
        return Forbidden(_REFUSALS.get(action, "Not allowed."))

    def require(self, action: Action) -> None:
        enforce(self.refusal(action))

    def read_refusal(self) -> NotFound | None:
        """None if the asker may read the network, else its 404: a network is never confirmed to exist
        to someone who may not read it (but for the directory's own listing, to anonymous visitors)."""
        if self.can(Action.READ):
            return None
        slug = self.network.slug
        if self.person is None and self.network.visibility is not Visibility.HIDDEN:
            return SignInNeeded(f"No network '{slug}' is visible without signing in.")
        return NotFound(f"No network '{slug}'.")

    @property
    def is_lead(self) -> bool:
        return self.can(Action.MODERATE)


def viewer_for(person: Person | None, membership: Membership | None) -> Viewer:
    if person is None:
        return ANONYMOUS
    observer_only = OrgKind(person.organisation.kind).observer_only
    unverified = not Affiliation(person.affiliation).may_act
    if membership is None:
        return Viewer(signed_in=True, is_admin=person.is_admin, observer_only=observer_only, unverified=unverified)
    return Viewer(
        signed_in=True,
        is_admin=person.is_admin,
        role=membership.role,
        state=membership.state,
        until=membership.until,
        observer_only=observer_only,
        unverified=unverified,
    )


async def membership_of(session: AsyncSession, network_id: int, person_id: int) -> Membership | None:
    result = await session.execute(
        select(Membership).where(Membership.network_id == network_id, Membership.person_id == person_id)
    )
    return result.scalar_one_or_none()


async def lead_ids(session: AsyncSession, network_id: int) -> list[int]:
    """The network's active leads."""
    result = await session.execute(
        select(Membership.person_id).where(
            Membership.network_id == network_id,
            Membership.role == Role.LEAD,
            Membership.state == MemberState.ACTIVE,
        )
    )
    return list(result.scalars())


async def access_to(session: AsyncSession, network: Network, person: Person | None) -> Access:
    membership = await membership_of(session, network.id, person.id) if person else None
    return Access(network, person, membership, viewer_for(person, membership), clock.now())


# Built once, with bound parameters: every request that names a network runs one of them (see
# network/people/accounts.py's _LIVE_TOKEN for why). The network and the asker's membership come in one.
_NETWORK = select(Network).where(Network.slug == bindparam("slug"))
_NETWORK_AND_MEMBERSHIP = (
    select(Network, Membership)
    .outerjoin(Membership, and_(Membership.network_id == Network.id, Membership.person_id == bindparam("person_id")))
    .options(lazyload(Membership.person))
    .where(Network.slug == bindparam("slug"))
)


async def open_network(session: AsyncSession, slug: str, person: Person | None, *, lock: bool = False) -> Access:
    """The network named by `slug` if the asker may read it, else NotFound."""
    if person is None:
        network = (await session.execute(_NETWORK, {"slug": slug})).scalar_one_or_none()
        membership = None
    else:
        row = (await session.execute(_NETWORK_AND_MEMBERSHIP, {"slug": slug, "person_id": person.id})).one_or_none()
        network, membership = row if row is not None else (None, None)
        if membership is not None:
            set_committed_value(membership, "person", person)
    if network is None:
        raise NotFound(f"No network '{slug}'.")
    access = Access(network, person, membership, viewer_for(person, membership), clock.now())
    enforce(access.read_refusal())
    return access


async def open_network_by_id(session: AsyncSession, network_id: int, person: Person | None) -> Access:
    network = await session.get(Network, network_id)
    if network is None:
        raise NotFound("Not found.")
    access = await access_to(session, network, person)
    if not access.can(Action.READ):
        raise NotFound("Not found.")
    return access
