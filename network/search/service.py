"""Search: ranked full-text matches in posts and replies the searcher may read now, with filters.

One statement finds a page. Posts and replies are matched in two branches of a UNION ALL, each through
its index and each already limited to what the reader may read (network/search/scope.py) and to the
filters; a reply's filters are its post's. Sorted by relevance, each branch takes its latest `WINDOW`
matches and only those are ranked, so a word found in half a million posts costs the same as a rare one:
the ranking reads at most WINDOW + REPLY_WINDOW rows, and the page says when there were more (docs/design.md
§3.11). Sorted by newest, each branch walks its `created_at` index from the cursor.

A cursor is an offset in the ranked window (relevance) or the last hit's (time, branch, id) (newest);
a cursor of one sort is refused by the other.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal

import msgspec
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from network import cursors
from network.errors import Invalid
from network.models import Person, Post, Reply
from network.search import index, planning, snippets
from network.search.filters import SearchFilters, Sort
from network.search.query import Query, parse
from network.search.scope import Scope, post_views, reading_scope
from network.views import PostView, ReplyView, reply_view

WINDOW = 300
# replies are matched with their post's filters through a join: each costs more to find, and a thread's
# replies rarely outrank its post, so fewer are ranked
REPLY_WINDOW = 100
MAX_LIMIT = 100
POST, REPLY = 0, 1


class SearchHit(msgspec.Struct):
    """A post, or a reply on one, that matches; `title_html` and `snippet_html` are safe HTML whose only
    markup is `<mark>` around the matching words."""

    match: Literal["post", "reply"]
    url: str
    post: PostView
    network_name: str
    title_html: str
    snippet_html: str
    reply: ReplyView | None = None
    score: float | None = None


class SearchPage(msgspec.Struct):
    query: str
    terms: list[str]
    items: list[SearchHit]
    next_cursor: str | None
    total: int | None = None  # on the first page: how many match (posts up to WINDOW, replies to REPLY_WINDOW)
    more: bool = False  # more match than were counted and ranked: the best of the newest are first
    message: str | None = None  # what was dropped from the query, or why nothing was searched


def _micros(when: datetime) -> int:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int((when - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))


def _from_micros(value: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value)


def _json_has(column: Any, value: str, dialect: str) -> ColumnElement[bool]:
    """A JSON list column holds `value` (themes and phases are stored lower-cased, spaces collapsed)."""
    value = " ".join(value.lower().split())
    if dialect == "postgresql":  # containment: one operator per row, no set-returning function
        return column.op("@>")(func.jsonb_build_array(value))  # type: ignore[no-any-return]
    item = func.json_each(column).table_valued("value").alias("item")
    return exists(select(literal(1)).select_from(item).where(item.c.value == value))


def _post_filters(filters: SearchFilters, network_id: int | None, dialect: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if network_id is not None:
        where.append(Post.network_id == network_id)
    if filters.kind is not None:
        where.append(Post.kind == filters.kind)
    if filters.theme:
        where.append(_json_has(Post.themes, filters.theme, dialect))
    if filters.phase is not None:
        where.append(_json_has(Post.phases, filters.phase.value, dialect))
    if filters.evidence is not None:
        where.append(Post.evidence_strength == filters.evidence)
    if filters.status is not None:
        where.append(Post.status == filters.status)
    if filters.organisation is not None:
        where.append(Post.organisation_id == filters.organisation)
    return where


def _dates(created: ColumnElement[datetime], filters: SearchFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.since is not None:
        where.append(created >= datetime.combine(filters.since, time(), UTC))
    if filters.until is not None:
        where.append(created < datetime.combine(filters.until + timedelta(days=1), time(), UTC))
    return where


def _after(created: ColumnElement[datetime], row_id: ColumnElement[int], branch: int, key: tuple[int, ...]):  # type: ignore[no-untyped-def]
    """Newest first: rows after the cursor's (time, branch, id), in this branch."""
    at, their_branch, their_id = _from_micros(key[0]), key[1], key[2]
    if branch < their_branch:
        return created <= at  # the same instant sorts this branch after theirs
    if branch > their_branch:
        return created < at
    return or_(created < at, and_(created == at, row_id < their_id))


@dataclass(frozen=True, slots=True)
class _Plan:
    dialect: str
    query: Query
    scope: Scope
    filters: SearchFilters
    network_id: int | None
    posts_from_index: bool = False  # PostgreSQL: order so the planner starts from the GIN index
    replies_from_index: bool = False


def _newest(created: Any, from_index: bool) -> Any:
    """The branch's order; an expression the created_at index cannot serve when it should start from
    the GIN index (network/search/planning.py)."""
    return func.coalesce(created, created).desc() if from_index else created.desc()


def _branches(
    plan: _Plan, key: tuple[int, ...] | None, take: int, take_replies: int | None = None, *, latest: bool = False
) -> Select[tuple[object, ...]]:
    """Each branch's newest matches (from `key`, newest sort) with their scores, in one UNION ALL.

    `latest` (a ranked window, not a page in time order): on SQLite each branch takes its latest
    written matches, walking the FTS5 index backwards by rowid (ids are given in the order rows are
    written), where ordering by `created_at` would make FTS5 hand over every match to be sorted
    (a common word at 100k posts: 370 ms against 2 ms)."""
    by_post = index.posts(plan.dialect, plan.query)
    by_reply = index.replies(plan.dialect, plan.query)
    post_cols: list[Any] = [
        literal(POST).label("branch"),
        Post.id.label("post_id"),
        cast(null(), BigInteger).label("reply_id"),
        Post.created_at.label("created_at"),
    ]
    reply_cols: list[Any] = [
        literal(REPLY).label("branch"),
        Reply.post_id.label("post_id"),
        Reply.id.label("reply_id"),
        Reply.created_at.label("created_at"),
    ]
    if not by_post.scored_apart:
        post_cols.append(by_post.score.label("score"))
        reply_cols.append(by_reply.score.label("score"))
    post_where = [by_post.where, plan.scope.posts_clause(), *_post_filters(plan.filters, plan.network_id, plan.dialect)]
    post_where += _dates(Post.created_at, plan.filters)  # type: ignore[arg-type]
    reply_where = [by_reply.where, plan.scope.posts_clause(), plan.scope.replies_clause()]
    reply_where += _post_filters(plan.filters, plan.network_id, plan.dialect)
    reply_where += _dates(Reply.created_at, plan.filters)  # type: ignore[arg-type]
    if key is not None:
        post_where.append(_after(Post.created_at, Post.id, POST, key))  # type: ignore[arg-type]
        reply_where.append(_after(Reply.created_at, Reply.id, REPLY, key))  # type: ignore[arg-type]
    if latest and by_post.fts is not None:
        post_order: list[Any] = [index.latest_first(by_post)]
        reply_order: list[Any] = [index.latest_first(by_reply)]
    else:
        post_order = [_newest(Post.created_at, plan.posts_from_index), Post.id.desc()]
        reply_order = [_newest(Reply.created_at, plan.replies_from_index), Reply.id.desc()]
    posts_branch = (
        index.join_posts(select(*post_cols), by_post).where(*post_where).order_by(*post_order).limit(take).subquery("p")
    )
    replies_branch = (
        index.join_replies(select(*reply_cols).join(Post, Post.id == Reply.post_id), by_reply)
        .where(*reply_where)
        .order_by(*reply_order)
        .limit(take if take_replies is None else take_replies)
        .subquery("r")
    )
    # each branch in a subquery of its own: SQLite takes no ORDER BY/LIMIT on a compound's member
    if by_post.scored_apart:
        # PostgreSQL ranks only the rows each branch chose: scoring inside the branch would rank every
        # match the index returns before the window is cut (a word in 1% of a million posts: 10,000
        # vectors read and ranked for 300 kept)
        posts_part = (
            select(*posts_branch.c, by_post.score.label("score"))
            .select_from(posts_branch)
            .join(Post, Post.id == posts_branch.c.post_id)
        )
        replies_part = (
            select(*replies_branch.c, by_reply.score.label("score"))
            .select_from(replies_branch)
            .join(Reply, Reply.id == replies_branch.c.reply_id)
        )
    else:
        posts_part, replies_part = select(posts_branch), select(replies_branch)
    both = union_all(posts_part, replies_part).subquery("hits")
    return select(both.c.branch, both.c.post_id, both.c.reply_id, both.c.created_at, both.c.score).select_from(both)


async def search(
    session: AsyncSession,
    person: Person | None,
    q: str,
    filters: SearchFilters | None = None,
    *,
    cursor: str | None = None,
    limit: int = 20,
) -> SearchPage:
    """A page of what the person may read that matches `q` and the filters (see the module's docstring)."""
    filters = filters or SearchFilters()
    limit = max(1, min(limit, MAX_LIMIT))
    query = parse(q)
    message = " ".join(query.notes) or None
    relevance = filters.sort is Sort.RELEVANCE
    key = cursors.decode_key(cursor, 1 if relevance else 3)
    scope = await reading_scope(session, person)
    network_id: int | None = None
    if filters.network:
        chosen = scope.by_slug(filters.network)
        if chosen is None:  # absent or not readable: the same answer either way
            raise Invalid("Choose one of the networks you can read.", fields={"network": "Not one of your networks."})
        network_id = chosen.id
    empty = SearchPage(query=q, terms=query.terms, items=[], next_cursor=None, total=0, message=message)
    if not query.searchable or not scope.networks:
        return empty
    plan = _Plan(session.bind.dialect.name, query, scope, filters, network_id)
    if plan.dialect == "postgresql":
        posts_first, replies_first = await planning.from_index(session, query)
        plan = dataclasses.replace(plan, posts_from_index=posts_first, replies_from_index=replies_first)
        await index.plan_for_values(session)
    total: int | None = None
    more = False
    if relevance:
        offset = key[0] if key else 0
        if offset >= WINDOW + REPLY_WINDOW:
            return msgspec.structs.replace(empty, total=None)
        hits = _branches(plan, None, WINDOW, REPLY_WINDOW, latest=True).subquery("ranked")
        stmt = (
            select(hits, *_counts(hits.c.branch))
            .order_by(hits.c.score.desc(), hits.c.created_at.desc(), hits.c.branch, hits.c.post_id.desc())
            .offset(offset)
            .limit(limit + 1)
        )
        rows = list((await session.execute(stmt)).tuples())
        if offset == 0:
            total, more = (int(rows[0][5]), _cut(int(rows[0][6]), int(rows[0][7]))) if rows else (0, False)
        next_cursor = cursors.encode_key((offset + limit,)) if len(rows) > limit else None
    else:
        hits = _branches(plan, key, limit + 1).subquery("newest")
        stmt = select(hits).order_by(
            hits.c.created_at.desc(), hits.c.branch.desc(), func.coalesce(hits.c.reply_id, hits.c.post_id).desc()
        )
        rows = list((await session.execute(stmt.limit(limit + 1))).tuples())
        if key is None:
            total, more = await _count(session, plan)
        last = rows[limit - 1] if len(rows) > limit else None
        next_cursor = None
        if last is not None:
            last_id = int(last[2] if last[0] == REPLY else last[1])
            next_cursor = cursors.encode_key((_micros(last[3]), int(last[0]), last_id))
    items = await _hits(session, plan, rows[:limit], with_score=relevance)
    return SearchPage(
        query=q, terms=query.terms, items=items, next_cursor=next_cursor, total=total, more=more, message=message
    )


def _counts(branch: ColumnElement[int]) -> list[ColumnElement[int]]:
    """How many hits in all, of posts and of replies (window functions over the ranked window)."""
    return [
        func.count().over().label("total"),
        func.count().filter(branch == POST).over().label("posts"),
        func.count().filter(branch == REPLY).over().label("replies"),
    ]


async def _count(session: AsyncSession, plan: _Plan) -> tuple[int, bool]:
    """How many match, posts and replies each counted up to its window, and whether either was cut there."""
    hits = _branches(plan, None, WINDOW, REPLY_WINDOW, latest=True).subquery("counted")
    stmt = select(
        func.count(), func.count().filter(hits.c.branch == POST), func.count().filter(hits.c.branch == REPLY)
    ).select_from(hits)
    total, posts_, replies_ = (await session.execute(stmt)).one()
    return int(total), _cut(int(posts_), int(replies_))


def _cut(posts_: int, replies_: int) -> bool:
    """Whether either branch filled its window (so more may match than were counted)."""
    return posts_ >= WINDOW or replies_ >= REPLY_WINDOW


async def _hits(
    session: AsyncSession, plan: _Plan, rows: list[tuple[object, ...]], *, with_score: bool
) -> list[SearchHit]:
    post_ids = sorted({int(r[1]) for r in rows})  # type: ignore[call-overload]
    reply_ids = sorted({int(r[2]) for r in rows if r[2] is not None})  # type: ignore[call-overload]
    found = {p.id: p for p in (await session.execute(select(Post).where(Post.id.in_(post_ids)))).scalars()}
    views = {v.id: v for v in await post_views(session, plan.scope, list(found.values()))}
    replies = {}
    if reply_ids:
        replies = {r.id: r for r in (await session.execute(select(Reply).where(Reply.id.in_(reply_ids)))).scalars()}
    marked = await index.post_snippets(session, plan.dialect, plan.query, post_ids)
    reply_marks = await index.reply_snippets(session, plan.dialect, plan.query, reply_ids)
    out = []
    for branch, post_id, reply_id, _created, score, *_ in rows:
        post = found.get(int(post_id))  # type: ignore[call-overload]
        if post is None:
            continue
        mark = marked.get(post.id) or index.Marked(post.title, post.summary or post.body[:300])
        network_name = plan.scope.networks[post.network_id].name
        common = {
            "post": views[post.id],
            "network_name": network_name,
            "title_html": str(snippets.to_html(mark.title)),
            "score": round(float(score), 6) if with_score else None,  # type: ignore[arg-type]
        }
        if branch == REPLY and reply_id is not None:
            reply = replies.get(int(reply_id))  # type: ignore[call-overload]
            if reply is None:
                continue
            text = reply_marks.get(reply.id) or reply.body[:300]
            out.append(
                SearchHit(
                    match="reply",
                    url=f"/posts/{post.id}#reply-{reply.id}",
                    snippet_html=str(snippets.to_html(text)),
                    reply=reply_view(reply),
                    **common,  # type: ignore[arg-type]
                )
            )
        else:
            out.append(
                SearchHit(
                    match="post",
                    url=f"/posts/{post.id}",
                    snippet_html=str(snippets.to_html(mark.snippet)),
                    **common,  # type: ignore[arg-type]
                )
            )
    return out
