"""Saved searches: a member keeps a query with its filters, runs it again from a link, and is told when
a new post they may read matches it (docs/design.md §3.11).

**Matching a new post without a loop over the saved searches.** On PostgreSQL each saved search keeps
its query as a stored generated `tsquery` (`match_query`, network/search/schema.py), so one statement
tests every saved search with alerts on against the post's own `search_vector`, the network, kind and
other filters narrowing it in the same WHERE: the database evaluates a few microseconds of `@@` per
row, with no round trip per saved search. On SQLite each saved search's longest word (its `anchor`,
a word every match must contain) is indexed by an FTS5 table with the posts' own stemmer; the post's
distinct words, OR'ed, find the saved searches whose anchor the post holds. A search of one word is
matched by that alone; each other distinct query among them runs against the post's row of the index
(copied into a one-row FTS5 table of the connection's own), all in one statement. Both read what the
post's index holds, so a saved search alerts exactly when the search page would list the post for it
(dates aside: an alert is about a new post).

**Alerting once.** A post that is shown (new, or a held one approved) leaves a notice that the notice
writer finishes after the post commits (network/content/post_notices.py); `alert` runs in the
transaction of the step that finishes it, which also deletes the notice. So it happens after the post
committed and never for one that rolled back; a step that fails rolls the alerts back with the
notice, which the next step takes up again; two processes never finish one notice (the row is taken
with SKIP LOCKED on PostgreSQL; SQLite has one writer); and `posts.alerted_at`, set in that same
transaction, keeps a post shown again (held after an edit, then approved) from alerting again.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlencode

import msgspec
from sqlalchemy import (
    ColumnElement,
    String,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from events import outbox
from events.models import Notification
from network import activity, clock
from network.enums import ContentState
from network.errors import Conflict, Invalid, NotFound
from network.inputs import Input
from network.locking import lock_row
from network.models import Network, Person, Post, SavedSearch
from network.search import filters, schema
from network.search.query import MAX_QUERY, distinct_words, fts5_any, parse
from network.search.scope import reading_scope

MAX_SAVED = 50  # per person
MAX_NAME = 120
KIND = "search.matched"  # the notification
# Notifications that already told a person of the post itself: they are not alerted of it as well.
TOLD_OF_POST = frozenset({"post.created", "mention"})
# SQLite: a post's words per lookup of the anchors (a statement of 2,000 ORed words takes about 6 ms)
WORDS_PER_LOOKUP = 2000
_FILTER_TEXT = 100


class FilterParams(Input):
    """A saved search's filters, named as the search's query parameters; dates and the sort are kept for
    running the search again, and do not narrow its alerts."""

    network: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    kind: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    theme: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    phase: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    evidence: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    status: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    organisation: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    since: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    until: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None
    sort: Annotated[str, msgspec.Meta(max_length=_FILTER_TEXT)] | None = None


class SavedSearchInput(Input):
    """A search to keep: `q` as typed on the search page, its filters, a name (the query if none) and
    whether new posts matching it are told to you (`alerts`)."""

    q: Annotated[str, msgspec.Meta(max_length=10_000)]
    name: Annotated[str, msgspec.Meta(max_length=1_000)] | None = None
    filters: FilterParams = msgspec.field(default_factory=FilterParams)
    alerts: bool = True


class SavedSearchChange(Input):
    """A new name, alerts on or off; each field left out stays as it is."""

    name: Annotated[str, msgspec.Meta(max_length=1_000)] | msgspec.UnsetType = msgspec.UNSET
    alerts: bool | msgspec.UnsetType = msgspec.UNSET


class SavedSearchList(msgspec.Struct):
    """A person's saved searches (fifty at most: one page)."""

    items: list[SavedSearchView]
    next_cursor: str | None = None


class SavedSearchView(msgspec.Struct):
    id: int
    name: str
    q: str
    filters: dict[str, str]
    alerts: bool
    url: str  # the search page running it
    created_at: datetime
    last_alerted_at: datetime | None


def search_link(q: str, params: Mapping[str, str]) -> str:
    """The search page for a query and its filters (as query parameters)."""
    return "/search?" + urlencode({k: v for k, v in {"q": q, **params}.items() if v})


def view(saved: SavedSearch) -> SavedSearchView:
    # in the search's own order of filters (PostgreSQL's JSONB keeps keys in an order of its own)
    params = {name: str(saved.filters[name]) for name in filters.NAMES if name in saved.filters}
    return SavedSearchView(
        id=saved.id,
        name=saved.name,
        q=saved.query,
        filters=params,
        alerts=saved.alerts,
        url=search_link(saved.query, params),
        created_at=saved.created_at,
        last_alerted_at=saved.last_alerted_at,
    )


# -- a person's own saved searches


def _too_long() -> Invalid:
    return Invalid(f"A name is at most {MAX_NAME} characters.", fields={"name": f"At most {MAX_NAME} characters."})


def _name(typed: str | None, q: str) -> str:
    name = " ".join((typed or "").split()) or " ".join(q.split())
    if len(name) > MAX_NAME:
        if typed and typed.strip():
            raise _too_long()
        name = name[: MAX_NAME - 1].rstrip() + "…"
    return name


def _normal_theme(theme: str) -> str:
    """As a post's themes are kept (network/content/posts.py): lower-cased, single spaces."""
    return " ".join(theme.lower().split())


async def create(session: AsyncSession, person: Person, data: SavedSearchInput) -> SavedSearch:
    """Keep a search for the person: refused (Invalid) when the query cannot be searched (the parser's
    sentence says why) or a filter is wrong (a network they may not read is answered as a missing one),
    and (Conflict) when they keep `MAX_SAVED` already."""
    q = data.q.strip()
    if len(q) > MAX_QUERY:
        message = f"A saved search is at most {MAX_QUERY} characters: shorten it."
        raise Invalid(message, fields={"q": message})
    query = parse(q)
    if not query.searchable:
        message = " ".join(query.notes) or "Type a word or two to look for."
        raise Invalid(message, fields={"q": message})
    chosen = filters.read(msgspec.structs.asdict(data.filters))
    network_id: int | None = None
    if chosen.network:
        network = (await reading_scope(session, person)).by_slug(chosen.network)
        if network is None:  # absent or not readable: the same answer either way, as the search gives
            raise Invalid("Choose one of the networks you can read.", fields={"network": "Not one of your networks."})
        network_id = network.id
    if chosen.theme:
        chosen = chosen.with_(theme=_normal_theme(chosen.theme))
    search_text, anchor = query.websearch(), query.longest_word()
    if len(search_text) > 600 or len(anchor) > 60:  # only words that lower-casing lengthens get here
        message = "Those words are too long to save: use shorter ones."
        raise Invalid(message, fields={"q": message})
    name = _name(data.name, q)
    await lock_row(session, Person, person.id)  # two saves at once count one after the other
    kept = await session.scalar(select(func.count()).where(SavedSearch.person_id == person.id))
    if (kept or 0) >= MAX_SAVED:
        raise Conflict(f"You keep {MAX_SAVED} saved searches, the most there can be: delete one to save another.")
    now = clock.now()
    saved = SavedSearch(
        person_id=person.id,
        name=name,
        query=q,
        filters=chosen.params(),
        network_id=network_id,
        kind=chosen.kind.value if chosen.kind else None,
        search_text=search_text,
        anchor=anchor,
        alerts=data.alerts,
        created_at=now,
        updated_at=now,
    )
    session.add(saved)
    await session.flush()
    return saved


async def list_saved(session: AsyncSession, person: Person) -> list[SavedSearch]:
    """The person's saved searches, oldest first."""
    rows = await session.execute(select(SavedSearch).where(SavedSearch.person_id == person.id).order_by(SavedSearch.id))
    return list(rows.scalars())


async def _mine(session: AsyncSession, person: Person, saved_id: int) -> SavedSearch:
    """The person's saved search; someone else's is answered as a missing one."""
    saved = await session.get(SavedSearch, saved_id)
    if saved is None or saved.person_id != person.id:
        raise NotFound(f"No saved search {saved_id}.")
    return saved


async def change(session: AsyncSession, person: Person, saved_id: int, data: SavedSearchChange) -> SavedSearch:
    saved = await _mine(session, person, saved_id)
    if not isinstance(data.name, msgspec.UnsetType):
        name = " ".join(data.name.split())
        if not name:
            raise Invalid("Give the saved search a name.", fields={"name": "Required."})
        if len(name) > MAX_NAME:
            raise _too_long()
        saved.name = name
    if not isinstance(data.alerts, msgspec.UnsetType):
        saved.alerts = data.alerts
    saved.updated_at = clock.now()
    await session.flush()
    return saved


async def remove(session: AsyncSession, person: Person, saved_id: int) -> None:
    saved = await _mine(session, person, saved_id)
    await session.delete(saved)
    await session.flush()


# -- matching a new post


def _stored(name: str) -> ColumnElement[str]:
    value: ColumnElement[str] = SavedSearch.filters[name].as_string()
    return value


def _unset_or(name: str, met: ColumnElement[bool]) -> ColumnElement[bool]:
    return or_(_stored(name).is_(None), met)


# The saved searches whose every filter (but the dates) a post meets, bound to the post's values
# (`_filters_of`); network and kind are columns, the rest are read from the stored filters
# (`filters.params()`, so each a string). A post without an evidence strength or a status binds NULL,
# which equals nothing: only searches without that filter are met. Built once (see
# network/people/accounts.py's _LIVE_TOKEN for why).
_FILTERS_MET = (
    SavedSearch.alerts.is_(True),
    or_(SavedSearch.network_id.is_(None), SavedSearch.network_id == bindparam("network_id")),
    or_(SavedSearch.kind.is_(None), SavedSearch.kind == bindparam("kind")),
    _unset_or("theme", _stored("theme").in_(bindparam("themes", expanding=True))),
    _unset_or("phase", _stored("phase").in_(bindparam("phases", expanding=True))),
    _unset_or("evidence", _stored("evidence") == bindparam("evidence", type_=String)),
    _unset_or("status", _stored("status") == bindparam("status", type_=String)),
    _unset_or("organisation", _stored("organisation") == bindparam("organisation", type_=String)),
)


def _filters_of(post: Post) -> dict[str, object]:
    return {
        "network_id": post.network_id,
        "kind": post.kind.value,
        "themes": list(post.themes),
        "phases": list(post.phases),
        "evidence": post.evidence_strength.value if post.evidence_strength else None,
        "status": post.status.value if post.status else None,
        "organisation": str(post.organisation_id),
    }


# PostgreSQL: every saved search's tsquery against the post's vector. `|| ''` makes the vector a value
# of the statement's own, read once: stored, a long post's vector is compressed (TOAST), and `@@` would
# decompress it again for every saved search (13 times slower at 10,000). One row, an array of ids: a
# thousand matches cost the driver one value, not a thousand rows.
_VECTOR = (
    select(literal_column("posts.search_vector").op("||")(literal_column("''::tsvector")))
    .where(Post.id == bindparam("post_id"))
    .scalar_subquery()
)
_MATCHING = select(func.array_agg(aggregate_order_by(SavedSearch.id, SavedSearch.id))).where(
    *_FILTERS_MET, literal_column("saved_searches.match_query").op("@@")(_VECTOR)
)


async def matching_searches(session: AsyncSession, post: Post) -> list[int]:
    """The ids of the saved searches (alerts on) that the post matches: their words and every filter
    but the dates. Who may read the post is `alert`'s question, not this one's."""
    if session.get_bind().dialect.name == "postgresql":
        found = await session.execute(_MATCHING, {"post_id": post.id, **_filters_of(post)})
        return list(found.scalar_one() or [])
    row = (await session.execute(_POST_TEXT, {"post_id": post.id})).one_or_none()
    if row is None:
        return []
    title, summary, rest = (str(column or "") for column in row)
    candidates = await _anchored(session, post, distinct_words(f"{title} {summary} {rest}", whole=True))
    # a search of one word is its anchor: the post holds it, or the search would not be a candidate
    proven = [ids for search_text, ids in candidates.items() if _one_word(search_text)]
    others = {search_text: ids for search_text, ids in candidates.items() if not _one_word(search_text)}
    matched = [i for ids in proven for i in ids] + await _confirmed(session, (title, summary, rest), others)
    return sorted(matched)


def _one_word(search_text: str) -> bool:
    return not any(mark in search_text for mark in ' "-')


@lru_cache(maxsize=10_000)
def _fts5_of(search_text: str) -> str:
    """A saved search's query for FTS5 (saved searches share their texts: each is read once)."""
    return parse(search_text).fts5()


_POST_TEXT = text(f"SELECT title, summary, rest FROM {schema.POST_SEARCH} WHERE rowid = :post_id")  # noqa: S608
_anchors = table(schema.SAVED_ANCHORS, column("rowid"))
# each distinct search text once, with the ids of the saved searches that have it
_ANCHORED = (
    select(SavedSearch.search_text, func.group_concat(SavedSearch.id))
    .select_from(_anchors)
    .join(SavedSearch, SavedSearch.id == _anchors.c.rowid)
    .where(text(f"{schema.SAVED_ANCHORS} MATCH :words"), *_FILTERS_MET)
    .group_by(SavedSearch.search_text)
)


async def _anchored(session: AsyncSession, post: Post, words: list[str]) -> dict[str, list[int]]:
    """SQLite: the saved searches (search text → ids) whose anchor is among the post's words, and whose
    filters the post meets, through the FTS5 index of anchors (its stemmer reads the words as the
    posts' index does); a long post's words in parts, so no statement grows without bound."""
    found: dict[str, list[int]] = {}
    met = _filters_of(post)
    connection = await session.connection()  # rows, not ORM entities: a thousand candidates stay cheap
    for start in range(0, len(words), WORDS_PER_LOOKUP):
        some = fts5_any(words[start : start + WORDS_PER_LOOKUP])
        for search_text, ids in (await connection.execute(_ANCHORED, {"words": some, **met})).tuples():
            found.setdefault(str(search_text), []).extend(int(i) for i in str(ids).split(","))
    return {search_text: sorted(set(ids)) for search_text, ids in found.items()}


async def _confirmed(
    session: AsyncSession, text_of_post: tuple[str, str, str], candidates: dict[str, list[int]]
) -> list[int]:
    """SQLite: those candidates whose whole query matches the post. The post's row of the index is
    copied into a one-row FTS5 table of this connection's own (in `temp`, with the same tokenizer), and
    each distinct query runs against that: the same words, stems and columns as `post_search MATCH …
    AND rowid = post` would read, at a twentieth of the cost (no seeks in the big index)."""
    by_query: dict[str, list[int]] = {}
    for search_text, ids in candidates.items():
        by_query.setdefault(_fts5_of(search_text), []).extend(ids)
    by_query.pop("", None)
    if not by_query:
        return []
    connection = await session.connection()
    for statement in _ALERT_POST_TABLE:
        await connection.execute(statement)
    await connection.execute(_ONE_POST, dict(zip(("title", "summary", "rest"), text_of_post, strict=True)))
    queries = list(by_query)
    matched = await connection.execute(_MATCHED, {"queries": json.dumps(queries)})
    return [i for (n,) in matched.tuples() for i in by_query[queries[int(n)]]]


_ALERT_POST_TABLE = [text(statement) for statement in schema.sqlite_alert_post()]
_ONE_POST = text(
    f"INSERT INTO temp.{schema.ALERT_POST}(rowid, title, summary, rest)"  # noqa: S608 - our own table
    " VALUES (1, :title, :summary, :rest)"
)
# which of the queries (a JSON array) match the one post, by their place in the array
_MATCHED = text(
    "SELECT query.key FROM json_each(:queries) AS query WHERE EXISTS "  # noqa: S608 - our own table
    f"(SELECT 1 FROM temp.{schema.ALERT_POST} WHERE {schema.ALERT_POST} MATCH query.value)"
)


# -- telling the owners


async def alert(session: AsyncSession, post: Post) -> int:
    """Tell the owners of the saved searches a newly shown post matches; how many people were told.

    Runs once per post, in the notice writer's step that finishes the post's notice (see the module's
    docstring for why that makes it once, and never for a post that did not commit). One notification
    per person, naming the first of their searches that matched (and how many did), and only to those
    who may read the post's network now (`activity.readers_among`, the permission table every
    notification passes): not its author, and not someone the post's own notices already told of it
    (a follower of the network, a person it names)."""
    if post.alerted_at is not None or post.state is not ContentState.VISIBLE:
        return 0
    post.alerted_at = clock.now()
    ids = await matching_searches(session, post)
    if not ids:
        return 0
    rows = await session.execute(
        select(SavedSearch.id, SavedSearch.person_id, SavedSearch.name)
        .where(SavedSearch.id.in_(ids))
        .order_by(SavedSearch.id)
    )
    first: dict[int, tuple[int, str]] = {}
    matched: Counter[int] = Counter()
    for saved_id, person_id, name in rows.tuples():
        first.setdefault(int(person_id), (int(saved_id), name))
        matched[int(person_id)] += 1
    owners = set(first) - {post.author_id}
    owners -= await _told_of(session, post.id, owners)
    network = await session.get(Network, post.network_id)
    assert network is not None
    told = sorted(await activity.readers_among(session, network, owners))
    about = {
        "post_id": post.id,
        "title": post.title,
        "kind": post.kind.value,
        "by": post.author.display_name,
        "network": network.slug,
    }
    for person_id in told:
        saved_id, name = first[person_id]
        payload = about | {"search_id": saved_id, "search_name": name, "searches": matched[person_id]}
        activity.notify_many(session, network.id, {person_id: KIND}, payload)
    if told:
        await session.execute(
            update(SavedSearch)
            .where(SavedSearch.id.in_(ids), SavedSearch.person_id.in_(told))
            .values(last_alerted_at=post.alerted_at)
            .execution_options(synchronize_session=False)
        )
    return len(told)


async def _told_of(session: AsyncSession, post_id: int, people: set[int]) -> set[int]:
    """Those of these people whom the post's own notices told of it: written already, or about to be
    written with this transaction (the last chunk of a large network's followers)."""
    if not people:
        return set()
    told: set[int] = set()
    waiting = outbox.pending(session)
    for batch in waiting.notices if waiting else []:
        if batch.payload.get("post_id") == post_id:
            told |= {p for p, kind in batch.kinds.items() if kind in TOLD_OF_POST and p in people}
    rows = await session.execute(
        select(Notification.person_id).where(
            Notification.person_id.in_(sorted(people)),
            Notification.kind.in_(sorted(TOLD_OF_POST)),
            Notification.payload["post_id"].as_integer() == post_id,
        )
    )
    return told | {int(p) for p in rows.scalars()}
