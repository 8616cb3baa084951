"""Related practice: what could help with a request, and the open requests a practice could answer.

On a request's page, practices that match its need; on a practice's page, open requests it could
answer ("who needs this: could you offer?"). Both only from networks the viewer may read now (the
permission table, through `Scope`), never the post itself, and a request's page never lists its own
organisation's practice as news to it, nor a practice's page the viewer's organisation's requests.

The need is the post's title, then its summary and themes, then the start of its text, read as a
search (network/search/query.py), less the words nearly every post here has (`EVERYDAY`: school,
pupils, trust…), at most `MAX_TERMS` words. Candidates are the posts with any of
those words, found through the index and taken latest first up to `WINDOW`, ranked by the index's
score; the best `CANDIDATES` are then scored in full: the share of the need's words each has
(stemmed, as search matches them), the practice's themes that the request speaks of (a request has
no themes of its own: its text is searched for the practice's themes), and how strong the
practice's evidence is. A candidate with less than half the need's words (a title's word counting
three times), or a quarter with a theme in common, is not shown: nothing is better than something unrelated.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import EvidenceStrength, PostKind, RequestStatus
from network.models import Person, Post
from network.search import index
from network.search.query import MAX_TERMS, STOP_WORDS, Query, parse
from network.search.scope import Scope, reading_scope

WINDOW = 1000
NEED_TEXT = 300  # characters of the post's text read for its need, after title, summary and themes
CANDIDATES = 30
SHOWN = 5
EVIDENCE_WEIGHT = {
    None: 0.0,
    EvidenceStrength.ANECDOTAL: 0.05,
    EvidenceStrength.INTERNAL_DATA: 0.1,
    EvidenceStrength.COMPARISON: 0.15,
    EvidenceStrength.EXTERNAL_EVALUATION: 0.2,
}
THEME_WEIGHT = 0.3
TITLE_WEIGHT = 3.0  # a word of the title, against one of the text
MAX_THEMES = 40
OPEN = (RequestStatus.OPEN, RequestStatus.IN_DISCUSSION)


class RelatedPost(msgspec.Struct):
    """A post that may help (or be helped): why it was chosen is in `shared_themes` and `words`."""

    id: int
    kind: PostKind
    title: str
    url: str
    network: str
    network_name: str
    organisation: str
    evidence_strength: EvidenceStrength | None
    status: RequestStatus | None
    shared_themes: list[str]
    words: int  # how many of the need's words it has


@dataclass(frozen=True, slots=True)
class _Scored:
    post: Post
    score: float
    words: int
    share: float  # of the need's words, a title's counting three times
    themes: list[str]


# Words nearly every post here has: they say nothing about what a post is about, so a need is not
# read from them (search still finds them; this is only what "related" compares).
EVERYDAY = frozenset(
    """school schools pupil pupils student students trust trusts academy academies teacher teachers staff
    leader leaders year years term terms week weeks day days time help helped helps need needs needed would
    could like use used using work worked working want wanted looking anyone other others share shared
    sharing new one two also make made get good well based across every many much way ways really""".split()  # noqa: SIM905
)


def _need(post: Post) -> list[str]:
    """The telling words of the title, then of the summary and themes, then of the text's start."""
    parts = [post.title, " ".join([post.summary, *post.themes]), post.body[:NEED_TEXT]]
    words = dict.fromkeys(w for part in parts for w in parse(part).terms if _telling(w))
    return list(words)[:MAX_TERMS]


def _telling(word: str) -> bool:
    """A word that can say what a post is about: not an everyday or common word, a number or a fragment."""
    return len(word) >= 3 and not word.isdigit() and word not in EVERYDAY and word not in STOP_WORDS


def _weights(post: Post, words: list[str]) -> list[float]:
    """A word of the title counts three times: it names the need; the text around it only describes it."""
    titled = set(parse(post.title).terms) - EVERYDAY
    return [TITLE_WEIGHT if w in titled else 1.0 for w in words]


async def related(session: AsyncSession, viewer: Person | None, post: Post, *, limit: int = SHOWN) -> list[RelatedPost]:
    """For a request, practices that may help; for a practice, open requests it could answer."""
    if viewer is None:
        return []
    words = _need(post)
    if not words:
        return []
    scope = await reading_scope(session, viewer)
    if not scope.networks:
        return []
    scored = await _candidates(session, scope, viewer, post, words)
    kept = [s for s in scored if s.share >= 0.5 or (s.themes and s.share >= 0.25)]
    kept.sort(key=lambda s: (-s.score, -s.post.id))
    return [
        RelatedPost(
            id=s.post.id,
            kind=s.post.kind,
            title=s.post.title,
            url=f"/posts/{s.post.id}",
            network=scope.networks[s.post.network_id].slug,
            network_name=scope.networks[s.post.network_id].name,
            organisation=s.post.author.organisation.name,
            evidence_strength=s.post.evidence_strength,
            status=s.post.status,
            shared_themes=s.themes,
            words=s.words,
        )
        for s in kept[:limit]
    ]


async def _candidates(
    session: AsyncSession, scope: Scope, viewer: Person, post: Post, words: list[str]
) -> list[_Scored]:
    dialect = session.get_bind().dialect.name
    match = index.posts(dialect, parse(" ".join(words)), any_word=True)
    if dialect == "postgresql":
        await index.plan_for_values(session)
    if post.kind is PostKind.REQUEST:  # practice that may help, not the requester's own
        fits = [Post.kind == PostKind.PRACTICE, Post.organisation_id != post.organisation_id]
    else:  # requests still open that the viewer's organisation could answer
        fits = [Post.kind == PostKind.REQUEST, Post.status.in_(OPEN), Post.organisation_id != viewer.organisation_id]
    if match.scored_apart:  # PostgreSQL: the window is chosen first, and only its rows are ranked
        chosen = (
            select(Post.id)
            .where(match.where, scope.posts_clause(), Post.id != post.id, *fits)
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(WINDOW)
            .subquery("window")
        )
        ranked = (
            select(chosen.c.id, match.score.label("score"))
            .select_from(chosen)
            .join(Post, Post.id == chosen.c.id)
            .subquery("ranked")
        )
    else:  # FTS5 scores only inside its MATCH, and walks backwards from the latest written row
        ranked = (
            index.join_posts(select(Post.id, match.score.label("score")), match)
            .where(match.where, scope.posts_clause(), Post.id != post.id, *fits)
            .order_by(index.latest_first(match))
            .limit(WINDOW)
            .subquery("ranked")
        )
    best = select(ranked.c.id, ranked.c.score).order_by(ranked.c.score.desc(), ranked.c.id.desc()).limit(CANDIDATES)
    rows = list((await session.execute(best)).tuples())
    if not rows:
        return []
    ids = [int(r[0]) for r in rows]
    top = max(float(r[1]) for r in rows) or 1.0
    text_score = {int(r[0]): float(r[1]) / top for r in rows}
    found = {p.id: p for p in (await session.execute(select(Post).where(Post.id.in_(ids)))).scalars()}
    counts = await index.having(session, dialect, [Query(words=(w,)) for w in words], ids)
    weights = _weights(post, words)
    shared = await _shared_themes(session, dialect, post, [found[i] for i in ids if i in found])
    out = []
    for post_id in ids:
        candidate = found.get(post_id)
        if candidate is None:
            continue
        themes = shared.get(post_id, [])
        share = sum(weights[at] for at in counts.get(post_id, ())) / sum(weights)
        practice = candidate if candidate.kind is PostKind.PRACTICE else post
        score = text_score[post_id] * 0.5 + share + THEME_WEIGHT * len(themes)
        score += EVIDENCE_WEIGHT.get(practice.evidence_strength, 0.0)
        out.append(_Scored(candidate, score, len(counts.get(post_id, ())), share, themes))
    return out


async def _shared_themes(
    session: AsyncSession, dialect: str, post: Post, candidates: list[Post]
) -> dict[int, list[str]]:
    """Per candidate, the practice's themes that the request speaks of (as phrases, stemmed)."""
    if post.kind is PostKind.PRACTICE:  # this practice's themes, in each candidate request
        queries = [parse(f'"{t}"') for t in post.themes]
        found = await index.having(session, dialect, queries, [c.id for c in candidates])
        return {c.id: [post.themes[at] for at in sorted(found.get(c.id, ()))] for c in candidates}
    # each candidate's themes (the first `MAX_THEMES` of them), in this request
    themes = sorted({t for c in candidates for t in c.themes})[:MAX_THEMES]
    present = await index.having(session, dialect, [parse(f'"{t}"') for t in themes], [post.id])
    spoken = {themes[at].lower() for at in present.get(post.id, ())}
    return {c.id: [t for t in c.themes if t.lower() in spoken] for c in candidates}
