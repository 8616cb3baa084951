"""Deleting one's account over HTTP (the API's and the account page's): the domain's deletion
(network/people/leaving.py), then what only the server holds: the person's mail in the outbound
queue, their sessions in the store, and this request's own session and cookie."""

from __future__ import annotations

from typing import Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from network.models import Person
from network.people import leaving
from server import auth, session_list
from server.mail import queue


async def delete_account(
    request: Request[Any, Any, Any], db: AsyncSession, person: Person, *, password: str, remove_content: bool
) -> None:
    """Refused (wrong password, the last lead of a network) before anything is written."""
    await leaving.delete_account(db, person, password=password, remove_content=remove_content)
    await queue.forget_person(db, person.id)
    # every session already ended with the account's generation; their records go too
    await session_list.forget_all(request.scope, person.id)
    auth.sign_out(request)
