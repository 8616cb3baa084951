"""What a person or an organisation has shared, asked and offered, as one reader may see it.

Everything goes through the reader's `search.Scope`: a post or offer from a network the reader
may not read is neither listed nor counted, and the networks a person is in are listed only
when the reader may read them (so a hidden network is never confirmed).
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import markdown
from network.enums import Affiliation, MemberState, OfferStatus, OrgKind, PostKind, Role
from network.errors import NotFound
from network.models import Membership, Offer, Organisation, Person, Post
from network.search.scope import Scope, post_views, reading_scope
from network.views import OrganisationView, PersonRef, PostView, organisation_view, person_ref

LIST_LIMIT = 20
PEOPLE_LIMIT = 200
_LISTED_STATES = (MemberState.ACTIVE, MemberState.MUTED)


class NetworkRef(msgspec.Struct):
    slug: str
    name: str
    role: Role


class OfferItem(msgspec.Struct):
    id: int
    status: OfferStatus
    message_html: str
    created_at: datetime
    author: PersonRef
    post_id: int
    post_title: str
    network: str
    network_name: str


class Contributions(msgspec.Struct):
    """The newest of each kind (up to LIST_LIMIT) and how many there are in all."""

    practices: list[PostView]
    requests: list[PostView]
    offers: list[OfferItem]
    practice_count: int
    request_count: int
    offer_count: int
    network_names: dict[str, str]  # slug -> name, for the networks the lists mention


class PersonProfile(msgspec.Struct):
    person: PersonRef
    networks: list[NetworkRef]
    contributions: Contributions


class OrganisationProfile(msgspec.Struct):
    organisation: OrganisationView
    observer_only: bool
    people: list[PersonRef]
    contributions: Contributions


async def _posts(
    session: AsyncSession, scope: Scope, owner: ColumnElement[bool], kind: PostKind
) -> tuple[list[PostView], int]:
    where = (scope.posts_clause(), owner, Post.kind == kind)
    total = int((await session.execute(select(func.count()).select_from(Post).where(*where))).scalar_one())
    stmt = select(Post).where(*where).order_by(Post.id.desc()).limit(LIST_LIMIT)
    rows = list((await session.execute(stmt)).scalars())
    return await post_views(session, scope, rows), total


async def _offers(session: AsyncSession, scope: Scope, owner: ColumnElement[bool]) -> tuple[list[OfferItem], int]:
    where = (scope.posts_clause(), owner)
    count = select(func.count()).select_from(Offer).join(Post, Post.id == Offer.post_id).where(*where)
    total = int((await session.execute(count)).scalar_one())
    stmt = (
        select(Offer, Post.title, Post.network_id)
        .join(Post, Post.id == Offer.post_id)
        .where(*where)
        .order_by(Offer.id.desc())
        .limit(LIST_LIMIT)
    )
    items = []
    for offer, title, network_id in (await session.execute(stmt)).tuples():
        network = scope.networks[network_id]
        items.append(
            OfferItem(
                id=offer.id,
                status=offer.status,
                message_html=markdown.render(offer.message),
                created_at=offer.created_at,
                author=person_ref(offer.author),
                post_id=offer.post_id,
                post_title=title,
                network=network.slug,
                network_name=network.name,
            )
        )
    return items, total


async def _contributions(
    session: AsyncSession, scope: Scope, post_owner: ColumnElement[bool], offer_owner: ColumnElement[bool]
) -> Contributions:
    practices, practice_count = await _posts(session, scope, post_owner, PostKind.PRACTICE)
    requests, request_count = await _posts(session, scope, post_owner, PostKind.REQUEST)
    offers, offer_count = await _offers(session, scope, offer_owner)
    slugs = {p.network for p in (*practices, *requests)} | {o.network for o in offers}
    names = {n.slug: n.name for n in scope.networks.values() if n.slug in slugs}
    return Contributions(practices, requests, offers, practice_count, request_count, offer_count, names)


async def person_profile(session: AsyncSession, reader: Person | None, person_id: int) -> PersonProfile:
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person {person_id}.")
    scope = await reading_scope(session, reader)
    result = await session.execute(
        select(Membership).where(Membership.person_id == person.id, Membership.state.in_(_LISTED_STATES))
    )
    networks = sorted(
        (
            NetworkRef(slug=scope.networks[m.network_id].slug, name=scope.networks[m.network_id].name, role=m.role)
            for m in result.scalars()
            if m.network_id in scope.networks
        ),
        key=lambda n: n.name.lower(),
    )
    contributions = await _contributions(session, scope, Post.author_id == person.id, Offer.author_id == person.id)
    return PersonProfile(person=person_ref(person), networks=networks, contributions=contributions)


async def organisation_profile(
    session: AsyncSession, reader: Person | None, organisation_id: int
) -> OrganisationProfile:
    org = await session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"No organisation {organisation_id}.")
    scope = await reading_scope(session, reader)
    result = await session.execute(
        select(Person)
        .where(  # only those it vouches for speak for it (network/people/affiliation.py)
            Person.organisation_id == org.id, Person.is_active.is_(True), Person.affiliation == Affiliation.VERIFIED
        )
        .order_by(func.lower(Person.display_name), Person.id)
        .limit(PEOPLE_LIMIT)
    )
    people = [person_ref(p) for p in result.scalars()]
    contributions = await _contributions(
        session, scope, Post.organisation_id == org.id, Offer.organisation_id == org.id
    )
    return OrganisationProfile(
        organisation=organisation_view(org),
        observer_only=OrgKind(org.kind).observer_only,
        people=people,
        contributions=contributions,
    )


async def people_by_id(session: AsyncSession, person_ids: set[int]) -> dict[int, Person]:
    """The people with these ids (those that still exist), by id: for pages that name who did something."""
    if not person_ids:
        return {}
    result = await session.execute(select(Person).where(Person.id.in_(person_ids)))
    return {p.id: p for p in result.scalars()}


async def display_names(session: AsyncSession, person_ids: set[int]) -> dict[int, str]:
    """The display names of the people with these ids (those that still exist), by id."""
    if not person_ids:
        return {}
    result = await session.execute(select(Person.id, Person.display_name).where(Person.id.in_(person_ids)))
    return {person_id: name for person_id, name in result.tuples()}
