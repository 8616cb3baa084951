"""The full-text index's DDL on each database, as migrations create it.

PostgreSQL: a stored generated `tsvector` on `posts` and `replies` (English configuration, so "attend",
"attending" and "attendance" meet), weighted title A, summary and themes B, the rest C, each with a GIN
index; and on `saved_searches` a generated `tsquery`, so one statement tests every saved search against
a new post's vector.

SQLite: FTS5 tables with the porter tokenizer, rowid = the post's or reply's id, kept current by
triggers; one of the saved searches' anchors (their longest words); and, in each connection's `temp`,
a one-row table that a new post is copied into to be checked against the saved searches it may match.
FTS5 keeps its own copy of the text (the snippets need it; `rest` is not a column of `posts`).
A migration that rebuilds `posts` or `replies` on SQLite (a batch operation) drops their triggers:
it must run `sqlite_triggers()` again afterwards.

These live outside the ORM models (neither database has the other's objects); `server.migrate.include_name`
keeps autogenerate from reporting them.
"""

from __future__ import annotations

CONFIG = "english"
STATISTICS = 1000

# the generated columns, in one place so the documentation and the DDL agree
_POST_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(themes, '[]'::jsonb)), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(body, '') || ' ' || coalesce(setting, '') || ' '"
    " || coalesce(what_we_did, '') || ' ' || coalesce(what_we_stopped, '') || ' ' || coalesce(impact, '') || ' '"
    " || coalesce(outcome, '')), 'C')"
)
_REPLY_VECTOR = "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')"

# SQLite: what each FTS5 column holds, from a row of posts (`r` is NEW or OLD in a trigger)
_POST_COLUMNS = (
    "coalesce(r.title, '')",
    "coalesce(r.summary, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(r.themes)), '')",
    " || ' ' || ".join(
        f"coalesce(r.{c}, '')" for c in ("body", "setting", "what_we_did", "what_we_stopped", "impact", "outcome")
    ),
)
_TOKENIZE = "porter unicode61 remove_diacritics 2"

POST_SEARCH = "post_search"
REPLY_SEARCH = "reply_search"
SAVED_ANCHORS = "saved_search_anchors"
ALERT_POST = "alert_post"  # in `temp`, each connection's own; one row: the post saved searches are checked against
NAMES = frozenset({POST_SEARCH, REPLY_SEARCH, SAVED_ANCHORS})
COLUMNS = frozenset({"search_vector", "match_query"})
INDEXES = frozenset({"ix_posts_search", "ix_replies_search"})


def _post_values(row: str) -> str:
    return ", ".join(c.replace("r.", f"{row}.") for c in _POST_COLUMNS)


def sqlite_triggers() -> list[str]:
    """Triggers that keep the FTS5 tables current (dropped and created again: safe to re-run)."""
    text_columns = "title, summary, themes, body, setting, what_we_did, what_we_stopped, impact, outcome"
    return [
        "DROP TRIGGER IF EXISTS posts_search_insert",
        "DROP TRIGGER IF EXISTS posts_search_update",
        "DROP TRIGGER IF EXISTS posts_search_delete",
        "DROP TRIGGER IF EXISTS replies_search_insert",
        "DROP TRIGGER IF EXISTS replies_search_update",
        "DROP TRIGGER IF EXISTS replies_search_delete",
        f"CREATE TRIGGER posts_search_insert AFTER INSERT ON posts BEGIN"
        f" INSERT INTO {POST_SEARCH}(rowid, title, summary, rest) VALUES (new.id, {_post_values('new')}); END",
        f"CREATE TRIGGER posts_search_update AFTER UPDATE OF {text_columns} ON posts BEGIN"
        f" DELETE FROM {POST_SEARCH} WHERE rowid = old.id;"
        f" INSERT INTO {POST_SEARCH}(rowid, title, summary, rest) VALUES (new.id, {_post_values('new')}); END",
        f"CREATE TRIGGER posts_search_delete AFTER DELETE ON posts BEGIN"
        f" DELETE FROM {POST_SEARCH} WHERE rowid = old.id; END",
        f"CREATE TRIGGER replies_search_insert AFTER INSERT ON replies BEGIN"
        f" INSERT INTO {REPLY_SEARCH}(rowid, body) VALUES (new.id, coalesce(new.body, '')); END",
        f"CREATE TRIGGER replies_search_update AFTER UPDATE OF body ON replies BEGIN"
        f" DELETE FROM {REPLY_SEARCH} WHERE rowid = old.id;"
        f" INSERT INTO {REPLY_SEARCH}(rowid, body) VALUES (new.id, new.body); END",
        f"CREATE TRIGGER replies_search_delete AFTER DELETE ON replies BEGIN"
        f" DELETE FROM {REPLY_SEARCH} WHERE rowid = old.id; END",
    ]


def create(dialect: str) -> list[str]:
    """The index of posts and replies, filled from the rows already there."""
    if dialect == "postgresql":
        return [
            f"ALTER TABLE posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_POST_VECTOR}) STORED",
            "CREATE INDEX ix_posts_search ON posts USING gin (search_vector)",
            # ten times the default sample of words: the planner then knows a rare word from a middling
            # one (a word missing from the sample is guessed at half the rarest sampled word's share)
            f"ALTER TABLE posts ALTER COLUMN search_vector SET STATISTICS {STATISTICS}",
            f"ALTER TABLE replies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_REPLY_VECTOR}) STORED",
            "CREATE INDEX ix_replies_search ON replies USING gin (search_vector)",
            f"ALTER TABLE replies ALTER COLUMN search_vector SET STATISTICS {STATISTICS}",
        ]
    return [
        f"CREATE VIRTUAL TABLE {POST_SEARCH} USING fts5(title, summary, rest, tokenize='{_TOKENIZE}')",
        f"CREATE VIRTUAL TABLE {REPLY_SEARCH} USING fts5(body, tokenize='{_TOKENIZE}')",
        f"INSERT INTO {POST_SEARCH}(rowid, title, summary, rest) SELECT r.id, {_post_values('r')} FROM posts r",
        f"INSERT INTO {REPLY_SEARCH}(rowid, body) SELECT id, body FROM replies",
        *sqlite_triggers(),
    ]


def drop(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            "DROP INDEX IF EXISTS ix_replies_search",
            "ALTER TABLE replies DROP COLUMN IF EXISTS search_vector",
            "DROP INDEX IF EXISTS ix_posts_search",
            "ALTER TABLE posts DROP COLUMN IF EXISTS search_vector",
        ]
    return [
        *[s for s in sqlite_triggers() if s.startswith("DROP")],
        f"DROP TABLE IF EXISTS {REPLY_SEARCH}",
        f"DROP TABLE IF EXISTS {POST_SEARCH}",
    ]


def create_saved(dialect: str) -> list[str]:
    """How saved searches meet a new post without a loop over them: PostgreSQL tests a stored tsquery
    against the post's vector in one statement; SQLite first finds the saved searches whose anchor (their
    longest word) the post contains, through an FTS5 table of anchors, and tests only those."""
    if dialect == "postgresql":
        return [
            "ALTER TABLE saved_searches ADD COLUMN match_query tsquery"
            " GENERATED ALWAYS AS (websearch_to_tsquery('english'::regconfig, search_text)) STORED",
        ]
    return [
        f"CREATE VIRTUAL TABLE {SAVED_ANCHORS} USING fts5(anchor, tokenize='{_TOKENIZE}')",
        "CREATE TRIGGER saved_searches_anchor_insert AFTER INSERT ON saved_searches BEGIN"
        f" INSERT INTO {SAVED_ANCHORS}(rowid, anchor) VALUES (new.id, new.anchor); END",
        "CREATE TRIGGER saved_searches_anchor_update AFTER UPDATE OF anchor ON saved_searches BEGIN"
        f" DELETE FROM {SAVED_ANCHORS} WHERE rowid = old.id;"
        f" INSERT INTO {SAVED_ANCHORS}(rowid, anchor) VALUES (new.id, new.anchor); END",
        "CREATE TRIGGER saved_searches_anchor_delete AFTER DELETE ON saved_searches BEGIN"
        f" DELETE FROM {SAVED_ANCHORS} WHERE rowid = old.id; END",
    ]


def drop_saved(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["ALTER TABLE saved_searches DROP COLUMN IF EXISTS match_query"]
    return [
        "DROP TRIGGER IF EXISTS saved_searches_anchor_insert",
        "DROP TRIGGER IF EXISTS saved_searches_anchor_update",
        "DROP TRIGGER IF EXISTS saved_searches_anchor_delete",
        f"DROP TABLE IF EXISTS {SAVED_ANCHORS}",
    ]


def sqlite_alert_post() -> list[str]:
    """A connection's own one-row FTS5 table, with the posts' tokenizer, made afresh for each post
    (SQLite: network/search/saved.py checks a new post against the saved searches it may match there).
    Afresh, not emptied: FTS5 keeps a replaced row's index segments until it merges them, and every
    check would read them all (five times slower after a few dozen posts)."""
    columns = f"title, summary, rest, tokenize='{_TOKENIZE}'"
    return [
        f"DROP TABLE IF EXISTS temp.{ALERT_POST}",
        f"CREATE VIRTUAL TABLE temp.{ALERT_POST} USING fts5({columns})",
    ]
