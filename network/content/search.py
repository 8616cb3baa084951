"""Finding posts: what a reader may read, and search across it.

`reading_scope` works out, once per request, which networks the reader may read and in which
of them they moderate; `Scope.posts_clause` turns that into the same rule the network feed
applies (visible posts; the reader's own unless removed; everything but removed for a lead).
Search and the person and organisation pages filter through it, so nothing from a network the
reader may not read, and no hidden or removed post of someone else, ever reaches them.

Matching is a case-insensitive substring match of every word (LIKE on lower-cased text, with
`%` and `_` escaped), which behaves the same on SQLite and PostgreSQL. Results come title
matches first, then newest.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy import ColumnElement, String, and_, case, cast, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from network import clock
from network.access import viewer_for
from network.content import posts
from network.enums import ContentState, PostKind
from network.errors import Invalid
from network.models import Membership, Network, Person, Post
from network.permissions import Action, allowed
from network.views import PostView, post_view

MAX_QUERY = 200
MAX_TERMS = 8
MAX_PAGE = 500
PER_PAGE = 20
_QUOTES = "\"'\u201c\u201d\u2018\u2019"  # straight and curly quotes around a word


@dataclass(frozen=True, slots=True)
class Scope:
    """The networks a reader may read (by id), and those in which they may moderate."""

    person_id: int | None
    networks: dict[int, Network]
    leads: frozenset[int]

    def posts_clause(self) -> ColumnElement[bool]:
        """Posts this reader may see: the feed's rule, across every network they may read."""
        if not self.networks:
            return false()
        shown = [Post.state == ContentState.VISIBLE]
        if self.person_id is not None:
            shown.append(and_(Post.author_id == self.person_id, Post.state != ContentState.REMOVED))
        if self.leads:
            shown.append(and_(Post.network_id.in_(sorted(self.leads)), Post.state != ContentState.REMOVED))
        return and_(Post.network_id.in_(sorted(self.networks)), or_(*shown))

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


def terms(query: str) -> list[str]:
    """The words to look for: split on whitespace, surrounding quotes dropped, duplicates (any case) once."""
    words: dict[str, str] = {}
    for raw in query[:MAX_QUERY].split():
        word = raw.strip(_QUOTES)[:60]
        if word and word.lower() not in words:
            words[word.lower()] = word
    return list(words.values())[:MAX_TERMS]


class SearchHit(msgspec.Struct):
    post: PostView
    network_name: str


class SearchResults(msgspec.Struct):
    query: str
    terms: list[str]
    items: list[SearchHit]
    total: int
    page: int
    pages: int


def _matches(column: ColumnElement[str] | InstrumentedAttribute[str], word: str) -> ColumnElement[bool]:
    return func.lower(column).contains(word.lower(), autoescape=True)


def _word_clause(word: str) -> ColumnElement[bool]:
    return or_(
        _matches(Post.title, word),
        _matches(Post.body, word),
        _matches(Post.summary, word),
        _matches(cast(Post.themes, String), word),
    )


async def search_posts(
    session: AsyncSession,
    person: Person | None,
    query: str,
    *,
    kind: PostKind | None = None,
    network: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Posts the person may read that contain every word of the query (title, body, summary or themes)."""
    if len(query) > MAX_QUERY:
        raise Invalid(f"Search for at most {MAX_QUERY} characters.", fields={"q": f"At most {MAX_QUERY} characters."})
    if not 1 <= page <= MAX_PAGE:
        raise Invalid(f"Pages run from 1 to {MAX_PAGE}.", fields={"page": "Out of range."})
    scope = await reading_scope(session, person)
    chosen: Network | None = None
    if network:
        chosen = scope.by_slug(network)
        if chosen is None:  # absent or not readable: the same answer either way
            raise Invalid("Choose one of the networks you can read.", fields={"network": "Not one of your networks."})
    words = terms(query)
    if not words or not scope.networks:
        return SearchResults(query=query, terms=words, items=[], total=0, page=1, pages=0)
    where = [scope.posts_clause(), *(_word_clause(w) for w in words)]
    if kind is not None:
        where.append(Post.kind == kind)
    if chosen is not None:
        where.append(Post.network_id == chosen.id)
    total = int((await session.execute(select(func.count()).select_from(Post).where(*where))).scalar_one())
    pages = (total + per_page - 1) // per_page
    in_title = and_(*(_matches(Post.title, w) for w in words))
    any_title = or_(*(_matches(Post.title, w) for w in words))
    rank = case((in_title, 0), (any_title, 1), else_=2)
    stmt = select(Post).where(*where).order_by(rank, Post.id.desc()).offset((page - 1) * per_page).limit(per_page)
    rows = list((await session.execute(stmt)).scalars())
    views = await post_views(session, scope, rows)
    items = [
        SearchHit(post=v, network_name=scope.networks[p.network_id].name) for v, p in zip(views, rows, strict=True)
    ]
    return SearchResults(query=query, terms=words, items=items, total=total, page=page, pages=pages)
