"""The search page: posts the reader may read, matching words highlighted.

Highlighting escapes the text first and only then wraps the matches in `<mark>`, so nothing a
post says can become markup here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.response import Template
from markupsafe import Markup, escape

from network.content import search
from network.content.search import SearchHit, SearchResults
from network.enums import PostKind
from network.errors import Invalid
from network.markdown import render
from server.deps import Db, Viewer
from web.render import page

EXCERPT = 240
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    longest_first = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in longest_first), re.IGNORECASE)


def highlight(text: str, words: list[str]) -> Markup:
    """The text escaped, with each (case-insensitive) occurrence of a word wrapped in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    parts: list[Markup] = []
    at = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[at : match.start()]))
        parts.append(Markup("<mark>{}</mark>").format(match.group()))
        at = match.end()
    parts.append(escape(text[at:]))
    return Markup("").join(parts)


def plain(markdown_text: str) -> str:
    """Markdown as one line of plain text (rendered and sanitised, then the tags dropped)."""
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", render(markdown_text)))).strip()


def excerpt(text: str, words: list[str], width: int = EXCERPT) -> str:
    """About `width` characters of the text around the first match (or its start)."""
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    if len(text) <= width:
        return text
    start = 0 if match is None else max(0, match.start() - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


@dataclass(frozen=True, slots=True)
class Result:
    hit: SearchHit
    title: Markup
    text: Markup
    themes: list[Markup]


def results_for(found: SearchResults) -> list[Result]:
    out = []
    pattern = _pattern(found.terms)
    for hit in found.items:
        body = plain(hit.post.body)
        source = body if pattern is not None and pattern.search(body) else (hit.post.summary or body)
        out.append(
            Result(
                hit=hit,
                title=highlight(hit.post.title, found.terms),
                text=highlight(excerpt(source, found.terms), found.terms),
                themes=[highlight(t, found.terms) for t in hit.post.themes],
            )
        )
    return out


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or "1"))
    except ValueError:
        return 1


@get("/search", summary="Search page", include_in_schema=False)
async def search_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    params = request.query_params
    q = str(params.get("q") or "")
    kind_raw = str(params.get("kind") or "")
    network = str(params.get("network") or "")
    number = _page_number(params.get("page"))
    errors: dict[str, str] = {}
    kind: PostKind | None = None
    if kind_raw:
        try:
            kind = PostKind(kind_raw)
        except ValueError:
            errors["kind"] = "Choose practices, requests or both."
    scope = await search.reading_scope(db, viewer)
    found = SearchResults(query=q, terms=search.terms(q), items=[], total=0, page=1, pages=0)
    if not errors:
        try:
            found = await search.search_posts(db, viewer, q, kind=kind, network=network or None, page=number)
        except Invalid as exc:
            errors.update({name: exc.message for name in exc.fields or ["q"]})

    def link(to_page: int) -> str:
        query = {"q": q, "kind": kind_raw, "network": network, "page": str(to_page)}
        return "/search?" + urlencode({k: v for k, v in query.items() if v})

    return await page(
        "search.html",
        request,
        db,
        viewer,
        status_code=422 if errors else 200,
        q=q,
        kind=kind_raw,
        network=network,
        networks=sorted(scope.networks.values(), key=lambda n: n.name.lower()),
        found=found,
        results=results_for(found),
        errors=errors,
        first=(found.page - 1) * search.PER_PAGE + 1,
        previous=link(found.page - 1) if found.page > 1 else None,
        next=link(found.page + 1) if found.page < found.pages else None,
    )


handlers = [search_page]
