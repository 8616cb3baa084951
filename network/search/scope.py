"""What a reader may read, as one clause per table: the feed's rule, across every network they may read.

`reading_scope` works out, once per request, which networks the reader may read now (the permission
table: not a network they have left, are suspended from, or that only someone else may observe) and in
which of them they moderate. Search, related practice, saved-search alerts and the person and
organisation pages filter through it, so nothing from a network the reader may not read, and no hidden
or removed post or reply of someone else, ever reaches them (docs/design.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.access import viewer_for
from network.content import posts
from network.enums import ContentState
from network.models import Membership, Network, Person, Post, Reply
from network.permissions import Action, allowed
from network.views import PostView, post_view


@dataclass(frozen=True, slots=True)
class Scope:
    """The networks a reader may read (by id), and those in which they may moderate."""

    person_id: int | None
    networks: dict[int, Network]
    leads: frozenset[int]

    def posts_clause(self) -> ColumnElement[bool]:
        """Posts this reader may see: visible ones; their own unless removed; all but removed where they lead."""
        if not self.networks:
            return false()
        shown = [Post.state == ContentState.VISIBLE]
        if self.person_id is not None:
            shown.append(and_(Post.author_id == self.person_id, Post.state != ContentState.REMOVED))
        if self.leads:
            shown.append(and_(Post.network_id.in_(sorted(self.leads)), Post.state != ContentState.REMOVED))
        return and_(Post.network_id.in_(sorted(self.networks)), or_(*shown))

    def replies_clause(self) -> ColumnElement[bool]:
        """Replies this reader may see, on posts they may see (`posts_clause` too): the thread's rule;
        a reply its author deleted has no text to find."""
        shown = [Reply.state == ContentState.VISIBLE]
        if self.person_id is not None:
            shown.append(
                and_(
                    Reply.author_id == self.person_id,
                    Reply.state.in_((ContentState.HIDDEN, ContentState.HELD)),
                )
            )
        if self.leads:
            shown.append(and_(Post.network_id.in_(sorted(self.leads)), Reply.state != ContentState.REMOVED))
        return and_(Reply.deleted_at.is_(None), or_(*shown))

    def by_slug(self, slug: str) -> Network | None:
        return next((n for n in self.networks.values() if n.slug == slug), None)


async def reading_scope(session: AsyncSession, person: Person | None) -> Scope:
    """Every network the person may read (none for an anonymous reader: post bodies need sign-in)."""
    if person is None:
        return Scope(None, {}, frozenset())
    networks = list((await session.execute(select(Network).order_by(Network.name))).scalars())
    result = await session.execute(select(Membership).where(Membership.person_id == person.id))
    mine = {m.network_id: m for m in result.scalars()}
    now = clock.now()
    readable: dict[int, Network] = {}
    leads: set[int] = set()
    for network in networks:
        viewer = viewer_for(person, mine.get(network.id))
        if allowed(Action.READ, network.visibility, viewer, now):
            readable[network.id] = network
            if allowed(Action.MODERATE, network.visibility, viewer, now):
                leads.add(network.id)
    return Scope(person.id, readable, frozenset(leads))


async def post_views(session: AsyncSession, scope: Scope, rows: list[Post]) -> list[PostView]:
    """Rows as the API shows them, with their counts (three grouped queries for the lot)."""
    replies, offers, reactions = await posts.counts_for(session, [p.id for p in rows])
    return [
        post_view(
            p,
            scope.networks[p.network_id].slug,
            reply_count=replies.get(p.id, 0),
            offer_count=offers.get(p.id, 0),
            reactions=reactions.get(p.id),
        )
        for p in rows
    ]
