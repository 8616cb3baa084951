"""event audience: each event carries who may receive it, and what it is about

`audience` (readers, members, leads, withheld, person) and `audience_person_id` are decided where
an event is appended (network/audience.py); `subject_id` is the post an event is about, so that
hiding or showing content again can re-decide the audience of its earlier events
(network/withholding.py). Events already in the log are given theirs from their kind and from
their content's state now, by the rules of this revision (kept here, so later changes to the
rules do not change what this migration does).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from server.migrate import OWN_TABLE_ONLY

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CONTENT = {
    "post.created",
    "post.updated",
    "post.restored",
    "reply.created",
    "reply.updated",
    "reply.restored",
    "reaction.changed",
    "offer.made",
    "offer.accepted",
    "offer.declined",
    "offer.withdrawn",
}
_MEMBERS = {"member.joined", "member.updated", "member.left"}
_LEADS = {"network.updated"}


def _subject(payload: dict[str, Any]) -> int | None:
    for key in ("post", "reply", "offer"):
        inner = payload.get(key)
        if isinstance(inner, dict):
            value = inner.get("id") if key == "post" else inner.get("post_id")
            if isinstance(value, int):
                return value
    value = payload.get("post_id")
    return value if isinstance(value, int) else None


def _reply(payload: dict[str, Any]) -> int | None:
    reply = payload.get("reply")
    if isinstance(reply, dict) and isinstance(reply.get("id"), int):
        return int(reply["id"])
    value = payload.get("reply_id")
    return value if isinstance(value, int) else None


def _for_content(items: list[tuple[str, int]]) -> tuple[str, int | None]:
    person: int | None = None
    restricted = False
    for state, author in items:
        if state == "visible":
            continue
        who = author if state != "removed" else None
        if restricted and who != person:
            who = None
        restricted, person = True, who
    if not restricted:
        return "readers", None
    return ("leads", None) if person is None else ("withheld", person)


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.add_column(sa.Column("audience", sa.String(length=16), server_default="readers", nullable=False))
        batch_op.add_column(
            sa.Column("audience_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch_op.add_column(
            sa.Column("subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_events_audience_person_id_people"),
            "people",
            ["audience_person_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_events_subject", ["network_id", "subject_id"], unique=False)
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    posts = {int(i): (str(s), int(a)) for i, s, a in bind.execute(sa.text("SELECT id, state, author_id FROM posts"))}
    replies = {
        int(i): (str(s), int(a)) for i, s, a in bind.execute(sa.text("SELECT id, state, author_id FROM replies"))
    }
    rows = bind.execute(sa.text("SELECT id, kind, payload FROM events")).all()
    update = sa.text(
        "UPDATE events SET audience = :audience, audience_person_id = :person, subject_id = :subject WHERE id = :id"
    )
    for event_id, kind, raw in rows:
        payload = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        subject = _subject(payload)
        person: int | None = None
        if kind in _CONTENT and subject is not None:
            items = [posts[subject]] if subject in posts else []
            reply = _reply(payload)
            if reply is not None and reply in replies:
                items.append(replies[reply])
            audience, person = _for_content(items)
        elif kind in _MEMBERS:
            audience = "members"
        elif kind in _LEADS:
            audience = "leads"
        else:
            audience = "readers"
        if audience != "readers" or subject is not None:
            bind.execute(update, {"audience": audience, "person": person, "subject": subject, "id": event_id})


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_index("ix_events_subject")
        batch_op.drop_constraint(batch_op.f("fk_events_audience_person_id_people"), type_="foreignkey")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("audience_person_id")
        batch_op.drop_column("audience")
