"""Every response carries the same security headers, error responses included; signed-in
responses are not stored by caches, static files keep their public caching."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import get

from server.headers import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, LiveServer, World, make_settings
from tests.live.client import token_for


@get("/test-only/fails", include_in_schema=False, sync_to_thread=False)
def fails() -> None:
    raise RuntimeError("a fault on purpose")


@pytest.fixture
def faulty_server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A server with one more route that fails, and a per-address sign-in limit of one a minute."""
    live = LiveServer(make_settings(database_url, tmp_path, login_attempts_per_minute=1))
    live.app.register(fails)
    live.start()
    yield live
    live.stop()


def assert_secured(response: httpx.Response, *, hsts: bool = False) -> None:
    what = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, what
    assert response.headers.get("x-content-type-options") == "nosniff", what
    assert response.headers.get("x-frame-options") == "DENY", what
    assert response.headers.get("referrer-policy") == "same-origin", what
    assert len(response.headers.get_list("content-security-policy")) == 1, what
    assert ("strict-transport-security" in response.headers) is hsts, what


async def test_error_responses_carry_the_security_headers(faulty_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=faulty_server.url) as http:
        answers = {
            200: await http.get("/"),
            404: await http.get("/no/such/page"),
            405: await http.delete("/health"),
            500: await http.get("/test-only/fails"),
        }
        problem_404 = await http.get("/api/v1/networks/no-such-network")
        static_404 = await http.get("/static/no-such-file.css")
        csrf = await http.post("/api/v1/auth/login", json={"email": "a@example.org", "password": "x"})
        first = await http.post(
            "/api/v1/auth/login",
            json={"email": "a@example.org", "password": "x"},
            headers={"x-csrftoken": http.cookies["csrftoken"]},
        )
        limited = await http.post(
            "/api/v1/auth/login",
            json={"email": "a@example.org", "password": "x"},
            headers={"x-csrftoken": http.cookies["csrftoken"]},
        )
    for status, response in answers.items():
        assert response.status_code == status, response.text
        assert_secured(response)
    assert answers[500].headers["content-type"].startswith("application/problem+json")
    assert problem_404.status_code == 404
    assert problem_404.headers["content-type"].startswith("application/problem+json")
    assert static_404.status_code == 404
    assert (csrf.status_code, first.status_code, limited.status_code) == (403, 401, 429)
    for response in (problem_404, static_404, csrf, first, limited):
        assert_secured(response)


async def test_hsts_when_cookies_are_secure(database_url: str, tmp_path: Path) -> None:
    live = LiveServer(make_settings(database_url, tmp_path, secure_cookies=True)).start()
    try:
        async with httpx.AsyncClient(base_url=live.url) as http:
            for response in (await http.get("/"), await http.get("/no/such/page"), await http.get("/health")):
                assert_secured(response, hsts=True)
                assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    finally:
        live.stop()


async def test_signed_in_responses_are_not_stored_and_static_files_stay_public(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    token = await token_for(lead)
    base = world.server.url
    async with httpx.AsyncClient(base_url=base) as anonymous:
        public_page = await anonymous.get("/networks")
        public_api = await anonymous.get("/api/v1/networks")
    assert public_page.status_code == public_api.status_code == 200
    assert "cache-control" not in public_page.headers
    assert "cache-control" not in public_api.headers

    browser = world.client()
    signed_in = await browser.post("/auth/login", json={"email": lead.person["email"], "password": PASSWORD})
    assert signed_in.status_code == 200
    assert signed_in.headers["cache-control"] == "no-store"
    async with httpx.AsyncClient(base_url=base, cookies=browser.http.cookies) as session:
        private = {
            "page": await session.get(f"/networks/{slug}"),
            "api": await session.get("/api/v1/me"),
            "unknown path": await session.get("/no/such/page"),
        }
        css = await session.get("/static/commons.css")
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}) as script:
        private["bearer"] = await script.get("/api/v1/networks")
    for name, response in private.items():
        assert response.headers.get("cache-control") == "no-store", name
        assert_secured(response)
    assert css.status_code == 200
    assert sorted(css.headers["cache-control"].split(", ")) == ["max-age=3600", "public"]
    assert_secured(css)
