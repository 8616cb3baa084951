"""Every browser page, in one list (mounted by `server/app.py`)."""

from __future__ import annotations

from litestar import Router

from web import pages
from web.casework import appeal_pages, moderation_pages
from web.content import adoption_pages, compose_pages, post_pages, saved_search_pages, search_pages
from web.engagements import engagement_forms, engagement_pages, flag_pages, listing_fragments, my_engagements
from web.governance import charter_pages, log_pages, open_data_pages, settings_pages
from web.people import (
    account_pages,
    admin_organisation_pages,
    auth_pages,
    confirm_pages,
    join_pages,
    leave_pages,
    mail_settings_pages,
    network_pages,
    notification_pages,
    organisation_people_pages,
    password_pages,
    people_pages,
)

web_router = Router(
    path="/",
    route_handlers=[
        pages.home,
        *auth_pages.handlers,
        *account_pages.handlers,
        *admin_organisation_pages.handlers,
        *open_data_pages.handlers,
        *password_pages.handlers,
        *confirm_pages.handlers,
        *network_pages.handlers,
        *notification_pages.handlers,
        *mail_settings_pages.handlers,
        *people_pages.handlers,
        *organisation_people_pages.handlers,
        *post_pages.handlers,
        *adoption_pages.handlers,
        *compose_pages.handlers,
        *search_pages.handlers,
        *saved_search_pages.handlers,
        *engagement_pages.handlers,
        *engagement_forms.handlers,
        *my_engagements.handlers,
        *flag_pages.handlers,
        *listing_fragments.handlers,
        *moderation_pages.handlers,
        *log_pages.handlers,
        *settings_pages.handlers,
        *charter_pages.handlers,
        *appeal_pages.handlers,
        *join_pages.handlers,
        *leave_pages.handlers,
    ],
    include_in_schema=False,
)
