"""Search: `GET /api/v1/search`, ranked full-text matches in what you may read, with filters and a cursor."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from network.search import filters, service
from network.search.service import SearchPage
from server.api.params import Cursor, Limit
from server.deps import Db, Me


class SearchController(Controller):
    path = "/search"
    tags = ["search"]

    @get(
        "/",
        summary="Search practices, requests and replies you may read",
        description=(
            'Words are matched by their stem (attend, attending, attendance); `"a phrase"` in quotes; '
            "`-word` leaves a word out. Sorted by relevance (the newest 300 matching posts and 300 replies, "
            "ranked; title first, then summary and themes, then the rest) or by newest. A query that cannot be "
            "searched as typed (only very common words, only exclusions, too long) is answered with `message` "
            "and what could be searched. `total` comes on the first page; `more` says more matched than "
            "were counted and ranked: a narrower search finds the best of them all."
        ),
    )
    async def search(
        self,
        db: Db,
        person: Me,
        q: Annotated[str, QueryParameter(description="What to look for.", max_length=10_000)] = "",
        network: Annotated[str | None, QueryParameter(description="A network's slug.", max_length=100)] = None,
        kind: Annotated[str | None, QueryParameter(description="practice or request.", max_length=40)] = None,
        theme: Annotated[str | None, QueryParameter(description="One of the post's themes.", max_length=100)] = None,
        phase: Annotated[str | None, QueryParameter(description="A phase of education.", max_length=40)] = None,
        evidence: Annotated[
            str | None, QueryParameter(description="A practice's evidence strength.", max_length=40)
        ] = None,
        status: Annotated[str | None, QueryParameter(description="A request's status.", max_length=40)] = None,
        organisation: Annotated[str | None, QueryParameter(description="An organisation's id.", max_length=20)] = None,
        since: Annotated[str | None, QueryParameter(description="From this date (YYYY-MM-DD).", max_length=10)] = None,
        until: Annotated[str | None, QueryParameter(description="To this date, inclusive.", max_length=10)] = None,
        sort: Annotated[str | None, QueryParameter(description="relevance (default) or newest.", max_length=20)] = None,
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> SearchPage:
        chosen = filters.read(
            {
                "network": network,
                "kind": kind,
                "theme": theme,
                "phase": phase,
                "evidence": evidence,
                "status": status,
                "organisation": organisation,
                "since": since,
                "until": until,
                "sort": sort,
            }
        )
        return await service.search(db, person, q, chosen, cursor=cursor, limit=limit)
