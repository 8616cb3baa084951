"""Networks: creating one with its first lead, the directory, one network's details."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import access_to, viewer_for
from network.enums import Decision, MemberState, NetworkKind, Role, TargetType
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.event_kinds import EventKind
from network.governance import charter, transparency
from network.inputs import NetworkInput
from network.models import Membership, Network, Person
from network.people import accounts
from network.permissions import can_list_network
from network.views import NetworkView, member_view, network_view, to_payload

COUNTED_STATES = (MemberState.ACTIVE, MemberState.MUTED)


async def create_network(session: AsyncSession, actor: Person, data: NetworkInput) -> Network:
    """A platform admin creates a network and appoints its first lead (logged, named)."""
    if not actor.is_admin:
        raise Forbidden("Only a platform admin may create a network.")
    if not data.name.strip():
        raise Invalid("Give the network a name.", fields={"name": "Required."})
    if data.kind is NetworkKind.REGIONAL and data.region is None:
        raise Invalid("A regional network needs its region.", fields={"region": "Required for a regional network."})
    if data.kind is not NetworkKind.REGIONAL and data.region is not None:
        raise Invalid("Only a regional network has a region.", fields={"region": "Leave empty."})
    lead = await accounts.person_by_email(session, data.lead_email)
    if lead is None:
        raise Invalid("The first lead must already have an account.", fields={"lead_email": "No such account."})
    if accounts.observer_only(lead):
        raise Invalid(
            "A person from a regulator or government organisation can only observe, never lead.",
            fields={"lead_email": "Cannot be a lead."},
        )
    taken = select(Network.id).where(func.lower(Network.slug) == data.slug.lower())  # slugs are lower case anyway
    if (await session.execute(taken)).first():
        raise Conflict(f"The address '{data.slug}' is taken.", fields={"slug": "Already in use."})
    network = Network(
        slug=data.slug,
        name=data.name.strip(),
        kind=data.kind,
        region=data.region,
        description=data.description.strip(),
        visibility=data.visibility,
        join_policy=data.join_policy,
    )
    session.add(network)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"The address '{data.slug}' is taken.", fields={"slug": "Already in use."}) from exc
    first = await charter.add_version(
        session, network.id, data.charter or charter.DEFAULT_CHARTER, actor, "First version"
    )
    membership = Membership(network_id=network.id, person=lead, role=Role.LEAD, state=MemberState.ACTIVE)
    session.add(membership)
    await session.flush()
    created = {"slug": network.slug, "by_admin": actor.id, "charter": charter.charter_payload(first)}
    await activity.record(session, network, EventKind.NETWORK_CREATED, created, actor)
    await activity.record(
        session, network, EventKind.MEMBER_JOINED, {"member": to_payload(member_view(membership))}, actor
    )
    await activity.notify(
        session, lead.id, "role.changed", {"network": network.slug, "role": Role.LEAD.value}, network=network
    )
    access = await access_to(session, network, actor)
    await transparency.record(
        session,
        access,
        Decision.SET_ROLE,
        TargetType.MEMBER,
        target_id=lead.id,
        subject=lead,
        label=lead.display_name,
        reason="Created the network and appointed its first lead.",
        details={"role": [None, Role.LEAD.value]},
    )
    return network


async def member_counts(session: AsyncSession, network_ids: list[int]) -> dict[int, int]:
    if not network_ids:
        return {}
    result = await session.execute(
        select(Membership.network_id, func.count())
        .where(Membership.network_id.in_(network_ids), Membership.state.in_(COUNTED_STATES))
        .group_by(Membership.network_id)
    )
    return {network_id: count for network_id, count in result.tuples()}


async def directory(session: AsyncSession, person: Person | None) -> list[NetworkView]:
    """Every network the asker may see listed, with member counts and the asker's membership."""
    networks = list((await session.execute(select(Network).order_by(Network.kind, Network.name))).scalars())
    mine: dict[int, Membership] = {}
    if person is not None:
        result = await session.execute(select(Membership).where(Membership.person_id == person.id))
        mine = {m.network_id: m for m in result.scalars()}
    now = clock.now()
    visible = [n for n in networks if can_list_network(n.visibility, viewer_for(person, mine.get(n.id)), now)]
    counts = await member_counts(session, [n.id for n in visible])
    return [network_view(n, counts.get(n.id, 0), mine.get(n.id)) for n in visible]


async def describe(session: AsyncSession, network: Network, membership: Membership | None) -> NetworkView:
    counts = await member_counts(session, [network.id])
    return network_view(network, counts.get(network.id, 0), membership)


async def get_by_slug(session: AsyncSession, slug: str) -> Network:
    network = (await session.execute(select(Network).where(Network.slug == slug))).scalar_one_or_none()
    if network is None:
        raise NotFound(f"No network '{slug}'.")
    return network


async def names_by_id(session: AsyncSession, network_ids: set[int]) -> dict[int, str]:
    """The networks' names by id. Only for networks the reader already knows of (their notifications)."""
    if not network_ids:
        return {}
    result = await session.execute(select(Network.id, Network.name).where(Network.id.in_(network_ids)))
    return {network_id: name for network_id, name in result.tuples()}


async def names_by_slug(session: AsyncSession, slugs: set[str]) -> dict[str, str]:
    """The networks' names by slug. Only for networks the reader already knows of (their appeals)."""
    if not slugs:
        return {}
    result = await session.execute(select(Network.slug, Network.name).where(Network.slug.in_(slugs)))
    return {slug: name for slug, name in result.tuples()}
