"""Where input enters over HTTP: what no handler or service should ever be handed.

JSON bodies are checked by `network.inputs.Input` once decoded; this module covers what comes
before and beside them, each of which would otherwise reach the database driver and fail there
as a 500. A body nested past what the decoder follows is refused with 400. Text with a NUL
character, in a cookie, a path, a query or a form, is refused with 422: PostgreSQL cannot store
it and SQLite would. Path ids beyond 64 bits name nothing, so they are answered 404 exactly as a
missing id is; integer query values beyond 64 bits are refused with 422.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import FormMultiDict
from litestar.enums import ScopeType
from litestar.exceptions import ClientException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.typing import FieldDefinition

from network.errors import Invalid, NotFound
from network.inputs import INT_MAX, INT_MIN, INT_PROBLEM, NUL, NUL_PROBLEM

TOO_DEEP = "The JSON body is nested too deeply to read; send the flat objects this operation describes."


class BoundaryRequest(Request[Any, Any, Any]):
    """Litestar's request, refusing bodies that cannot be read safely where they are decoded."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:  # msgspec's decoder stops at the interpreter's recursion limit
            raise ClientException(TOO_DEEP) from None

    async def form(self) -> FormMultiDict:
        form = await super().form()
        for name, value in form.multi_items():
            if NUL in name or (isinstance(value, str) and NUL in value):
                raise _nul(name.replace(NUL, ""))
        return form


class InputGuard(ASGIMiddleware):
    """Checks cookies, path and query parameters once the route is known, before any handler runs.

    It goes first, before the session middleware, which looks the session cookie up in its store
    (a database table in production). On `/ws` only cookies are checked here: the socket's handler
    answers everything else in the protocol's own terms.
    """

    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection = ASGIConnection[Any, Any, Any, Any](scope)
        for name, value in connection.cookies.items():
            if NUL in name or NUL in value:
                raise _nul(name.replace(NUL, ""), "cookie")
        if scope["type"] == ScopeType.HTTP:
            for name, value in scope["path_params"].items():
                if isinstance(value, str) and NUL in value:
                    raise _nul(name)
                if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
                    raise NotFound(f"No {name.removesuffix('_id').replace('_', ' ')} {value}.")
            if scope["query_string"]:
                _check_query(connection, _int_queries(scope["route_handler"]))
        await next_app(scope, receive, send)


def _check_query(connection: ASGIConnection[Any, Any, Any, Any], ints: set[str]) -> None:
    for name, value in connection.query_params.multi_items():
        if NUL in name or NUL in value:
            raise _nul(name.replace(NUL, ""))
        if name in ints and value.strip().lstrip("+-").isdigit() and not INT_MIN <= int(value) <= INT_MAX:
            raise Invalid(f"'{name}': {INT_PROBLEM}", fields={name: INT_PROBLEM})


def _int_queries(handler: Any) -> set[str]:
    """The query names the handler reads as integers (an alias such as `from` where one is given)."""
    names: set[str] = set()
    for field_name, field in handler.parsed_fn_signature.parameters.items():
        if _holds_int(field):
            kwarg = field.kwarg_definition
            names.add(getattr(kwarg, "query", None) or getattr(kwarg, "name", None) or field_name)
    return names


def _holds_int(field: FieldDefinition) -> bool:
    return field.annotation is int or any(_holds_int(inner) for inner in field.inner_types)


def _nul(name: str, what: str = "") -> Invalid:
    label = f"The {what} '{name}'" if what else f"'{name}'"
    return Invalid(f"{label}: {NUL_PROBLEM}", fields={name: NUL_PROBLEM})
