"""Redaction on a plain session: a removed post's or reply's earlier events keep their place in the log but
say nothing of it, and notifications stop quoting its title; everything else is left as it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.models import Event, Notification
from network.models import Network
from network.moderation import redaction
from tests.conftest import ApiClient, World


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str) -> None:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Test"}
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text


async def reply(client: ApiClient, post_id: int, body: str) -> int:
    response = await client.post(f"/posts/{post_id}/replies", json={"body": body})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def log_of(db: async_sessionmaker[AsyncSession], network_id: int) -> list[tuple[int, str, dict[str, Any]]]:
    async with db() as session:
        rows = await session.execute(
            select(Event.seq, Event.kind, Event.payload).where(Event.network_id == network_id).order_by(Event.seq)
        )
        return [(seq, kind, dict(payload)) for seq, kind, payload in rows.tuples()]


async def notes_of(db: async_sessionmaker[AsyncSession], network_id: int) -> dict[int, dict[str, Any]]:
    async with db() as session:
        rows = await session.execute(
            select(Notification.id, Notification.payload).where(Notification.network_id == network_id)
        )
        return {note_id: dict(payload) for note_id, payload in rows.tuples()}


def about_post(payload: dict[str, Any]) -> int | None:
    return payload.get("post", {}).get("id") if isinstance(payload.get("post"), dict) else None


def about_reply(payload: dict[str, Any]) -> int | None:
    return payload.get("reply", {}).get("id") if isinstance(payload.get("reply"), dict) else None


async def test_a_removed_posts_events_and_titles_are_redacted_and_nothing_else(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, member = await world.member(slug), await world.member(slug)
    gone = await world.practice(author, slug, title="Names a pupil")
    kept = await world.practice(author, slug, title="Stays")
    edited = await author.patch(f"/posts/{gone['id']}", json={"body": "Still names them."})
    assert edited.status_code == 200, edited.text
    await decide(lead, slug, "post", gone["id"], "hide")
    await decide(lead, slug, "post", gone["id"], "restore")
    reply_id = await reply(member, gone["id"], "A reply to it")
    await reply(member, kept["id"], "A reply to the other")

    async with db() as session:
        network_id = (await session.execute(select(Network.id).where(Network.slug == slug))).scalar_one()
    before, notes_before = await log_of(db, network_id), await notes_of(db, network_id)
    quoting = {i for i, p in notes_before.items() if p.get("post_id") == gone["id"]}
    assert quoting and all(notes_before[i]["title"] == "Names a pupil" for i in quoting)
    redacted_kinds = {"post.created", "post.updated", "post.restored"}
    targets = [seq for seq, kind, payload in before if kind in redacted_kinds and about_post(payload) == gone["id"]]
    assert len(targets) == 3  # created, updated, restored

    async with db() as session:
        changed = await redaction.redact_post(session, network_id, gone["id"])
        await session.commit()
    assert changed == len(targets) + len(quoting)

    after, notes_after = await log_of(db, network_id), await notes_of(db, network_id)
    assert [seq for seq, _, _ in after] == [seq for seq, _, _ in before]  # every event keeps its place
    for (seq, kind, payload), (_, was_kind, was) in zip(after, before, strict=True):
        if seq in targets:
            assert (kind, payload) == ("post.redacted", {"post_id": gone["id"]})
            assert "Names a pupil" not in str(payload)
        else:  # the other post, the hide (ids only), the log entries and both replies are untouched
            assert (kind, payload) == (was_kind, was)
    assert any(kind == "post.hidden" for _, kind, _ in after)
    assert any(about_reply(p) == reply_id for _, _, p in after)  # removing a post is not removing its replies
    for note_id, payload in notes_after.items():
        if note_id in quoting:
            assert payload == notes_before[note_id] | {"title": redaction.REMOVED_TITLE}
        else:
            assert payload == notes_before[note_id]

    async with db() as session:  # again, or for a post that was never there: the log stays as it is
        await redaction.redact_post(session, network_id, gone["id"])
        assert await redaction.redact_post(session, network_id, 10**9) == 0
        await session.commit()
    assert await log_of(db, network_id) == after


async def test_a_removed_replys_events_are_redacted_and_its_siblings_kept(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, member = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Question")
    gone = await reply(member, post["id"], "Names a pupil")
    sibling = await reply(lead, post["id"], "A fine answer")
    async with db() as session:
        network_id = (await session.execute(select(Network.id).where(Network.slug == slug))).scalar_one()
    before, notes_before = await log_of(db, network_id), await notes_of(db, network_id)
    targets = [seq for seq, kind, payload in before if kind == "reply.created" and about_reply(payload) == gone]
    assert len(targets) == 1

    async with db() as session:
        assert await redaction.redact_reply(session, network_id, gone, post["id"]) == 1
        await session.commit()

    after = await log_of(db, network_id)
    for (seq, kind, payload), (_, was_kind, was) in zip(after, before, strict=True):
        if seq in targets:
            assert (kind, payload) == ("reply.redacted", {"reply_id": gone, "post_id": post["id"]})
        else:
            assert (kind, payload) == (was_kind, was)
    assert any(about_reply(p) == sibling for _, _, p in after)
    assert any(about_post(p) == post["id"] for _, _, p in after)  # the post itself stays
    assert await notes_of(db, network_id) == notes_before  # they quote the post's title, which stays
