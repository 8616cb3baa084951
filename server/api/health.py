"""GET /health for load balancers: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@get(
    "/health",
    summary="Liveness and database reachability",
    tags=["operations"],
    include_in_schema=True,
    responses={503: ResponseSpec(data_container=dict[str, Any], description="The database does not answer")},
)
async def health(state: State) -> Response[dict[str, Any]]:
    maker: async_sessionmaker[AsyncSession] = state.session_maker
    try:
        async with maker() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        return Response({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
    return Response({"status": "ok", "database": "ok"})
