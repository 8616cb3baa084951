"""The search page: a plain GET form that works without JavaScript, filters as links that can be
bookmarked, and results as the feed shows them, with the matching words marked (network/search/)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.response import Template

from network.cursors import BadCursor
from network.enums import EvidenceStrength, Phase, PostKind, RequestStatus
from network.errors import Invalid
from network.models import Organisation
from network.search import filters as search_filters
from network.search import service
from network.search.filters import SearchFilters
from network.search.query import parse
from network.search.scope import reading_scope
from server.deps import Db, Viewer
from web.render import page

PER_PAGE = 20


def link(q: str, chosen: SearchFilters, **extra: str) -> str:
    """The search page for this query and filters (and e.g. a cursor)."""
    params = {"q": q, **chosen.params(), **extra}
    return "/search?" + urlencode({k: v for k, v in params.items() if v})


def _first_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or "1"), 10_000))
    except ValueError:
        return 1


@get("/search", summary="Search page", include_in_schema=False)
async def search_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    params = request.query_params
    q = str(params.get("q") or "")
    cursor = str(params.get("cursor") or "") or None
    first = _first_number(params.get("from")) if cursor else 1
    errors: dict[str, str] = {}
    chosen = SearchFilters()
    try:
        chosen = search_filters.read(params)
    except Invalid as exc:
        errors.update(exc.fields or {"q": exc.message})
    scope = await reading_scope(db, viewer)
    query = parse(q)
    found = service.SearchPage(query=q, terms=query.terms, items=[], next_cursor=None, total=0)
    if not errors and viewer is not None and q.strip():
        try:
            found = await service.search(db, viewer, q, chosen, cursor=cursor, limit=PER_PAGE)
        except BadCursor:
            errors["q"] = "That page of results has moved on: start again from the first page."
        except Invalid as exc:
            errors.update({name: exc.message for name in exc.fields or ["q"]})
    removals = [
        (name, value, link(q, chosen.with_(**{name: None})))
        for name, value in chosen.params().items()
        if name != "sort"
    ]
    organisation = await db.get(Organisation, chosen.organisation) if chosen.organisation else None
    return await page(
        "search.html",
        request,
        db,
        viewer,
        status_code=422 if errors else 200,
        q=q,
        chosen=chosen,
        values=chosen.params(),
        networks=sorted(scope.networks.values(), key=lambda n: n.name.lower()),
        kinds=list(PostKind),
        phases=list(Phase),
        evidence_levels=list(EvidenceStrength),
        statuses=list(RequestStatus),
        found=found,
        searched=bool(q.strip()),
        saveable=viewer is not None and query.searchable and not errors,
        errors=errors,
        first=first,
        removals=removals,
        organisation=organisation,
        link=lambda **changes: link(q, chosen.with_(**changes)),
        next=(
            link(q, chosen, cursor=found.next_cursor, **{"from": str(first + len(found.items))})
            if found.next_cursor
            else None
        ),
        restart=link(q, chosen) if cursor else None,
    )


handlers = [search_page]
