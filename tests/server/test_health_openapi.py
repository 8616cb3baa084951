"""Operations endpoints, the published API description, and the error format every client sees."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer

# The paths other clients rely on (docs/design.md §6): they must stay in the published schema.
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


async def test_each_operation_lists_its_error_responses_as_problem_details(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        schema = (await http.get("/schema/openapi.json")).json()
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"status", "title", "detail"} and "errors" in problem["properties"]
    operations = {
        (method, path): operation
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
    }
    for (method, path), operation in operations.items():
        errors = {int(code): answer for code, answer in operation["responses"].items() if int(code) >= 400}
        for code, answer in errors.items():
            assert answer["description"], (method, path, code)
            content = answer["content"]["application/problem+json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Problem"}, (method, path, code)
        takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
        assert takes_input == ({400, 422} <= errors.keys()), (method, path, sorted(errors))
        if method in ("post", "put", "patch", "delete"):
            assert 403 in errors, (method, path)
        if "{" in path:
            assert 404 in errors, (method, path)

    def codes(method: str, path: str) -> set[int]:
        return {int(code) for code in operations[(method, path)]["responses"]}

    assert {401, 403, 404} <= codes("get", "/api/v1/posts/{post_id}")  # sign-in needed; forbidden; no such post
    assert {401, 404, 409, 429} <= codes("post", "/api/v1/posts/{post_id}/replies")  # slow mode answers 429
    assert 429 not in codes("post", "/api/v1/posts/{post_id}/reactions")
    assert {401, 429} <= codes("post", "/api/v1/auth/login")  # wrong password; the sign-in limits
    assert 429 not in codes("post", "/api/v1/auth/logout")  # signing out is never limited
    assert 404 in codes("post", "/api/v1/appeals")  # the body names a decision by id
    assert 401 in codes("get", "/api/v1/me") and not {400, 404, 422} & codes("get", "/api/v1/me")
    assert 401 not in codes("get", "/api/v1/organisations")  # open to anyone
