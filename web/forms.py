"""What every page form shares: reading the form, sending signed-out people to sign in, and
acting in a savepoint then answering with POST-redirect-GET (303), or with the refusal shown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from litestar import Request, Response
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from network.errors import DomainError

T = TypeVar("T")


async def read_form(request: Request[Any, Any, Any]) -> FormMultiDict:
    return await request.form()


def see_other(path: str) -> Redirect:
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


def sign_in_first(back_to: str) -> Redirect:
    """Signed-out visitors are sent to sign in, then back to the page they were on."""
    return see_other(f"/signin?next={quote(back_to)}")


async def post_action(
    db: AsyncSession,
    act: Callable[[], Awaitable[T]],
    *,
    then: Callable[[T], str],
    refused: Callable[[DomainError], Awaitable[Response[Any]]],
) -> Response[Any]:
    """Run `act` in a savepoint, so that a refusal writes nothing, and answer: 303 to `then(result)`,
    or, when the domain refuses, whatever `refused` renders (the form again, with the message)."""
    try:
        async with db.begin_nested():
            result = await act()
    except DomainError as exc:
        return await refused(exc)
    return see_other(then(result))
