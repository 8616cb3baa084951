"""docs/design.md §4.1 extended to every moderation action, over HTTP, for every role and state.

For a public and a members-only network, each column of the table (anonymous, signed in but not a
member, pending, member, muted, suspended, banned, observer, lead, platform admin) tries each
moderation action. Allowed is a 2xx; refused is 401 for the anonymous, 404 where the asker may not
read the network (suspended and banned people read nothing of it, public or not), otherwise 403;
the log is read by whoever reads the network's posts. A refusal is a problem-details
body and writes nothing. Every mismatch is collected, so one run shows the whole table's state.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from network.enums import OrgKind
from tests.conftest import ApiClient, World

COLUMNS = ("anonymous", "outsider", "pending", "member", "muted", "suspended", "banned", "observer", "lead", "admin")
# who may do each action (docs/design.md §4.1): everyone else is refused
ALLOWED = {
    "flag a post": {"member", "muted", "lead"},
    "read the queue": {"lead", "admin"},
    "hide a post": {"lead", "admin"},
    "mute a member": {"lead", "admin"},
    "read the log": {"member", "muted", "observer", "lead", "admin", "outsider", "pending"},  # its readers
    "change settings": {"lead", "admin"},
    "watch a word": {"lead", "admin"},
    "amend the charter": {"lead", "admin"},
    "export": {"lead"},
}
# who may read the network at all (the rest are told it is not there)
READS = {
    "public": {"outsider", "pending", "member", "muted", "observer", "lead", "admin"},
    "members": {"member", "muted", "observer", "lead", "admin"},
}
TABLES = ("flags", "queue_entries", "decisions", "events", "notifications", "watched_words", "charter_versions")


async def counts(world: World) -> tuple[int, ...]:
    """Rows in every table a moderation action writes to, in one query."""
    query = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES)  # noqa: S608 - our own tables
    async with world.db() as session:
        return tuple((await session.execute(text(query))).one())


def expected_status(action: str, column: str, visibility: str) -> int | None:
    """None when the action is allowed; else the refusal's status."""
    if column == "anonymous":
        return 401
    if column not in READS[visibility]:
        return 404
    if column in ALLOWED[action]:
        return None
    return 403


async def admitted(world: World, lead: ApiClient, slug: str) -> ApiClient:
    person = await world.person()
    assert (await person.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    response = await lead.patch(f"/networks/{slug}/members/{person.id}", json={"state": "active"})
    assert response.status_code == 200, response.text
    return person


async def decide(client: ApiClient, slug: str, target_type: str, target_id: int, action: str) -> httpx.Response:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Matrix"}
    return await client.post(f"/networks/{slug}/decisions", json=body)


async def columns(world: World, visibility: str) -> tuple[str, dict[str, ApiClient], ApiClient, ApiClient]:
    """A request-policy network with one person in each column, an author and a spare member to sanction."""
    lead = await world.person()
    slug = await world.network(lead, visibility=visibility, join_policy="request")
    people: dict[str, ApiClient] = {"anonymous": world.client(), "outsider": await world.person(), "lead": lead}
    people["pending"] = await world.person()
    assert (await people["pending"].post(f"/networks/{slug}/join")).json()["state"] == "pending"
    for column in ("member", "muted", "suspended", "banned"):
        people[column] = await admitted(world, lead, slug)
    for column, action in (("muted", "mute"), ("suspended", "suspend"), ("banned", "ban")):
        assert (await decide(lead, slug, "member", people[column].id, action)).status_code == 201
    people["observer"] = await world.observer(lead, slug, OrgKind.REGULATOR)
    people["admin"] = await world.admin()
    author, spare = await admitted(world, lead, slug), await admitted(world, lead, slug)
    return slug, people, author, spare


@pytest.mark.parametrize("visibility", ["public", "members"])
async def test_every_moderation_action_for_every_column(world: World, visibility: str) -> None:
    slug, people, author, spare = await columns(world, visibility)
    lead = people["lead"]
    flagged = await world.practice(author, slug, title="Flag target")
    hidden = await world.practice(author, slug, title="Hide target")

    async def undo_hide() -> None:
        assert (await decide(lead, slug, "post", hidden["id"], "restore")).status_code == 201

    async def undo_mute() -> None:
        assert (await decide(lead, slug, "member", spare.id, "lift")).status_code == 201

    def attempts(column: str, client: ApiClient) -> dict[str, Callable[[], Awaitable[httpx.Response]]]:
        return {
            "flag a post": lambda: client.post(f"/posts/{flagged['id']}/flags", json={"reason": "spam"}),
            "read the queue": lambda: client.get(f"/networks/{slug}/queue"),
            "hide a post": lambda: decide(client, slug, "post", hidden["id"], "hide"),
            "mute a member": lambda: decide(client, slug, "member", spare.id, "mute"),
            "read the log": lambda: client.get(f"/networks/{slug}/log"),
            "change settings": lambda: client.patch(
                f"/networks/{slug}/settings", json={"description": f"Set by the {column}"}
            ),
            "watch a word": lambda: client.post(
                f"/networks/{slug}/watched-words", json={"pattern": f"word {column}", "action": "flag"}
            ),
            "amend the charter": lambda: client.put(
                f"/networks/{slug}/charter", json={"body": f"Set by the {column}.\n\n1. Be kind.\n"}
            ),
            "export": lambda: client.get(f"/networks/{slug}/export"),
        }

    undo: dict[str, Callable[[], Awaitable[None]]] = {"hide a post": undo_hide, "mute a member": undo_mute}
    mismatches: list[str] = []
    for column in COLUMNS:
        for action, attempt in attempts(column, people[column]).items():
            refusal = expected_status(action, column, visibility)
            before = await counts(world)
            response = await attempt()
            where = f"{column} / {action}: {response.status_code}"
            if refusal is None:
                if not 200 <= response.status_code < 300:
                    mismatches.append(f"{where}, expected 2xx ({response.text[:120]})")
                elif action in undo:
                    await undo[action]()
                continue
            if response.status_code != refusal:
                mismatches.append(f"{where}, expected {refusal} ({response.text[:120]})")
                continue
            body: dict[str, Any] = response.json()
            if not response.headers["content-type"].startswith("application/problem+json") or len(body["detail"]) < 6:
                mismatches.append(f"{where} is not a readable problem: {body}")
            if await counts(world) != before:
                mismatches.append(f"{where} wrote something")
    assert not mismatches, "\n".join(mismatches)

    # what the allowed columns did is there to see
    assert await world.count("flags") == 3
    assert await world.count("watched_words") == 2
    assert await world.count("charter_versions") == 3
    entries = (await lead.get(f"/networks/{slug}/log", params={"limit": 100})).json()["items"]
    newest_charter = next(e for e in entries if e["action"] == "charter")
    assert newest_charter["actor"] == "Platform Admin (platform admin)" and newest_charter["by_admin"] is True
