"""The full-text index on each database, as SQL the service composes: match, score and snippets.

PostgreSQL matches `search_vector @@ websearch_to_tsquery('english', …)` through the GIN index and scores
with `ts_rank` (weights: title 1.0, summary and themes 0.4, the rest 0.2; normalised by length, so a long
post does not win by length alone). SQLite matches `post_search MATCH …` through FTS5 and scores with
`bm25` (title 10, summary and themes 4, the rest 1), negated so that higher is better on both. A reply
scores at 0.8 of what the same words in a post would. Snippets come from `ts_headline` and FTS5's
`snippet`/`highlight`, with private-use characters around each match that network/search/snippets.py
turns into the only markup of the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from network.models import Post, Reply
from network.search import schema
from network.search.query import Query

START = "\ue000"
STOP = "\ue001"
REPLY_WEIGHT = 0.8
_HEADLINE = (
    f'StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'
)
_TITLE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
# ts_headline parses the whole text it is given (a 1,500-word post costs it 3 ms, so a page of 20 would
# cost 70): it is given a window of the text around the first place that looks like the query's longest
# word (its first letters, lower-cased; the match itself is the index's), or the text's start.
WINDOW_BEFORE = 300
WINDOW_CHARS = 1500
PREFIX = 5


def _around(text_: Any, query: Query) -> ColumnElement[str]:
    prefix = query.longest_word()[:PREFIX]
    at = func.strpos(func.lower(text_), bindparam("q_prefix", prefix))
    return func.substr(text_, func.greatest(at - WINDOW_BEFORE, 1), WINDOW_CHARS)


# for the rest of the transaction only (set_config's `true`), in one statement
_PLANNING = text(
    "SELECT set_config('max_parallel_workers_per_gather', '0', true),"
    " set_config('plan_cache_mode', 'force_custom_plan', true)"
)


async def plan_for_values(session: AsyncSession) -> None:
    """PostgreSQL: plan this transaction's searches for their own values, without parallel workers.

    A search reads a few hundred rows: starting parallel workers costs it more than they save (a
    filtered common word: 77 ms with two workers, 29 ms without, on 2 cores). And after five runs of a
    prepared statement PostgreSQL may keep a generic plan, blind to the scope's networks (a middling
    word at 1M posts: 150 ms against 40)."""
    await session.execute(_PLANNING)


_post_fts = table(schema.POST_SEARCH, column("rowid"))
_reply_fts = table(schema.REPLY_SEARCH, column("rowid"))


@dataclass(frozen=True, slots=True)
class Matching:
    """How one table is matched on one database: add `joined` to a select, filter by `where`, order by `score`."""

    where: Any  # a boolean clause (ColumnElement or TextClause)
    score: ColumnElement[Any]
    fts: Any = None  # SQLite: the FTS5 table to join on rowid

    @property
    def scored_apart(self) -> bool:
        """Whether `score` can be computed in a query of its own over rows already chosen (PostgreSQL's
        reads only the row's stored vector; FTS5's bm25 exists only inside the MATCH that found the row)."""
        return self.fts is None


def _tsquery(query: Query, any_word: bool = False, key: str = "q") -> ColumnElement[object]:
    typed = query.websearch_any() if any_word else query.websearch()
    # written into the statement (escaped by SQLAlchemy), not sent as a parameter: a prepared statement's
    # generic plan cannot tell a rare word (walk the GIN index) from a common one (walk the newest posts)
    words: BindParameter[str] = bindparam(f"{key}_ts", typed, literal_execute=True)
    return func.websearch_to_tsquery(literal_column("'english'::regconfig"), words)


def posts(dialect: str, query: Query, *, any_word: bool = False, key: str = "q") -> Matching:
    """Posts with every word (a search), or with any of them (`any_word`: related practice); `key`
    names the query's parameter, for statements that hold several."""
    if dialect == "postgresql":
        vector: ColumnElement[Any] = literal_column("posts.search_vector")
        tsquery = _tsquery(query, any_word, key)
        return Matching(vector.op("@@")(tsquery), func.ts_rank(vector, tsquery, 1))
    typed = query.fts5_any() if any_word else query.fts5()
    return Matching(
        text(f"{schema.POST_SEARCH} MATCH :{key}_fts").bindparams(bindparam(f"{key}_fts", typed)),
        -func.bm25(literal_column(schema.POST_SEARCH), 10.0, 4.0, 1.0),
        _post_fts,
    )


def replies(dialect: str, query: Query) -> Matching:
    if dialect == "postgresql":
        vector: ColumnElement[Any] = literal_column("replies.search_vector")
        return Matching(vector.op("@@")(_tsquery(query)), func.ts_rank(vector, _tsquery(query), 1) * REPLY_WEIGHT)
    return Matching(
        text(f"{schema.REPLY_SEARCH} MATCH :q_fts").bindparams(q_fts=query.fts5()),
        -func.bm25(literal_column(schema.REPLY_SEARCH)) * REPLY_WEIGHT,
        _reply_fts,
    )


def latest_first(match: Matching) -> ColumnElement[Any]:
    """SQLite: the order that walks the FTS5 table backwards from the latest written row and stops at a
    limit (ids are given in the order rows are written), where `created_at` would have FTS5 hand over
    every match to be sorted first."""
    assert match.fts is not None
    return literal_column(f"{match.fts.name}.rowid").desc()


def join_posts(stmt: Select[Any], match: Matching) -> Select[Any]:
    """The select over posts, joined to the FTS5 table where there is one."""
    if match.fts is None:
        return stmt
    return stmt.join(match.fts, literal_column(f"{schema.POST_SEARCH}.rowid") == Post.id)  # type: ignore[arg-type]


def join_replies(stmt: Select[Any], match: Matching) -> Select[Any]:
    if match.fts is None:
        return stmt
    return stmt.join(match.fts, literal_column(f"{schema.REPLY_SEARCH}.rowid") == Reply.id)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Marked:
    """A title and a snippet with START/STOP around each match (still plain text, not yet escaped)."""

    title: str
    snippet: str


async def having(
    session: AsyncSession, dialect: str, queries: Sequence[Query], ids: Sequence[int]
) -> dict[int, set[int]]:
    """Which of the queries (by position) each of these posts matches, in one statement."""
    found: dict[int, set[int]] = {i: set() for i in ids}
    branches = []
    for at, query in enumerate(queries):
        if query.searchable:
            match = posts(dialect, query, key=f"h{at}")
            chosen = select(literal(at).label("at"), Post.id.label("post_id"))
            branches.append(join_posts(chosen, match).where(match.where, Post.id.in_(list(ids))))
    if not ids or not branches:
        return found
    stmt = union_all(*(select(b.subquery()) for b in branches))
    for at, post_id in (await session.execute(stmt)).tuples():
        found[int(post_id)].add(int(at))
    return found


async def post_snippets(session: AsyncSession, dialect: str, query: Query, ids: Sequence[int]) -> dict[int, Marked]:
    if not ids:
        return {}
    if dialect == "postgresql":
        rest = func.concat_ws(
            " ",
            Post.summary,
            Post.body,
            Post.setting,
            Post.what_we_did,
            Post.what_we_stopped,
            Post.impact,
            Post.outcome,
        )
        stmt = select(
            Post.id,
            func.ts_headline(literal_column("'english'::regconfig"), Post.title, _tsquery(query), _TITLE),
            func.ts_headline(literal_column("'english'::regconfig"), _around(rest, query), _tsquery(query), _HEADLINE),
        ).where(Post.id.in_(ids))
        return {i: Marked(t, s) for i, t, s in (await session.execute(stmt)).tuples()}
    fts = schema.POST_SEARCH
    sqlite = text(
        f"SELECT rowid, highlight({fts}, 0, :a, :b), snippet({fts}, 1, :a, :b, '…', 32),"  # noqa: S608 - our table
        f" snippet({fts}, 2, :a, :b, '…', 32) FROM {fts} WHERE {fts} MATCH :q_fts AND rowid IN :ids"
    ).bindparams(bindparam("ids", list(ids), expanding=True), a=START, b=STOP, q_fts=query.fts5())
    out = {}
    for row_id, title, summary, rest in (await session.execute(sqlite)).tuples():
        out[int(row_id)] = Marked(title, rest if START in rest or START not in summary else summary)
    return out


async def reply_snippets(session: AsyncSession, dialect: str, query: Query, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    if dialect == "postgresql":
        stmt = select(
            Reply.id,
            func.ts_headline(
                literal_column("'english'::regconfig"), _around(Reply.body, query), _tsquery(query), _HEADLINE
            ),
        ).where(Reply.id.in_(ids))
        return {int(i): s for i, s in (await session.execute(stmt)).tuples()}
    fts = schema.REPLY_SEARCH
    sqlite = text(
        f"SELECT rowid, snippet({fts}, 0, :a, :b, '…', 32) FROM {fts} WHERE {fts} MATCH :q_fts AND rowid IN :ids"  # noqa: S608
    ).bindparams(bindparam("ids", list(ids), expanding=True), a=START, b=STOP, q_fts=query.fts5())
    return {int(i): s for i, s in (await session.execute(sqlite)).tuples()}
