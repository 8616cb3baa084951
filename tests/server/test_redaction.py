"""Removing content takes it out of the event log and people's notifications too; hiding does not."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from tests.conftest import ApiClient, World

PUPIL = "Support plan for pupil Jayden Smith"


async def rows(world: World, query: str) -> list[Any]:
    async with world.db() as session:
        return list((await session.execute(text(query))).all())


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str) -> None:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Pupil data"}
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text


async def unguarded(world: World, lead: ApiClient) -> str:
    """A network whose lead turned the pupil-data guard off, so such a post gets published at all."""
    slug = await world.network(lead)
    response = await lead.patch(f"/networks/{slug}/settings", json={"guard_personal_data": False})
    assert response.status_code == 200, response.text
    return slug


async def test_a_removed_post_leaves_the_log_and_notifications(world: World) -> None:
    lead = await world.person()
    slug = await unguarded(world, lead)
    author, follower = await world.member(slug), await world.member(slug, follow="all")
    post = await world.practice(author, slug, title=PUPIL, body="Jayden's reading age is 7.")
    kept = await world.practice(author, slug, title="Whole-class reading")
    await follower.post(f"/posts/{post['id']}/replies", json={"body": "Thanks"})
    seqs_before = [s for (s,) in await rows(world, "SELECT seq FROM events ORDER BY seq")]

    await decide(lead, slug, "post", post["id"], "hide")  # hiding keeps everything: a lead may restore it
    assert any(PUPIL in str(p) for (p,) in await rows(world, "SELECT payload FROM events"))

    await decide(lead, slug, "post", post["id"], "remove")
    events = await rows(world, "SELECT seq, kind, payload FROM events ORDER BY seq")
    assert not any(PUPIL in str(p) or "reading age" in str(p) for _, _, p in events)
    redacted = [json.loads(p) if isinstance(p, str) else p for _, k, p in events if k == "post.redacted"]
    assert redacted and all(payload == {"post_id": post["id"]} for payload in redacted)
    assert [s for s, _, _ in events][: len(seqs_before)] == seqs_before  # every seq kept, gap-free
    assert any("Whole-class reading" in str(p) for _, _, p in events)  # other posts untouched
    notes = await rows(world, "SELECT kind, payload FROM notifications")
    assert not any(PUPIL in str(p) for _, p in notes)
    assert any("a removed post" in str(p) for k, p in notes if k == "post.created")
    kept_view = await follower.get(f"/posts/{kept['id']}")
    assert kept_view.json()["title"] == "Whole-class reading"


async def test_a_removed_reply_leaves_the_log(world: World) -> None:
    lead = await world.person()
    slug = await unguarded(world, lead)
    author, replier = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug)
    reply = await replier.post(f"/posts/{post['id']}/replies", json={"body": "Jayden Smith in 5B did this too"})
    assert reply.status_code == 201, reply.text
    await decide(lead, slug, "reply", reply.json()["id"], "remove")
    events = await rows(world, "SELECT kind, payload FROM events")
    assert not any("Jayden" in str(p) for _, p in events)
    redacted = [json.loads(p) if isinstance(p, str) else p for k, p in events if k == "reply.redacted"]
    assert redacted == [{"reply_id": reply.json()["id"], "post_id": post["id"]}]
