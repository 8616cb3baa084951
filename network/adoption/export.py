"""The leads' export with the network's adoption records in it (network/governance/export.py builds the
rest): removed records, and those of removed practices, are left out, and nobody's email address is in it."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.adoption.models import Adoption
from network.enums import ContentState
from network.governance import export
from network.models import Post
from network.permissions import Action

COLUMNS = (
    "id", "post_id", "organisation_id", "organisation", "recorded_by", "phase", "setting", "size_band", "adapted",
    "started_on", "report_due_on", "result", "evidence_strength", "how_we_know", "advice", "reported_at", "state",
    "created_at", "edited_at",
)  # fmt: skip


def _row(adoption: Adoption) -> dict[str, Any]:
    named = {"organisation": adoption.organisation.name, "recorded_by": adoption.person.display_name}
    return {name: named[name] if name in named else msgspec.to_builtins(getattr(adoption, name)) for name in COLUMNS}


async def rows(session: AsyncSession, network_id: int) -> list[dict[str, Any]]:
    result = await session.execute(
        select(Adoption)
        .join(Post, Post.id == Adoption.post_id)
        .where(
            Adoption.network_id == network_id,
            Adoption.state != ContentState.REMOVED,
            Post.state != ContentState.REMOVED,
        )
        .order_by(Adoption.id)
    )
    return [_row(a) for a in result.scalars()]


async def build(session: AsyncSession, access: Access, more: dict[str, export.Table] | None = None) -> bytes:
    """The export with the adoption records, and `more` tables a caller adds (the engagements' summaries)."""
    access.require(Action.EXPORT)
    adoptions = {"adoptions": (await rows(session, access.network.id), COLUMNS)}
    return await export.build(session, access, more={**adoptions, **(more or {})})
