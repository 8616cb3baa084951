"""`/api/v1/me/saved-searches` (docs/design.md §3.11): keep, list, rename, turn alerts off, delete; each
refusal a sentence; someone else's saved search is not there; at most fifty each."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from network.search import saved
from tests.conftest import ApiClient, World, problem
from tests.server.test_api_account_deletion import delete_me

PATH = "/me/saved-searches"


async def keep(client: ApiClient, q: str, **body: Any) -> httpx.Response:
    return await client.post(PATH, json={"q": q} | body)


async def test_a_search_is_kept_listed_renamed_and_deleted(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    me = await world.member(slug)
    chosen = {"network": slug, "kind": "practice", "theme": "  Early   Reading ", "sort": "newest", "since": ""}
    made = await keep(me, '  phonics "fidelity checks" -secondary ', filters=chosen)
    assert made.status_code == 201, made.text
    first = made.json()
    assert first | {"id": first["id"], "created_at": first["created_at"]} == {
        "id": first["id"],
        "name": 'phonics "fidelity checks" -secondary',
        "q": 'phonics "fidelity checks" -secondary',
        "filters": {"network": slug, "kind": "practice", "theme": "early reading", "sort": "newest"},
        "alerts": True,
        "url": f"/search?q=phonics+%22fidelity+checks%22+-secondary&network={slug}&kind=practice"
        "&theme=early+reading&sort=newest",
        "created_at": first["created_at"],
        "last_alerted_at": None,
    }
    second = (await keep(me, "oracy", name="  Talk  for learning ", alerts=False)).json()
    assert (second["name"], second["alerts"], second["filters"]) == ("Talk for learning", False, {})

    listed = await me.get(PATH)
    assert listed.status_code == 200
    assert listed.json() == {"items": [first, second], "next_cursor": None}

    changed = await me.patch(f"{PATH}/{first['id']}", json={"name": "Phonics fidelity", "alerts": False})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["alerts"], changed.json()["q"]) == (
        "Phonics fidelity",
        False,
        first["q"],
    )
    assert (await me.patch(f"{PATH}/{first['id']}", json={"alerts": True})).json()["name"] == "Phonics fidelity"
    assert (await me.delete(f"{PATH}/{second['id']}")).status_code == 204
    assert [s["id"] for s in (await me.get(PATH)).json()["items"]] == [first["id"]]
    problem(await me.delete(f"{PATH}/{second['id']}"), 404, f"No saved search {second['id']}.")


async def test_each_refusal_says_what_to_change(world: World) -> None:
    me = await world.person()
    problem(await keep(me, "the and"), 422, "too common to search for on its own")
    problem(await keep(me, "-maths -secondary"), 422, "Add a word to look for as well")
    problem(await keep(me, "   "), 422, "Type a word or two")
    problem(await keep(me, "reading " * 70), 422, "at most 500 characters")
    kind = problem(await keep(me, "reading", filters={"kind": "poems"}), 422, "Choose practices or requests.")
    assert kind["errors"]["kind"] == "Choose practices or requests."
    problem(await keep(me, "reading", filters={"since": "last week"}), 422, "Give a date as YYYY-MM-DD.")
    problem(await keep(me, "reading", filters={"phase": "nursery"}), 422, "Choose one of the phases listed.")
    problem(await keep(me, "reading", name="N" * 121), 422, "A name is at most 120 characters.")
    problem(await keep(me, "reading", filters={"colour": "red"}), 400, "colour")
    made = (await keep(me, "reading")).json()
    problem(await me.patch(f"{PATH}/{made['id']}", json={"name": "   "}), 422, "Give the saved search a name.")
    problem(await me.patch(f"{PATH}/{made['id']}", json={"alerts": "sometimes"}), 400)
    assert [s["name"] for s in (await me.get(PATH)).json()["items"]] == ["reading"]  # refusals kept nothing
    problem(await world.client().get(PATH), 401)


async def test_a_network_one_may_not_read_is_refused_as_a_missing_one(world: World) -> None:
    lead = await world.person()
    private = await world.network(lead, visibility="members")
    outsider = await world.person()
    unreadable = await keep(outsider, "reading", filters={"network": private})
    absent = await keep(outsider, "reading", filters={"network": "no-such-network"})
    assert problem(unreadable, 422, "Choose one of the networks you can read.") == problem(absent, 422)
    assert (await keep(lead, "reading", filters={"network": private})).status_code == 201  # its members may


async def test_someone_elses_saved_search_is_answered_as_a_missing_one(world: World) -> None:
    owner, other = await world.person(), await world.person()
    mine = (await keep(owner, "reading")).json()
    missing = mine["id"] + 1000
    for method, body in (("PATCH", {"name": "Mine now"}), ("DELETE", None)):
        theirs = await other.http.request(method, f"{PATH}/{mine['id']}", json=body, headers=await other._csrf())
        absent = await other.http.request(method, f"{PATH}/{missing}", json=body, headers=await other._csrf())
        assert problem(theirs, 404)["detail"] == f"No saved search {mine['id']}."
        assert problem(absent, 404)["detail"] == f"No saved search {missing}."
    assert (await other.get(PATH)).json()["items"] == []
    assert [s["name"] for s in (await owner.get(PATH)).json()["items"]] == ["reading"]


async def test_fifty_at_most(world: World) -> None:
    me = await world.person()
    for n in range(saved.MAX_SAVED):
        assert (await keep(me, f"topic{n}")).status_code == 201
    problem(await keep(me, "one more"), 409, "delete one to save another")
    first = (await me.get(PATH)).json()["items"][0]
    assert (await me.delete(f"{PATH}/{first['id']}")).status_code == 204
    assert (await keep(me, "one more")).status_code == 201


async def test_saves_at_once_never_pass_the_limit(world: World) -> None:
    """The count is taken under the person's row lock: five saves fired together with room for one
    keep one, and the other four are refused (on PostgreSQL, truly at once)."""
    me = await world.person()
    for n in range(saved.MAX_SAVED - 1):
        assert (await keep(me, f"topic{n}")).status_code == 201
    answers = await asyncio.gather(*(keep(me, f"race{n}") for n in range(5)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409, 409]
    assert len((await me.get(PATH, params={"limit": 100})).json()["items"]) == saved.MAX_SAVED


async def test_my_data_lists_them_and_deleting_the_account_deletes_them(world: World) -> None:
    me = await world.person()
    made = (await keep(me, "attendance", filters={"kind": "request"})).json()
    data = (await me.get("/me/data")).json()
    assert data["saved_searches"] == [
        {
            "id": made["id"],
            "name": "attendance",
            "query": "attendance",
            "filters": {"kind": "request"},
            "alerts": True,
            "created_at": made["created_at"],
            "last_alerted_at": None,
        }
    ]
    assert (await delete_me(me)).status_code == 204
    assert await world.count("saved_searches") == 0


async def test_the_operations_are_described(world: World) -> None:
    schema = (await world.client().http.get(world.server.url + "/schema/openapi.json")).json()
    listed = schema["paths"]["/api/v1/me/saved-searches"]
    one = schema["paths"]["/api/v1/me/saved-searches/{saved_id}"]
    assert listed["get"]["summary"].startswith("My saved searches")
    assert listed["post"]["summary"].startswith("Save a search")
    assert "requestBody" in listed["post"] and "422" in listed["post"]["responses"]
    assert one["patch"]["summary"].startswith("Rename one of my saved searches")
    assert one["delete"]["summary"] == "Delete one of my saved searches"
    assert "404" in one["delete"]["responses"]
