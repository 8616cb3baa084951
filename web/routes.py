"""Every browser page, in one list (mounted by `server/app.py`)."""

from __future__ import annotations

from litestar import Router

from web import (
    auth_pages,
    compose_pages,
    governance_pages,
    moderation_pages,
    network_pages,
    notification_pages,
    pages,
    people_pages,
    post_pages,
    search_pages,
)

web_router = Router(
    path="/",
    route_handlers=[
        pages.home,
        *auth_pages.handlers,
        *network_pages.handlers,
        *notification_pages.handlers,
        *people_pages.handlers,
        *post_pages.handlers,
        *compose_pages.handlers,
        *search_pages.handlers,
        *moderation_pages.handlers,
        *governance_pages.handlers,
    ],
    include_in_schema=False,
)
