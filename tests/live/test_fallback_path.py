"""The live suite's core again, under uvicorn's `wsproto` websocket protocol: no direct writes, every frame
through ASGI (server/live/direct.py's fallback, what runs under any other server or when uvicorn's sans-I/O
protocol is not as expected).

The cases are the live tests' own functions, run here against one `wsproto` server per database: socket
basics, resume, error frames, event delivery with moderation (a sanctioned socket's close), a slow consumer
closed with 4008 and resuming, and a long replay at the client's pace. Together they add about 20 s.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterator

import pytest

from tests.conftest import LiveServer, World, make_settings
from tests.live import test_moderation_live as moderation
from tests.live import test_socket_abuse as abuse
from tests.live import test_socket_basics as basics
from tests.live.client import WsClient, token_for

Logged = list[tuple[int | None, str]]
LOG_STARTS: dict[int, int] = {}  # a fallback server (by id) -> where its lines begin in the log


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: Logged = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.thread, record.getMessage()))


@pytest.fixture(scope="session")
def live_log() -> Iterator[Logged]:
    """What `commons.live` logs at INFO and above while the fallback's servers run, with the thread (so the
    server: each runs in its own) that logged it."""
    logger, handler = logging.getLogger("commons.live"), Lines()
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture(scope="session")
def asgi_frames_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, live_log: Logged
) -> Iterator[LiveServer]:
    """The app under uvicorn's `wsproto` protocol, with the slow-consumer tests' short queue and tick (the
    other cases do not come near them)."""
    settings = make_settings(database_url, tmp_path_factory.mktemp("var"), live_queue_size=20, live_tick_seconds=0.3)
    first_line = len(live_log)  # what an earlier server logged (maybe on a thread whose id this one reuses) is not its
    live = LiveServer(settings, ws="wsproto").start()
    LOG_STARTS[id(live)] = first_line
    yield live
    live.stop()


@pytest.fixture
def fallback(world: World, asgi_frames_server: LiveServer) -> World:
    world.server = asgi_frames_server
    return world


Case = Callable[[World], Awaitable[None]]
sanctioned = moderation.test_a_sanctioned_members_socket_receives_nothing_more


def _with_server(test: Callable[[World, LiveServer], Awaitable[None]]) -> Case:
    """A test that takes its own (short-queued) server: given the fallback's."""

    async def run(world: World) -> None:
        await test(world, world.server)

    run.__name__ = test.__name__
    return run


CASES: list[Case] = [
    basics.test_member_receives_a_post_live,
    basics.test_resume_replays_what_was_missed_once_in_order,
    basics.test_notifications_stream_and_api_agree,
    abuse.test_bad_frames_get_errors_and_the_socket_stays_usable,
    moderation.test_members_see_a_hidden_post_leave_and_its_log_entry_arrive,
    functools.update_wrapper(functools.partial(sanctioned, action="ban", visibility="public"), sanctioned),
    _with_server(abuse.test_an_overflowing_live_queue_closes_as_slow_consumer),
    _with_server(abuse.test_a_long_replay_goes_at_the_clients_pace),
]


async def test_its_first_socket_says_once_that_frames_go_through_asgi(fallback: World, live_log: Logged) -> None:
    for _ in range(2):
        ws = await WsClient.connect(fallback.server.url, await token_for(await fallback.person()))
        await ws.close()
    since = LOG_STARTS[id(fallback.server)]
    logged = [line for thread, line in live_log[since:] if thread == fallback.server.thread.ident]
    assert [line for line in logged if line.startswith("live delivery:") or "directly" in line] == [
        "live delivery: every frame through ASGI send (the websocket protocol is "
        "uvicorn.protocols.websockets.wsproto_impl.WSProtocol, not uvicorn's sans-I/O one)"
    ]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__.removeprefix("test_") for case in CASES])
async def test_through_asgi(fallback: World, case: Case) -> None:
    await case(fallback)
