"""A network's data as a zip of JSON and CSV, for its leads: the network belongs to its members.

Posts, replies, offers, members with their organisations, the transparency log and every
charter version. Removed content is left out (it was removed for a reason, often personal
data); held and hidden content is included with its state. Members' email addresses are not:
they are the platform's to hold, not the network's to hand on.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.enums import ContentState
from network.governance import charter
from network.models import Membership, Offer, Post, Reply
from network.moderation.models import DecisionRecord
from network.moderation.policy import log_actor
from network.permissions import Action

_POST_COLUMNS = (
    "id", "kind", "title", "body", "state", "author_id", "author", "organisation_id", "pinned", "locked",
    "created_at", "edited_at", "summary", "phases", "setting", "what_we_did", "what_we_stopped", "impact",
    "evidence_strength", "themes", "resources", "support_type", "urgency", "status", "outcome", "closed_at",
)  # fmt: skip


def _value(value: Any) -> Any:
    return msgspec.to_builtins(value)


def _csv(rows: Sequence[dict[str, Any]], columns: Iterable[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in row.items()})
    return out.getvalue()


async def _posts(session: AsyncSession, network_id: int) -> list[Post]:
    result = await session.execute(
        select(Post).where(Post.network_id == network_id, Post.state != ContentState.REMOVED).order_by(Post.id)
    )
    return list(result.scalars())


Table = tuple[list[dict[str, Any]], Sequence[str]]  # rows, and the CSV's columns


async def build(session: AsyncSession, access: Access, more: Mapping[str, Table] | None = None) -> bytes:
    """The zip; `more`: tables a part above this one adds (the adoption records, network/adoption/export.py;
    the listed engagements' summaries, network/engagements/listing.py)."""
    access.require(Action.EXPORT)
    network = access.network
    posts = await _posts(session, network.id)
    post_rows = [
        {name: _value(getattr(p, name)) for name in _POST_COLUMNS if name != "author"}
        | {"author": p.author.display_name}  # the author's name, not the Person row of the same name
        for p in posts
    ]
    # replies and offers of the exported posts, by a join (an id list could exceed SQLite's bound parameters)
    exported = (Post.network_id == network.id) & (Post.state != ContentState.REMOVED)
    replies = (
        await session.execute(
            select(Reply)
            .join(Post, Post.id == Reply.post_id)
            .where(exported, Reply.state != ContentState.REMOVED)
            .order_by(Reply.id)
        )
    ).scalars()
    reply_rows = [
        {
            "id": r.id,
            "post_id": r.post_id,
            "author_id": r.author_id,
            "author": r.author.display_name,
            "body": r.body,
            "state": r.state.value,
            "created_at": _value(r.created_at),
            "edited_at": _value(r.edited_at),
        }
        for r in replies
    ]
    offers = (
        await session.execute(select(Offer).join(Post, Post.id == Offer.post_id).where(exported).order_by(Offer.id))
    ).scalars()
    offer_rows = [
        {
            "id": o.id,
            "post_id": o.post_id,
            "author_id": o.author_id,
            "author": o.author.display_name,
            "organisation_id": o.organisation_id,
            "organisation": o.author.organisation.name,
            "message": o.message,
            "status": o.status.value,
            "created_at": _value(o.created_at),
            "decided_at": _value(o.decided_at),
        }
        for o in offers
    ]
    members = (
        await session.execute(select(Membership).where(Membership.network_id == network.id).order_by(Membership.id))
    ).scalars()
    member_rows = [
        {
            "person_id": m.person_id,
            "display_name": m.person.display_name,
            "organisation_id": m.person.organisation_id,
            "organisation": m.person.organisation.name,
            "organisation_kind": m.person.organisation.kind.value,
            "role": m.role.value,
            "state": m.state.value,
            "until": _value(m.until),
            "joined_at": _value(m.created_at),
        }
        for m in members
    ]
    log = (
        await session.execute(
            select(DecisionRecord).where(DecisionRecord.network_id == network.id).order_by(DecisionRecord.id)
        )
    ).scalars()
    log_rows = [
        {
            "id": e.id,
            "at": _value(e.created_at),
            "action": e.action.value,
            "target_type": e.target_type.value,
            "target_id": e.target_id,
            "label": e.label,
            "subject_id": e.subject_id,
            "reason": e.reason,
            "clause": e.clause,
            "until": _value(e.until),
            "actor": log_actor(
                by_admin=e.by_admin,
                name_leads=network.name_leads_in_log,
                actor_name=e.actor.display_name if e.actor else None,
            ),
        }
        for e in log
    ]
    charter_rows = [
        {"version": v.version, "created_at": _value(v.created_at), "note": v.note, "body": v.body}
        for v in reversed(await charter.charter_history(session, network.id))
    ]
    tables: dict[str, Table] = {
        "posts": (post_rows, [*_POST_COLUMNS]),
        "replies": (reply_rows, list(reply_rows[0]) if reply_rows else ["id", "post_id", "author_id", "body"]),
        "offers": (offer_rows, list(offer_rows[0]) if offer_rows else ["id", "post_id", "organisation", "status"]),
        "members": (member_rows, list(member_rows[0]) if member_rows else ["person_id", "display_name"]),
        "log": (log_rows, list(log_rows[0]) if log_rows else ["id", "at", "action"]),
        "charter_versions": (charter_rows, ["version", "created_at", "note", "body"]),
        **(more or {}),
    }
    about = {
        "network": {"slug": network.slug, "name": network.name, "kind": network.kind.value},
        "exported_at": _value(access.now),
        "exported_by": access.person.display_name if access.person else None,
        "files": {name: len(rows) for name, (rows, _) in tables.items()},
        "left_out": (
            "Removed posts, replies and adoption records; members' email addresses; engagements' private spaces "
            "(their threads, check-ins and outcomes' texts) and the engagements both sides keep unlisted."
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.json", json.dumps(about, indent=2))
        for name, (rows, columns) in tables.items():
            archive.writestr(f"{name}.json", json.dumps(rows, indent=2, ensure_ascii=False))
            archive.writestr(f"{name}.csv", _csv(rows, columns))
    return buffer.getvalue()
