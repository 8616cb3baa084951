"""A reply's author edits and deletes it over HTTP: the history kept, the text gone on deletion from every
channel (the reply, its versions, the log's events, the export), and who is refused how."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from tests.conftest import ApiClient, World, event_kinds, problem


async def written(world: World) -> tuple[int, ...]:
    """What a refused request must leave unchanged."""
    tables = ("replies", "reply_revisions", "events", "notifications", "queue_entries")
    return tuple([await world.count(t) for t in tables])


async def replied(author: ApiClient, post_id: int, body: str = "We ran it for **two** terms.") -> dict[str, Any]:
    response = await author.post(f"/posts/{post_id}/replies", json={"body": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


@dataclass
class Thread:
    """A network with its lead, a reply's author and another member, a post of `poster`'s and the author's reply."""

    slug: str
    lead: ApiClient
    author: ApiClient
    reader: ApiClient
    post: dict[str, Any]
    reply: dict[str, Any]

    @property
    def path(self) -> str:
        return f"/posts/{self.post['id']}/replies/{self.reply['id']}"

    async def decide(self, target_type: str, target_id: int, action: str, **extra: Any) -> None:
        body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "As logged"}
        response = await self.lead.post(f"/networks/{self.slug}/decisions", json=body | extra)
        assert response.status_code == 201, response.text


async def thread(world: World, body: str, *, request: bool = False) -> Thread:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    post = await (world.request(reader, slug) if request else world.practice(lead, slug))
    return Thread(slug, lead, author, reader, post, await replied(author, post["id"], body))


async def payloads(world: World) -> str:
    """Every event payload in the log, as one text to search."""
    async with world.db() as session:
        rows = (await session.execute(text("SELECT payload FROM events ORDER BY id"))).scalars().all()
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows)


async def test_the_author_edits_a_reply_and_its_history_is_kept(world: World) -> None:
    slug, reader, author = await world.two_members(practices=1)
    post = (await reader.get(f"/networks/{slug}/posts")).json()["items"][0]
    reply = await replied(author, post["id"])
    path = f"/posts/{post['id']}/replies/{reply['id']}"
    earlier = await event_kinds(world)

    response = await author.patch(path, json={"body": "We ran it for *three* terms."})
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["body"] == "We ran it for *three* terms." and edited["edited_at"] is not None
    assert edited["body_html"] == "<p>We ran it for <em>three</em> terms.</p>\n" and edited["deleted"] is False
    assert (await event_kinds(world))[len(earlier) :] == ["reply.updated"]
    listed = (await reader.get(f"/posts/{post['id']}/replies")).json()["items"]
    assert [r["body"] for r in listed] == ["We ran it for *three* terms."]

    versions = (await reader.get(f"{path}/revisions")).json()
    assert [(v["revision"], v["body"], v["editor_id"], v["withheld"]) for v in versions] == [
        (1, "We ran it for **two** terms.", author.id, False)
    ]
    # the same text again changes nothing
    assert (await author.patch(path, json={"body": "We ran it for *three* terms."})).status_code == 200
    assert len((await reader.get(f"{path}/revisions")).json()) == 1


async def test_only_the_author_edits_or_deletes_and_what_one_may_not_read_is_not_there(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    private = await world.network(lead, visibility="members")
    author = await world.member(slug)
    other = await world.member(slug)
    outsider = await world.person()
    post = await world.practice(author, slug)
    reply = await replied(author, post["id"])
    path = f"/posts/{post['id']}/replies/{reply['id']}"
    private_post = await world.practice(lead, private)
    private_reply = await replied(lead, private_post["id"])
    before = await written(world)

    for who in (other, lead):  # a lead moderates instead (decisions); they do not rewrite others' words
        problem(await who.patch(path, json={"body": "Not mine."}), 403, "author")
        problem(await who.delete(path), 403, "author")
    # a network one may not read, a reply on another post, a reply that does not exist: alike
    for who, where in (
        (outsider, f"/posts/{private_post['id']}/replies/{private_reply['id']}"),
        (author, f"/posts/{post['id']}/replies/{private_reply['id']}"),
        (author, f"/posts/{post['id']}/replies/99999"),
    ):
        missing = problem(await who.patch(where, json={"body": "x"}), 404)
        assert missing["detail"].startswith(("No reply", "No post"))
        problem(await who.delete(where), 404)
    problem(await author.patch(path, json={"body": "  "}), 422, "blank")
    problem(await author.patch(path, json={"body": ""}), 400, "body")
    problem(await author.patch(path, json={"body": "x", "extra": 1}), 400)
    anonymous = world.client()
    problem(await anonymous.patch(path, json={"body": "x"}), 401)
    assert await written(world) == before


async def test_a_locked_thread_or_a_reply_a_lead_hid_cannot_be_changed(world: World) -> None:
    t = await thread(world, "First.")
    hidden = await replied(t.author, t.post["id"], "Second.")
    await t.decide("reply", hidden["id"], "hide")
    before = await written(world)

    hidden_path = f"/posts/{t.post['id']}/replies/{hidden['id']}"
    problem(await t.author.patch(hidden_path, json={"body": "Changed."}), 403, "hidden")
    problem(await t.author.delete(hidden_path), 403, "hidden")
    assert await written(world) == before
    await t.decide("post", t.post["id"], "lock")
    before = await written(world)
    problem(await t.author.patch(t.path, json={"body": "Changed."}), 403, "locked")
    problem(await t.author.delete(t.path), 403, "locked")
    assert await written(world) == before


async def test_a_deleted_reply_keeps_its_place_without_its_text_anywhere(world: World) -> None:
    t = await thread(world, "Call Mrs Example on 01234 567890.", request=True)
    post, path, reader = t.post, t.path, t.reader
    assert (await t.author.patch(path, json={"body": "Call the office, Mrs Example."})).status_code == 200
    assert (await reader.get(f"/posts/{post['id']}")).json()["reply_count"] == 1
    earlier = await event_kinds(world)

    response = await t.author.delete(path)
    assert response.status_code == 200, response.text
    gone = response.json()
    assert gone["deleted"] is True and gone["body"] == "" and gone["body_html"] == ""
    assert (await event_kinds(world))[len(earlier) :] == ["reply.updated"]
    listed = (await reader.get(f"/posts/{post['id']}/replies")).json()["items"]
    assert [(r["id"], r["deleted"], r["body"]) for r in listed] == [(t.reply["id"], True, "")]
    assert (await reader.get(f"/posts/{post['id']}")).json()["reply_count"] == 0
    assert (await reader.get(f"{path}/revisions")).json() == []
    # the log's earlier events no longer carry it, nor does the network's export
    logged = await payloads(world)
    assert "Mrs Example" not in logged and "01234" not in logged
    export = await t.lead.get(f"/networks/{t.slug}/export")
    assert export.status_code == 200, export.text
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        exported = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert "replies" in exported and "Mrs Example" not in exported
    assert await world.count("reply_revisions") == 0
    # deleted once: nothing more to do to it
    before = await written(world)
    problem(await t.author.delete(path), 409, "deleted")
    problem(await t.author.patch(path, json={"body": "Back again."}), 409, "deleted")
    assert await written(world) == before


async def test_an_edit_that_the_filters_hold_goes_back_to_the_leads(world: World) -> None:
    t = await thread(world, "Fine words.")
    words = await t.lead.post(f"/networks/{t.slug}/watched-words", json={"pattern": "bananas", "action": "hold"})
    assert words.status_code == 201, words.text
    earlier = await event_kinds(world)

    response = await t.author.patch(t.path, json={"body": "Now with bananas."})
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "held"
    assert (await event_kinds(world))[len(earlier) :][:2] == ["reply.hidden", "reply.updated"]
    replies = f"/posts/{t.post['id']}/replies"
    assert (await t.reader.get(replies)).json()["items"] == []
    assert [r["state"] for r in (await t.author.get(replies)).json()["items"]] == ["held"]
    assert await world.count("queue_entries", f"target_id = {t.reply['id']} AND status = 'open'") == 1


async def test_a_lead_edit_keeps_a_revision_that_only_leads_read(world: World) -> None:
    t = await thread(world, "Pupil Sam Example in Year 4 did well.")
    await t.decide(
        "reply", t.reply["id"], "edit", reason="A pupil's name", edit={"body": "A pupil in Year 4 did well."}
    )

    for who in (t.reader, t.author):
        versions = (await who.get(f"{t.path}/revisions")).json()
        assert [(v["withheld"], v["body"], v["reason"]) for v in versions] == [(True, "", "A pupil's name")]
    assert (await t.lead.get(f"{t.path}/revisions")).json()[0]["body"] == "Pupil Sam Example in Year 4 did well."


async def test_an_edit_that_names_someone_new_tells_them_and_no_one_twice(world: World) -> None:
    slug, author, replier = await world.two_members()
    named = await world.member(slug, name="Nadia Named")
    added = await world.member(slug, name="Ade Added")
    post = await world.request(author, slug, title="Help with attendance")
    reply = await replied(replier, post["id"], "Ask @Nadia Named about it.")

    async def mentions(person: ApiClient) -> int:
        items = (await person.get("/notifications")).json()["items"]
        return sum(1 for n in items if n["kind"] == "mention")

    assert await mentions(named) == 1 and await mentions(added) == 0
    edited = await replier.patch(
        f"/posts/{post['id']}/replies/{reply['id']}", json={"body": "Ask @Nadia Named or @Ade Added about it."}
    )
    assert edited.status_code == 200, edited.text
    assert await mentions(added) == 1  # newly named: told
    assert await mentions(named) == 1  # named before: not told again
    again = await replier.patch(
        f"/posts/{post['id']}/replies/{reply['id']}", json={"body": "Ask @Ade Added about it, please."}
    )
    assert again.status_code == 200, again.text
    assert await mentions(added) == 1 and await mentions(named) == 1
