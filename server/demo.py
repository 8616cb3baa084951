"""Seeding the demo database from `server.demo_content`, through the domain services.

Posts go through the same services as the API (so events and notifications are written),
then their timestamps are spread over the past weeks so the feeds read naturally.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import access_to
from network.content import offers, posts, reactions, replies
from network.engagements import lifecycle, space
from network.enums import MemberState, Role
from network.event_kinds import EventKind
from network.inputs import NetworkInput, OfferInput, PostInput, ReplyInput, Resource
from network.models import Membership, Network, Organisation, Person, Post
from network.people import accounts, affiliation, organisations, register
from network.people.networks import create_network
from network.views import member_view, to_payload
from server import demo_adoption, demo_engagements, demo_moderation
from server.demo_content import DEMO_PASSWORD, NETWORKS, ORGANISATIONS, PEOPLE, POSTS, DemoPost
from server.mail import affiliation_mail
from server.settings import Settings

# why a request closed by hand stopped its engagement (demo_content.toml's closed requests with an accepted offer)
SETTLED = "Settled in conversation before a plan was needed; the request's outcome says what came of it."
# The register's groups extract in miniature (invented groups): it gives the demo's trusts their identifiers.
REGISTER_SAMPLE = Path(__file__).with_name("data") / "gias_groups_sample.csv"


async def seed_if_empty(session: AsyncSession, settings: Settings) -> bool:
    """Load the demo if no account exists yet; True if it was loaded."""
    if (await session.execute(select(func.count()).select_from(Person))).scalar_one():
        return False
    await seed(session, settings)
    return True


async def seed(session: AsyncSession, settings: Settings) -> None:
    orgs: dict[str, Organisation] = {}
    for o in ORGANISATIONS:
        org = Organisation(name=o.name, kind=o.kind)
        session.add(org)
        orgs[o.key] = org
    await session.flush()
    password_hash = accounts.hash_password(DEMO_PASSWORD)  # one hash: every demo account shares the password
    people: dict[str, Person] = {}
    for p in PEOPLE:
        person = Person(
            email=p.email,
            display_name=p.display_name,
            password_hash=password_hash,
            organisation=orgs[p.organisation],
            is_admin=p.is_admin,
            email_confirmed_at=clock.now(),
        )
        session.add(person)
        people[p.key] = person
    await session.flush()
    admin = next(person for person in people.values() if person.is_admin)
    await register.import_extract(session, register.decode(REGISTER_SAMPLE.read_bytes()))
    for o in ORGANISATIONS:
        for domain in o.domains:
            await organisations.add_domain(session, admin, orgs[o.key], domain)
        for key in o.approvers:
            await affiliation.name_approver(session, admin, orgs[o.key].id, people[key].id)
    for p in PEOPLE:
        if p.waiting:  # as a sign-up: waiting, logged, its approvers told by notification and mail
            await affiliation.request(session, people[p.key])
            await affiliation_mail.mail_request(session, settings, people[p.key])

    nets: dict[str, Network] = {}
    for n in NETWORKS:
        data = NetworkInput(
            slug=n.slug,
            name=n.name,
            kind=n.kind,
            region=n.region,
            description=n.description,
            visibility=n.visibility,
            join_policy=n.join_policy,
            lead_email=people[n.leads[0]].email,
            charter=n.charter,
        )
        network = await create_network(session, admin, data)
        nets[n.slug] = network
        extra = [(key, Role.LEAD) for key in n.leads[1:]]
        extra += [(key, Role.MEMBER) for key in n.members]
        extra += [(key, Role.OBSERVER) for key in n.observers]
        for key, role in extra:
            membership = Membership(network_id=network.id, person=people[key], role=role, state=MemberState.ACTIVE)
            session.add(membership)
            await session.flush()
            payload = {"member": to_payload(member_view(membership))}
            await activity.record(session, network, EventKind.MEMBER_JOINED, payload, people[key])

    now = clock.now()
    for index, demo_post in enumerate(POSTS):
        age = timedelta(days=len(POSTS) - index, hours=(index * 7) % 24)
        await _seed_post(session, nets[demo_post.network], people, demo_post, now - age)
    await demo_moderation.seed(session, nets, people)
    await demo_engagements.seed(session, nets, people)  # after: the queue's flagged post is not a shared outcome
    await demo_adoption.seed(session, nets, people)


async def _seed_post(
    session: AsyncSession, network: Network, people: dict[str, Person], d: DemoPost, created: object
) -> None:
    author_access = await access_to(session, network, people[d.author])
    data = PostInput(
        kind=d.kind,
        title=d.title,
        body=d.body,
        summary=d.summary,
        phases=list(d.phases),
        setting=d.setting,
        what_we_did=d.what_we_did,
        what_we_stopped=d.what_we_stopped,
        impact=d.impact,
        evidence_strength=d.evidence_strength,
        themes=list(d.themes),
        resources=[Resource(title=t, url=u) for t, u in d.resources],
        support_type=d.support_type,
        urgency=d.urgency,
    )
    post = await posts.create_post(session, author_access, data)
    _backdate(post, created)
    for step, r in enumerate(d.replies, start=1):
        access = await access_to(session, network, people[r.author])
        reply = await replies.add_reply(session, access, post, ReplyInput(body=r.body))
        _backdate(reply, created, hours=6 * step)
    for key, kind in d.reactions:
        await reactions.react(session, await access_to(session, network, people[key]), post, kind)
    accepted = None
    for step, o in enumerate(d.offers, start=1):
        access = await access_to(session, network, people[o.author])
        offer = await offers.make_offer(session, access, post, OfferInput(message=o.message))
        _backdate(offer, created, hours=10 * step)
        if o.accepted:
            accepted = offer
    engagement = await lifecycle.accept_offer(session, author_access, post, accepted) if accepted else None
    if d.closed_outcome:
        await posts.close_request(session, author_access, post, d.closed_outcome)
        if engagement is not None:  # settled by hand before a plan was needed: its engagement stops unbegun
            await lifecycle.stop(
                session, await space.open_engagement(session, engagement.id, people[d.author]), SETTLED
            )


def _backdate(row: object, created: object, hours: int = 0) -> None:
    when = created + timedelta(hours=hours)  # type: ignore[operator]
    row.created_at = when  # type: ignore[attr-defined]
    row.updated_at = when  # type: ignore[attr-defined]
    if isinstance(row, Post):
        row.edited_at = None
