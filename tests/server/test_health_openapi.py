"""Operations endpoints, the published API description, and the error format every client sees."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer

# The paths other clients rely on (issue text and DESIGN §6): they must stay in the published schema.
PUBLISHED = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/tokens"),
    ("get", "/api/v1/networks"),
    ("post", "/api/v1/networks"),
    ("get", "/api/v1/networks/{slug}"),
    ("post", "/api/v1/networks/{slug}/join"),
    ("get", "/api/v1/networks/{slug}/members"),
    ("patch", "/api/v1/networks/{slug}/members/{person_id}"),
    ("get", "/api/v1/networks/{slug}/posts"),
    ("post", "/api/v1/networks/{slug}/posts"),
    ("get", "/api/v1/posts/{post_id}"),
    ("patch", "/api/v1/posts/{post_id}"),
    ("post", "/api/v1/posts/{post_id}/replies"),
    ("post", "/api/v1/posts/{post_id}/reactions"),
    ("post", "/api/v1/posts/{post_id}/offers"),
    ("post", "/api/v1/offers/{offer_id}/accept"),
}


async def test_health_reports_the_database(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_openapi_lists_every_published_path(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Improvement Commons API"
    offered = {(method, path) for path, item in schema["paths"].items() for method in item}
    missing = PUBLISHED - offered
    assert not missing, f"missing from the schema: {sorted(missing)}"
    register = schema["paths"]["/api/v1/auth/register"]["post"]
    assert "requestBody" in register


async def test_errors_are_problem_details(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url + "/api/v1") as http:
        unknown = await http.get("/networks/no-such-network")
        anonymous = await http.get("/me")
        bad_query = await http.get("/organisations", params={"q": "x" * 101})  # open to anyone, limited to 100
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    problem = unknown.json()
    assert problem["status"] == 404
    assert problem["title"]
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    assert bad_query.status_code == 400
    assert bad_query.headers["content-type"].startswith("application/problem+json")


async def test_every_response_carries_the_security_headers(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        for path in ("/", "/health", "/api/v1/networks", "/schema/openapi.json"):
            response = await http.get(path)
            assert response.status_code == 200, path
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp
            assert "unsafe-inline" not in csp
            assert response.headers["x-content-type-options"] == "nosniff"
        css = await http.get("/static/commons.css")
    assert css.status_code == 200
    assert "max-age=3600" in css.headers["cache-control"]
