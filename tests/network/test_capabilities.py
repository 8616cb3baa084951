"""The capability functions and the services they guard agree, cell by cell.

The pages ask a service's capability function (`replies.reply_refusal`, `offers.accept_refusal`,
`flags.flag_refusal`, `decisions.decision_refusal`, …) whether to show a form; the service raises
from the same function. This walks the permission table's columns (anonymous, outsider, pending,
member, muted, suspended, banned, observer, lead, platform admin, and the author and a colleague of
the requesting organisation) over content in each state (shown, hidden, held, removed, a locked
thread, a closed request, an offer open, declined or withdrawn, an item already flagged) through
both: on a real session against each test database, a capability answers None exactly when the
service call succeeds, and otherwise the refusal the service raises, of the same kind and words.
Each call runs in its own transaction, rolled back, so every cell starts from the same data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network import clock
from network.access import Access, access_to, open_network
from network.casework import decisions, flags
from network.content import offers, posts, reactions, replies
from network.enums import (
    ContentState,
    Decision,
    FlagReason,
    JoinPolicy,
    MemberState,
    NetworkKind,
    OfferStatus,
    OrgKind,
    PostKind,
    ReactionKind,
    RequestStatus,
    Role,
    TargetType,
    Visibility,
)
from network.errors import DomainError, NotFound, Refusal
from network.inputs import ContentEdit, DecisionInput, FlagInput, OfferInput, PostEdit, ReplyInput
from network.models import Membership, Network, Offer, Organisation, Person, Post, Reply
from network.moderation.models import Flag
from network.moderation.policy import CONTENT_DECISIONS

# who is asking: the table's columns (each of another organisation than the requests'), and the
# requesting organisation's own people
VIEWERS = (
    "anonymous",
    "outsider",
    "pending",
    "member",
    "muted",
    "suspended",
    "banned",
    "observer",
    "lead",
    "admin",
    "author",
    "colleague",
)
MEMBERSHIPS: dict[str, tuple[Role, MemberState]] = {
    "pending": (Role.MEMBER, MemberState.PENDING),
    "member": (Role.MEMBER, MemberState.ACTIVE),
    "muted": (Role.MEMBER, MemberState.MUTED),
    "suspended": (Role.MEMBER, MemberState.SUSPENDED),
    "banned": (Role.MEMBER, MemberState.BANNED),
    "observer": (Role.OBSERVER, MemberState.ACTIVE),
    "lead": (Role.LEAD, MemberState.ACTIVE),
    "author": (Role.MEMBER, MemberState.ACTIVE),
    "colleague": (Role.MEMBER, MemberState.ACTIVE),
}


@dataclass
class Arranged:
    slug: str = ""
    network_id: int = 0
    people: dict[str, int] = field(default_factory=dict)  # viewer name -> person id (none for anonymous)
    posts: dict[str, int] = field(default_factory=dict)
    replies: dict[str, int] = field(default_factory=dict)  # all on posts["request"]
    offers: dict[str, int] = field(default_factory=dict)


async def arrange(db: async_sessionmaker[AsyncSession], visibility: Visibility) -> Arranged:
    """One network; its people in every column; posts, replies, offers and a flag in every state."""
    found = Arranged()
    now = clock.now()
    async with db() as session:
        orgs = {
            name: Organisation(name=f"{name.title()} Trust", kind=kind)
            for name, kind in (
                ("requesting", OrgKind.MULTI_ACADEMY_TRUST),
                ("helping", OrgKind.MULTI_ACADEMY_TRUST),
                ("leading", OrgKind.DIOCESE),
                ("ministry", OrgKind.GOVERNMENT),
            )
        }
        session.add_all(orgs.values())
        network = Network(
            slug=f"caps-{visibility.value}",
            name="Capabilities",
            kind=NetworkKind.THEMATIC,
            visibility=visibility,
            join_policy=JoinPolicy.OPEN,
        )
        session.add(network)
        await session.flush()
        people: dict[str, Person] = {}
        for name in VIEWERS[1:]:
            org = {"author": "requesting", "colleague": "requesting", "observer": "ministry", "lead": "leading"}
            person = Person(
                email=f"{name}@example.org",
                display_name=name.title(),
                password_hash="-",
                organisation_id=orgs[org.get(name, "helping")].id,
                is_admin=name == "admin",
            )
            people[name] = person
        session.add_all(people.values())
        await session.flush()
        for name, (role, state) in MEMBERSHIPS.items():
            until = now + timedelta(days=3) if state in (MemberState.MUTED, MemberState.SUSPENDED) else None
            session.add(
                Membership(network_id=network.id, person_id=people[name].id, role=role, state=state, until=until)
            )
        author = people["author"]

        def post(kind: PostKind, **values: Any) -> Post:
            status = RequestStatus.OPEN if kind is PostKind.REQUEST else None
            return Post(
                network_id=network.id,
                author_id=author.id,
                organisation_id=author.organisation_id,
                kind=kind,
                title=f"A {kind.value}",
                body="What we did, and how it went.",
                status=values.pop("status", status),
                **values,
            )

        made = {
            "practice": post(PostKind.PRACTICE, pinned=True),
            "request": post(PostKind.REQUEST),
            "offered": post(PostKind.REQUEST, status=RequestStatus.IN_DISCUSSION),
            "hidden": post(PostKind.REQUEST, state=ContentState.HIDDEN),
            "held": post(PostKind.REQUEST, state=ContentState.HELD),
            "removed": post(PostKind.PRACTICE, state=ContentState.REMOVED),
            "locked": post(PostKind.REQUEST, locked=True),
            "closed": post(PostKind.REQUEST, status=RequestStatus.CLOSED, outcome="Done."),
        }
        session.add_all(made.values())
        await session.flush()
        reply_rows = {
            state.value: Reply(post_id=made["request"].id, author_id=people["member"].id, body="A reply.", state=state)
            for state in ContentState
        }
        session.add_all(reply_rows.values())

        def offer(on: str, by: str, status: OfferStatus) -> Offer:
            person = people[by]
            return Offer(
                post_id=made[on].id,
                author_id=person.id,
                organisation_id=person.organisation_id,
                message="We can help.",
                status=status,
            )

        offer_rows = {
            "open": offer("offered", "member", OfferStatus.OPEN),
            "withdrawn": offer("offered", "lead", OfferStatus.WITHDRAWN),
            "declined": offer("offered", "observer", OfferStatus.DECLINED),
            "on_closed": offer("closed", "muted", OfferStatus.OPEN),
        }
        session.add_all(offer_rows.values())
        practice = made["practice"]
        session.add(  # the muted member has flagged the practice already
            Flag(
                network_id=network.id,
                target_type=TargetType.POST,
                target_id=practice.id,
                post_id=practice.id,
                reporter_id=people["muted"].id,
                reason=FlagReason.SPAM,
            )
        )
        await session.commit()
        found.slug, found.network_id = network.slug, network.id
        found.people = {name: p.id for name, p in people.items()}
        found.posts = {name: p.id for name, p in made.items()}
        found.replies = {name: r.id for name, r in reply_rows.items()}
        found.offers = {name: o.id for name, o in offer_rows.items()}
    return found


@dataclass
class Cell:
    what: str
    viewer: str
    item: str
    expected: Refusal
    got: DomainError | None

    @property
    def agrees(self) -> bool:
        expected, got = self.expected, self.got
        if expected is None or got is None:
            return expected is None and got is None
        return type(expected) is type(got) and expected.message == got.message

    def __str__(self) -> str:
        def said(refusal: DomainError | None) -> str:
            return "allowed" if refusal is None else f"{type(refusal).__name__}: {refusal.message}"

        return (
            f"{self.what} by {self.viewer} on {self.item}: capability {said(self.expected)}; service {said(self.got)}"
        )


@dataclass
class Walk:
    db: async_sessionmaker[AsyncSession]
    world: Arranged
    viewers: tuple[str, ...] = VIEWERS
    cells: list[Cell] = field(default_factory=list)

    async def cell(
        self,
        what: str,
        viewer: str,
        item: str,
        capability: Callable[[AsyncSession, Access, Person | None], Awaitable[Refusal]],
        service: Callable[[AsyncSession, Person | None], Awaitable[Any]],
    ) -> None:
        """Ask the capability (on the data as it is), then call the service, in one transaction rolled back."""
        async with self.db() as session:
            person_id = self.world.people.get(viewer)
            person = await session.get(Person, person_id) if person_id else None
            network = await session.get(Network, self.world.network_id)
            assert network is not None
            expected = await capability(session, await access_to(session, network, person), person)
            got: DomainError | None = None
            try:
                await service(session, person)
            except DomainError as exc:
                got = exc
            finally:
                await session.rollback()
        self.cells.append(Cell(what, viewer, item, expected, got))


async def _post(session: AsyncSession, post_id: int) -> Post:
    post = await session.get(Post, post_id)
    assert post is not None
    return post


def on_post(
    post_id: int, act: Callable[[AsyncSession, Access, Post], Awaitable[Any]]
) -> Callable[[AsyncSession, Person | None], Awaitable[Any]]:
    """The service as the API calls it: open the post for the asker, then act on it."""

    async def call(session: AsyncSession, person: Person | None) -> Any:
        access, post = await posts.open_post(session, post_id, person)
        return await act(session, access, post)

    return call


async def walk_posts(walk: Walk) -> None:
    """Read, reply, react, take a reaction back, edit, close, offer and flag: every viewer, every post."""
    edit = PostEdit(title="A better title", reason="Tidied the title.")

    async def offered(session: AsyncSession, post: Post, person: Person | None) -> bool:
        return person is not None and await offers.has_open_offer(session, post, person.organisation_id)

    async def flagged(session: AsyncSession, post: Post, person: Person | None) -> bool:
        return person is not None and (TargetType.POST, post.id) in await flags.open_flags_by(
            session, person.id, post.id
        )

    pure: dict[str, Callable[[Access, Post], Refusal]] = {
        "read": posts.read_refusal,
        "reply": replies.reply_refusal,
        "react": reactions.react_refusal,
        "unreact": reactions.unreact_refusal,
        "edit": posts.edit_refusal,
        "close": posts.close_refusal,
    }
    acts: dict[str, Callable[[AsyncSession, Access, Post], Awaitable[Any]]] = {
        "read": lambda s, a, p: posts.describe_post(s, p, a.network.slug),
        "reply": lambda s, a, p: replies.add_reply(s, a, p, ReplyInput(body="Thanks, this helps.")),
        "react": lambda s, a, p: reactions.react(s, a, p, ReactionKind.USEFUL),
        "unreact": lambda s, a, p: reactions.unreact(s, a, p, ReactionKind.USEFUL),
        "edit": lambda s, a, p: posts.edit_post(s, a, p, edit),
        "close": lambda s, a, p: posts.close_request(s, a, p, "It went well."),
    }
    for item, post_id in walk.world.posts.items():
        for viewer in walk.viewers:
            for what, refusal in pure.items():

                async def asked(
                    s: AsyncSession, a: Access, _: Person | None, r: Any = refusal, i: int = post_id
                ) -> Refusal:
                    result: Refusal = r(a, await _post(s, i))
                    return result

                await walk.cell(what, viewer, item, asked, on_post(post_id, acts[what]))

            async def may_offer(s: AsyncSession, a: Access, person: Person | None, i: int = post_id) -> Refusal:
                post = await _post(s, i)
                return offers.offer_refusal(a, post, already_offered=await offered(s, post, person))

            make = on_post(post_id, lambda s, a, p: offers.make_offer(s, a, p, OfferInput(message="We can help.")))
            await walk.cell("offer", viewer, item, may_offer, make)

            async def may_flag(s: AsyncSession, a: Access, person: Person | None, i: int = post_id) -> Refusal:
                post = await _post(s, i)
                already = await flagged(s, post, person)
                return posts.read_refusal(a, post) or flags.flag_refusal(
                    a, author_id=post.author_id, state=post.state, already_flagged=already
                )

            async def flag(s: AsyncSession, person: Person | None, i: int = post_id) -> Any:
                data = FlagInput(reason=FlagReason.SPAM)
                return await flags.flag(s, person, TargetType.POST, i, data)  # type: ignore[arg-type]

            await walk.cell("flag", viewer, item, may_flag, flag)


async def walk_replies(walk: Walk) -> None:
    """Flag a reply (shown, hidden, held or removed; the member's own words)."""
    for item, reply_id in walk.world.replies.items():
        for viewer in walk.viewers:

            async def may_flag(s: AsyncSession, a: Access, person: Person | None, reply_id: int = reply_id) -> Refusal:
                reply = await s.get(Reply, reply_id)
                assert reply is not None
                post = await _post(s, reply.post_id)
                already = person is not None and (TargetType.REPLY, reply.id) in await flags.open_flags_by(
                    s, person.id, post.id
                )
                return replies.reply_read_refusal(a, post, reply) or flags.flag_refusal(
                    a, author_id=reply.author_id, state=reply.state, already_flagged=already
                )

            async def flag(s: AsyncSession, person: Person | None, reply_id: int = reply_id) -> Any:
                data = FlagInput(reason=FlagReason.SPAM)
                return await flags.flag(s, person, TargetType.REPLY, reply_id, data)  # type: ignore[arg-type]

            await walk.cell("flag", viewer, f"{item} reply", may_flag, flag)


async def walk_offers(walk: Walk) -> None:
    """Accept, decline and withdraw each offer (open, withdrawn, declined, open on a closed request)."""
    rules = {
        "accept": (offers.accept_refusal, offers.accept_offer),
        "decline": (offers.decline_refusal, offers.decline_offer),
        "withdraw": (offers.withdraw_refusal, offers.withdraw_offer),
    }
    for item, offer_id in walk.world.offers.items():
        for viewer in walk.viewers:
            for what, (refusal, act) in rules.items():

                async def asked(
                    s: AsyncSession, a: Access, _: Person | None, r: Any = refusal, i: int = offer_id
                ) -> Refusal:
                    offer = await s.get(Offer, i)
                    assert offer is not None
                    result: Refusal = r(a, await _post(s, offer.post_id), offer)
                    return result

                async def call(s: AsyncSession, person: Person | None, act: Any = act, i: int = offer_id) -> Any:
                    access, post, offer = await offers.open_offer(s, i, person)
                    return await act(s, access, post, offer)

                await walk.cell(what, viewer, f"{item} offer", asked, call)


async def walk_decisions(walk: Walk) -> None:
    """A lead's decisions on every post and reply: every decision for those who may moderate (a lead,
    a platform admin), a few for everyone else."""
    targets = [(TargetType.POST, name, i) for name, i in walk.world.posts.items()]
    targets += [(TargetType.REPLY, f"{name} reply", i) for name, i in walk.world.replies.items()]
    everything = sorted(CONTENT_DECISIONS, key=lambda d: d.value)
    for viewer in walk.viewers:
        actions = everything if viewer in ("lead", "admin") else [Decision.HIDE, Decision.PIN]
        for target_type, item, target_id in targets:
            for action in actions:

                async def asked(
                    s: AsyncSession,
                    a: Access,
                    _: Person | None,
                    t: TargetType = target_type,
                    i: int = target_id,
                    action: Decision = action,
                ) -> Refusal:
                    reply = await s.get(Reply, i) if t is TargetType.REPLY else None
                    post = await _post(s, reply.post_id if reply else i)
                    flagged = await s.scalar(
                        select(Flag.id).where(Flag.target_type == t, Flag.target_id == i, Flag.status == "open")
                    )
                    return decisions.decision_refusal(
                        a,
                        action,
                        t,
                        state=(reply or post).state,
                        locked=post.locked,
                        pinned=post.pinned,
                        open_flags=flagged is not None,
                    )

                async def call(
                    s: AsyncSession,
                    person: Person | None,
                    t: TargetType = target_type,
                    i: int = target_id,
                    action: Decision = action,
                ) -> Any:
                    access = await open_network(s, walk.world.slug, person)
                    edit = ContentEdit(body="Edited by a lead.") if action is Decision.EDIT else None
                    data = DecisionInput(target_type=t, target_id=i, action=action, reason="Per clause 1.", edit=edit)
                    return await decisions.decide(s, access, data)

                await walk.cell(action.value, viewer, item, asked, call)


# a members-only network changes the answers only for those who read a public one without being its
# members (and not for a platform admin, who reads every network): walk those there, and two members
IN_MEMBERS_ONLY = ("anonymous", "outsider", "pending", "member", "author", "admin")


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS])
async def test_capabilities_and_services_agree_cell_by_cell(
    db: async_sessionmaker[AsyncSession], backend: str, visibility: Visibility
) -> None:
    if visibility is Visibility.MEMBERS and backend == "sqlite":
        pytest.skip("the members-only network's few changed answers do not depend on the database")
    viewers = VIEWERS if visibility is Visibility.PUBLIC else IN_MEMBERS_ONLY
    walk = Walk(db, await arrange(db, visibility), viewers)
    await walk_posts(walk)
    await walk_replies(walk)
    await walk_offers(walk)
    await walk_decisions(walk)

    disagreements = [str(c) for c in walk.cells if not c.agrees]
    assert not disagreements, "\n".join(disagreements)

    # the walk reaches both answers for every action, and the refusals it meant to reach
    allowed = Counter(c.what for c in walk.cells if c.expected is None)
    refused = Counter(c.what for c in walk.cells if c.expected is not None)
    assert set(allowed) == set(refused) == {c.what for c in walk.cells}, (allowed, refused)
    said = {c.expected.message for c in walk.cells if c.expected is not None}
    if visibility is Visibility.MEMBERS:  # those who are not its members are not told it exists
        shown = [c for c in walk.cells if c.what == "read" and c.item == "practice"]
        unread = {c.viewer for c in shown if isinstance(c.expected, NotFound)}
        assert unread == {"anonymous", "outsider", "pending"}, unread
        return
    for message in (
        "Observers do not flag content; they follow the network's work without taking part.",
        "You cannot flag your own words; edit them instead.",
        flags.ALREADY_FLAGGED,
        "This thread is locked by a lead; no new replies.",
        offers.ALREADY_OFFERED,
        "This request is closed.",
        "Only the requesting organisation may accept or decline offers.",
        "Only the person who made an offer may withdraw it.",
        "Only the author or a lead of this network may edit this post.",
        "A removed post cannot be edited.",
        "Only the requesting organisation or a lead may close this request.",
        "There are no open flags on this to dismiss.",
        "Only a whole thread (a post) can be locked or pinned.",
        "Only a lead of this network may do that.",
        "Only active members and leads of this network may post, reply, offer or react.",
    ):
        assert message in said, message
    assert any(m.startswith("You are muted in this network until") for m in said)
