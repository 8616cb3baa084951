"""The application factory: everything mounted, in one readable list."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from advanced_alchemy.extensions.litestar import SQLAlchemyInitPlugin
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.problem_details import ProblemDetailsPlugin
from litestar.static_files import create_static_files_router

from network.content.feed_cache import FeedCache
from server import auth, boundary, db, openapi, problems, retry
from server.api.admin import AdminOrganisationController
from server.api.admin_people import AdminPeopleController
from server.api.adoption import AdoptionController, MyAdoptionController, PostAdoptionController
from server.api.appeals import AppealController
from server.api.auth import auth_router
from server.api.engagements import EngagementController, EngagementListController
from server.api.health import health
from server.api.insights import InsightController
from server.api.me import MeController, OrganisationController, TokenController
from server.api.moderation import FlagController, ModerationController
from server.api.networks import NetworkController
from server.api.notifications import NotificationController
from server.api.organisation_people import OrganisationPeopleController
from server.api.posts import OfferController, PostController
from server.api.saved_searches import SavedSearchController
from server.api.search import SearchController
from server.bus import build_bus
from server.csrf import BearerAwareCSRFMiddleware
from server.follow_ups import FollowUps
from server.headers import security_headers
from server.live.direct import KeepsAsgiSend
from server.live.hub import Hub
from server.live.policy import NetworkPolicy
from server.live.socket import live_socket
from server.live.source import DatabaseSource
from server.mail.scheduler import MailScheduler
from server.mail.sender import MailSender
from server.mail.transport import build_transport
from server.notice_writer import NoticeWriter
from server.presence import Presence
from server.sessions import SessionConfig
from server.settings import Settings
from server.sqlite_driver import log_active as log_database_driver
from server.stores import build_stores
from server.unit_of_work import UnitOfWork
from web import render
from web.routes import web_router

log = logging.getLogger("commons.mail")


def create_app(settings: Settings) -> Litestar:
    database = db.database_config(settings)
    bus = build_bus(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Once per serving process, with logging set up (the CLI's one-off commands and the engines
        # tests build run no lifespan); the live delivery path is logged by the first socket, the
        # only place that sees the server's websocket protocol (server/live/direct.py).
        log_database_driver(database.get_engine())
        app.state.settings = settings
        app.state.session_maker = database.create_session_maker()
        app.state.bus = bus
        app.state.feed_cache = FeedCache()
        app.state.hub = hub = Hub(
            DatabaseSource(app.state.session_maker),
            NetworkPolicy(app.state.session_maker),
            tick_seconds=settings.live_tick_seconds,
        )
        await hub.start()
        stop_listening = bus.listen(hub.on_signal)
        await bus.start()
        app.state.notice_writer = notices = NoticeWriter(app.state.session_maker, bus, settings.live_tick_seconds)
        mail = None
        if settings.send_mail:
            mail = MailSender(
                app.state.session_maker,
                build_transport(settings),
                sender=settings.mail_from,
                tick_seconds=settings.live_tick_seconds,
            )
        else:
            log.info("mail: queued here, sent by the other server processes (SEND_MAIL=0)")
        app.state.mail_sender = mail
        app.state.unit_of_work = UnitOfWork(app.state.session_maker, bus, notices.kick, mail.kick if mail else None)
        app.state.presence = presence = Presence(app.state.session_maker, lambda: list(hub.people))
        scheduler = MailScheduler(
            app.state.session_maker,
            settings,
            presence,
            tick_seconds=settings.mail_tick_seconds,
            make_mail=settings.send_mail,
        )
        follow_ups = FollowUps(app.state.session_maker, bus, tick_seconds=settings.mail_tick_seconds)
        await notices.start()
        if mail is not None:
            await mail.start()
        await scheduler.start()
        await follow_ups.start()
        try:
            yield
        finally:
            await follow_ups.stop()
            await scheduler.stop()
            if mail is not None:
                await mail.stop()
            await notices.stop()
            stop_listening()
            await hub.stop()
            await bus.stop()
            await database.get_engine().dispose()

    api = Router(
        path="/api/v1",
        route_handlers=[
            auth_router(settings),
            MeController,
            TokenController,
            AdminPeopleController,
            OrganisationController,
            OrganisationPeopleController,
            AdminOrganisationController,
            NetworkController,
            PostController,
            OfferController,
            EngagementController,
            EngagementListController,
            PostAdoptionController,
            AdoptionController,
            MyAdoptionController,
            SearchController,
            SavedSearchController,
            NotificationController,
            FlagController,
            ModerationController,
            AppealController,
            InsightController,
        ],
    )
    csrf = CSRFConfig(
        secret=settings.secret_key,
        cookie_name="csrftoken",
        header_name="x-csrftoken",
        cookie_secure=settings.secure_cookies,
        cookie_samesite="lax",
        exclude=["/health", "/schema", "/unsubscribe"],  # a mail client's one-click POST carries no token
    )
    session = SessionConfig(
        key=auth.SESSION_COOKIE,
        store="sessions",
        max_age=settings.session_max_age,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    static_files = create_static_files_router(
        path="/static",
        directories=[render.STATIC],
        include_in_schema=False,
        cache_control=CacheControlHeader(max_age=3600, public=True),
    )
    return KeepsAsgiSend(  # Litestar, keeping the websockets' ASGI send for live frames
        route_handlers=[api, live_socket, health, web_router, static_files],
        dependencies={
            "settings": Provide(lambda: settings, sync_to_thread=False),
            "db": Provide(db.provide_db),
            "viewer": Provide(auth.provide_viewer),
            "person": Provide(auth.provide_person),
        },
        middleware=[retry.RetryOnce, boundary.InputGuard(), session.middleware, BearerAwareCSRFMiddleware.define(csrf)],
        request_class=boundary.BoundaryRequest,
        plugins=[
            SQLAlchemyInitPlugin(config=database),
            ProblemDetailsPlugin(problems.problem_details_config()),
            openapi.ErrorResponses(),
        ],
        exception_handlers={Exception: problems.internal_error},
        stores=build_stores(settings, database),
        template_config=render.template_config(),
        before_send=[security_headers(settings)],  # every response, errors included (server/headers.py)
        lifespan=[lifespan],
        openapi_config=OpenAPIConfig(
            title="Improvement Commons API",
            version="1.0",
            path="/schema",
            description="Sector-owned collaborative networks for England's school trusts.",
        ),
        debug=settings.debug,
    )
