"""Which way PostgreSQL should find a search's newest matches: from the GIN index, or down the newest rows.

Each branch asks for its newest few hundred matches. For a word in most posts, walking `created_at`
backwards finds them in a few hundred rows; for a rare word, the GIN index finds them all at once. The
planner chooses between the two from the column's sample of words, and for a word of middling share
(one post in a hundred, at a million posts) it walks the newest rows, testing each post's stored
vector (read from its compressed storage) through tens of thousands of them: half a second, where the
index and a sort take a tenth of that. So the service reads the same sample itself (`pg_stats`, kept
for `STATS_SECONDS` per process), estimates the query's share as its rarest word's, and when walking
would read more rows than the index would return (share below the square root of `BALANCE` over the
table's rows) orders by an expression the `created_at` index cannot serve, which leaves the planner
the index. SQLite's FTS5 always starts from its index, so this is PostgreSQL's alone.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from network.search.query import Query

STATS_SECONDS = 600.0
# rows read walking (WINDOW / share, each a stored vector to decompress) against rows the index returns
# (share * rows, each cheap): equal where share² = WINDOW * cost ratio / rows; 300 * 5
BALANCE = 1500.0

_STATS = text(
    "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples"
    " FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename"
    " WHERE s.tablename = :table AND s.attname = 'search_vector' AND s.schemaname = current_schema()"
)
_LEXEMES = text("SELECT tsvector_to_array(to_tsvector('english'::regconfig, :words))")


@dataclass(frozen=True, slots=True)
class Sample:
    rows: float
    shares: dict[str, float]
    unseen: float  # the share guessed for a word the sample does not hold (half its rarest)


_kept: dict[str, tuple[float, Sample | None]] = {}


async def sample(session: AsyncSession, table: str) -> Sample | None:
    """The table's sample of words (None before the first ANALYZE)."""
    now = time.monotonic()
    kept = _kept.get(table)
    if kept is not None and kept[0] > now:
        return kept[1]
    row = (await session.execute(_STATS, {"table": table})).first()
    found = None
    if row is not None and row[0] and row[1]:
        words, shares, rows = list(row[0]), list(row[1]), float(row[2] or 0)
        found = Sample(rows, dict(zip(words, shares[: len(words)], strict=True)), min(shares[: len(words)]) / 2)
    _kept[table] = (now + STATS_SECONDS, found)
    return found


async def from_index(session: AsyncSession, query: Query) -> tuple[bool, bool]:
    """Whether the posts' and the replies' branch should start from the GIN index (the module's docstring)."""
    lexemes = list((await session.execute(_LEXEMES, {"words": " ".join(query.terms)})).scalar_one() or [])
    return await _rare(session, "posts", lexemes), await _rare(session, "replies", lexemes)


async def _rare(session: AsyncSession, table: str, lexemes: list[str]) -> bool:
    found = await sample(session, table)
    if found is None or found.rows <= 0 or not lexemes:
        return False
    share = min(found.shares.get(lexeme, found.unseen) for lexeme in lexemes)
    return share < math.sqrt(BALANCE / found.rows)
