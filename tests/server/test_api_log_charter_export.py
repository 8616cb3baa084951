"""The transparency log (who reads it, pages, the subject filter), the charter's versions and diffs, and
the leads' export of a network's data as a zip of JSON and CSV, checked file by file."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import httpx
from sqlalchemy import text

from network.enums import OrgKind
from tests.conftest import ApiClient, World, problem


async def decide(client: ApiClient, slug: str, target_type: str, target_id: int, action: str, **extra: Any) -> int:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": f"Why: {action}"} | extra
    response = await client.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def log(client: ApiClient, slug: str, **params: Any) -> httpx.Response:
    return await client.get(f"/networks/{slug}/log", params=params)


# --- the log ------------------------------------------------------------------------------


async def test_the_log_pages_newest_first_and_filters_by_subject(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, member = await world.member(slug), await world.member(slug)
    post_id = (await world.practice(author, slug))["id"]
    for _ in range(3):
        await decide(lead, slug, "post", post_id, "lock")
        await decide(lead, slug, "post", post_id, "unlock")
    await decide(lead, slug, "member", member.id, "mute")
    everything = (await log(member, slug, limit=100)).json()
    assert everything["next_cursor"] is None
    ids = [e["id"] for e in everything["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 7

    walked: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = (await log(member, slug, limit=3, **({"cursor": cursor} if cursor else {}))).json()
        assert len(page["items"]) <= 3
        walked += [e["id"] for e in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == ids
    assert pages == (len(ids) + 2) // 3

    about_member = (await log(author, slug, subject=member.id)).json()["items"]
    assert [(e["action"], e["subject"]["id"]) for e in about_member] == [("mute", member.id)]
    about_author = (await log(author, slug, subject=author.id)).json()["items"]
    assert [e["action"] for e in about_author] == ["unlock", "lock"] * 3
    assert (await log(author, slug, subject=999_999)).json()["items"] == []
    problem(await log(member, slug, cursor="not-a-cursor"), 400)
    assert (await log(member, slug, limit=0)).status_code == 400
    assert (await log(member, slug, subject=0)).status_code == 400


async def test_who_reads_the_log(world: World) -> None:
    lead = await world.person()
    public = await world.network(lead)
    members_only = await world.network(lead, visibility="members")
    admin = await world.admin()
    outsider = await world.person()
    readers = {}
    for slug in (public, members_only):
        member = await world.member(slug)
        muted = await world.member(slug)
        suspended = await world.member(slug)
        await decide(lead, slug, "member", muted.id, "mute")
        decision = await decide(lead, slug, "member", suspended.id, "suspend")
        observer = await world.observer(lead, slug, OrgKind.REGULATOR)
        readers[slug] = (member, muted, observer, suspended, decision)

    # docs/design.md §4.1: the log is readable by whoever may read the network's posts (moderation in the
    # open), so a public network's log is open to signed-in outsiders too; never to the suspended
    for slug, (member, muted, observer, suspended, decision) in readers.items():
        outsiders_read = slug == public
        for reader in (member, muted, observer, lead, admin, *([outsider] if outsiders_read else [])):
            response = await log(reader, slug)
            assert response.status_code == 200, (slug, response.text)
            assert decision in [e["id"] for e in response.json()["items"]]
            assert (await reader.get(f"/decisions/{decision}")).status_code == 200
        for refused in (suspended, *([] if outsiders_read else [outsider])):
            problem(await log(refused, slug), 404)
        if not outsiders_read:
            # answered exactly as a decision that does not exist
            hidden = problem(await outsider.get(f"/decisions/{decision}"), 404)
            missing = problem(await outsider.get("/decisions/999999"), 404)
            assert hidden["detail"] == missing["detail"].replace("999999", str(decision))
        assert (await suspended.get(f"/decisions/{decision}")).status_code == 200  # it concerns them
        assert (await world.client().get(f"/networks/{slug}/log")).status_code == 401


async def test_the_log_never_repeats_the_content_it_concerns(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    secret = "Bartholomew Quigley-Smythe"
    post = await world.practice(author, slug, title=f"About {secret}", body=f"{secret} did well.")
    reply = (await author.post(f"/posts/{post['id']}/replies", json={"body": f"And {secret} again"})).json()
    await decide(lead, slug, "reply", reply["id"], "remove")
    await decide(lead, slug, "post", post["id"], "remove")
    response = await log(reader, slug)
    labels = [e["label"] for e in response.json()["items"][:2]]
    assert labels == [f"practice {post['id']}", f"reply {reply['id']} on practice {post['id']}"]
    assert secret not in response.text


async def test_the_log_names_content_by_title_only_for_readers_who_may_read_it(world: World) -> None:
    """`title`: the post an entry concerns, by title, for a reader who may read it now (docs/design.md §4.1,
    §4.3); null for hidden or removed content to a member, and for the person concerned when they may no
    longer read the network. The live `decision.logged` event carries none."""
    lead = await world.person()
    slug = await world.network(lead)
    author, member, observer = await world.member(slug), await world.member(slug), await world.observer(lead, slug)
    other_lead = await world.person()
    await world.network(other_lead)  # a lead elsewhere: a signed-in reader of this public network, no more
    shown = await world.practice(author, slug, title="Shown practice")
    hidden = await world.practice(author, slug, title="Practice to hide")
    removed = await world.practice(author, slug, title="Practice to remove")
    reply = (await author.post(f"/posts/{shown['id']}/replies", json={"body": "A reply"})).json()
    pinned = await decide(lead, slug, "post", shown["id"], "pin")
    hid = await decide(lead, slug, "post", hidden["id"], "hide")
    took = await decide(lead, slug, "post", removed["id"], "remove")
    hid_reply = await decide(lead, slug, "reply", reply["id"], "hide")

    async def titles(client: ApiClient) -> dict[int, str | None]:
        response = await log(client, slug)
        assert response.status_code == 200, response.text
        return {e["id"]: e["title"] for e in response.json()["items"]}

    every = {pinned: "Shown practice", hid: "Practice to hide", took: "Practice to remove", hid_reply: "Shown practice"}
    only_shown = {pinned: "Shown practice", hid: None, took: None, hid_reply: "Shown practice"}
    assert {k: v for k, v in (await titles(lead)).items() if k in every} == every
    for reader in (member, observer, other_lead):
        assert {k: v for k, v in (await titles(reader)).items() if k in every} == only_shown, reader.person
        answer = (await log(reader, slug)).text
        assert "Practice to hide" not in answer and "Practice to remove" not in answer
    mine = {k: v for k, v in (await titles(author)).items() if k in every}
    assert mine == {pinned: "Shown practice", hid: "Practice to hide", took: None, hid_reply: "Shown practice"}
    assert (await author.get(f"/decisions/{hid}")).json()["title"] == "Practice to hide"
    assert (await member.get(f"/decisions/{hid}")).json()["title"] is None

    # suspended, the author still reads the decision about them, but no longer the network's titles
    await decide(lead, slug, "member", author.id, "suspend")
    assert (await author.get(f"/networks/{slug}/log")).status_code == 404
    about = await author.get(f"/decisions/{hid}")
    assert (
        about.status_code == 200
        and about.json()["title"] is None
        and about.json()["label"] == f"practice {hidden['id']}"
    )

    # the events carry no title: what was logged live is the entry without one
    async with world.db() as session:
        rows = await session.execute(text("SELECT payload FROM events WHERE kind = 'decision.logged'"))
        payloads = [p if isinstance(p, dict) else json.loads(p) for p in rows.scalars()]
    assert payloads and all(p["entry"]["title"] is None for p in payloads)


# --- the charter --------------------------------------------------------------------------

NEW_CHARTER = """Our charter, shorter.

1. Share practice honestly, including what did not work and how strong the evidence is.
2. Never post personal data about pupils, families or staff.
3. Be kind.
"""


async def test_amending_the_charter_is_logged_and_diffed(world: World) -> None:
    lead = await world.person(name="Ada Lead")
    slug = await world.network(lead)
    member = await world.member(slug)
    outsider = await world.person()
    post_id = (await world.practice(member, slug))["id"]

    before = await world.count("charter_versions")
    problem(await member.put(f"/networks/{slug}/charter", json={"body": NEW_CHARTER}), 403, "lead")
    current = (await member.get(f"/networks/{slug}/charter")).json()["body"]
    problem(await lead.put(f"/networks/{slug}/charter", json={"body": current}), 409, "as it stands")
    assert await world.count("charter_versions") == before

    amended = await lead.put(f"/networks/{slug}/charter", json={"body": NEW_CHARTER, "note": "Plainer words"})
    assert amended.status_code == 200, amended.text
    assert amended.json()["version"] == 2 and len(amended.json()["clauses"]) == 3
    [entry] = [e for e in (await log(member, slug)).json()["items"] if e["action"] == "charter"]
    assert (entry["label"], entry["reason"], entry["actor"]) == ("charter version 2", "Plainer words", "Ada Lead")
    assert entry["target_type"] == "network" and entry["target_id"] == 2

    versions = (await outsider.get(f"/networks/{slug}/charter/versions")).json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["note"] == "Plainer words"

    diff = (await member.get(f"/networks/{slug}/charter/diff", params={"from": 1})).json()
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    assert {"op": "+", "text": "3. Be kind."} in diff["lines"]
    assert {"op": " ", "text": NEW_CHARTER.splitlines()[2]} in diff["lines"]  # clause 1 is unchanged
    assert any(line["op"] == "-" and line["text"].startswith("4. Disagree") for line in diff["lines"])
    changes = {c["number"]: c for c in diff["clauses"]}
    assert [changes[n]["change"] for n in range(1, 7)] == [
        "same",
        "changed",
        "changed",
        "removed",
        "removed",
        "removed",
    ]
    assert changes[3]["after"] == "Be kind." and changes[6]["after"] is None
    assert changes[4]["before"].startswith("Disagree with ideas")
    explicit = (await member.get(f"/networks/{slug}/charter/diff", params={"from": 1, "to": 2})).json()
    assert explicit == diff
    back = (await member.get(f"/networks/{slug}/charter/diff", params={"from": 2, "to": 1})).json()
    assert [c["change"] for c in back["clauses"]][3:] == ["added"] * 3

    problem(await member.get(f"/networks/{slug}/charter/diff", params={"from": 9}), 404, "no charter version 9")
    problem(await member.get(f"/networks/{slug}/charter/diff", params={"from": 1, "to": 9}), 404, "version 9")
    assert (await member.get(f"/networks/{slug}/charter/diff", params={"from": 0})).status_code == 400
    assert (await member.get(f"/networks/{slug}/charter/diff")).status_code == 400

    # flags and decisions cite the clauses of the charter as it now stands
    problem(await lead.post(f"/networks/{slug}/decisions", json={
        "target_type": "post", "target_id": post_id, "action": "lock", "reason": "R", "clause": 5,
    }), 422, "no clause 5", "it has 3")  # fmt: skip
    reporter = await world.member(slug)
    problem(await reporter.post(f"/posts/{post_id}/flags", json={"reason": "charter", "clause": 4}), 422, "it has 3")
    assert (await reporter.post(f"/posts/{post_id}/flags", json={"reason": "charter", "clause": 3})).status_code == 201


# --- export -------------------------------------------------------------------------------


def unzip(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rows(files: dict[str, str], name: str) -> list[dict[str, Any]]:
    """A table's JSON rows, checked against its CSV twin (same rows, same columns, same text)."""
    as_json: list[dict[str, Any]] = json.loads(files[f"{name}.json"])
    as_csv = list(csv.DictReader(io.StringIO(files[f"{name}.csv"])))
    assert len(as_csv) == len(as_json), name
    for from_json, from_csv in zip(as_json, as_csv, strict=True):
        for key, value in from_json.items():
            if key not in from_csv:
                continue
            if isinstance(value, list | dict):
                assert json.loads(from_csv[key]) == value, (name, key)
            elif value is None:
                assert from_csv[key] == "", (name, key)
            else:
                assert from_csv[key] == str(value), (name, key)
    return as_json


async def test_only_leads_export(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    member = await world.member(slug)
    observer = await world.observer(lead, slug)
    admin = await world.admin()
    problem(await member.get(f"/networks/{slug}/export"), 403, "only a lead", "export")
    problem(await observer.get(f"/networks/{slug}/export"), 403, "export")
    problem(await admin.get(f"/networks/{slug}/export"), 403, "export")
    problem(await (await world.person()).get(f"/networks/{slug}/export"), 404)
    assert (await world.client().get(f"/networks/{slug}/export")).status_code == 401
    assert unzip(await lead.get(f"/networks/{slug}/export"))


async def test_the_export_holds_the_networks_data(world: World) -> None:
    lead = await world.person(org="Oak Learning Trust", name="Ada Lead")
    slug = await world.network(lead)
    author = await world.member(slug, org="Elm Academies", name="Cy Author")
    helper = await world.member(slug, org="Ash Federation", kind=OrgKind.FEDERATION, name="Di Helper")
    shown = await world.practice(author, slug, title="Shown", themes=["Reading"], phases=["primary"])
    hidden = await world.practice(author, slug, title="Hidden")
    removed = await world.practice(author, slug, title="Removed", body="Gone for good")
    request = await world.request(author, slug, title="Need help", support_type="visit", urgency="high")
    held = await author.post(
        f"/networks/{slug}/posts",
        json={"kind": "practice", "title": "Held", "body": "Our pupil Jayden Smith (UPN B801200005001) read more."},
    )
    assert held.json()["state"] == "held"
    reply = (await helper.post(f"/posts/{shown['id']}/replies", json={"body": "We tried it"})).json()
    gone = (await helper.post(f"/posts/{shown['id']}/replies", json={"body": "Removed reply"})).json()
    offer = (await helper.post(f"/posts/{request['id']}/offers", json={"message": "A visit in May"})).json()
    await decide(lead, slug, "post", hidden["id"], "hide")
    await decide(lead, slug, "post", removed["id"], "remove")
    await decide(lead, slug, "reply", gone["id"], "remove")
    await lead.put(f"/networks/{slug}/charter", json={"body": NEW_CHARTER, "note": "Shorter"})

    files = unzip(await lead.get(f"/networks/{slug}/export"))
    tables = ("posts", "replies", "offers", "members", "log", "charter_versions", "adoptions", "engagements")
    assert set(files) == {"README.json"} | {f"{t}.{ext}" for t in tables for ext in ("json", "csv")}
    for name, content in files.items():
        assert "@example.org" not in content, f"{name} holds an email address"
        assert "Gone for good" not in content and "Removed reply" not in content, name

    posts = {p["id"]: p for p in rows(files, "posts")}
    assert {i: p["state"] for i, p in posts.items()} == {
        shown["id"]: "visible",
        hidden["id"]: "hidden",
        request["id"]: "visible",
        held.json()["id"]: "held",
    }
    assert posts[shown["id"]]["author"] == "Cy Author" and posts[shown["id"]]["themes"] == ["reading"]
    assert posts[shown["id"]]["phases"] == ["primary"]
    assert (posts[request["id"]]["support_type"], posts[request["id"]]["urgency"]) == ("visit", "high")

    assert [(r["id"], r["body"], r["author"]) for r in rows(files, "replies")] == [
        (reply["id"], "We tried it", "Di Helper")
    ]
    [exported_offer] = rows(files, "offers")
    assert (exported_offer["id"], exported_offer["organisation"]) == (offer["id"], "Ash Federation")

    members = {m["display_name"]: m for m in rows(files, "members")}
    assert set(members) == {"Ada Lead", "Cy Author", "Di Helper"}
    assert members["Ada Lead"]["role"] == "lead" and members["Ada Lead"]["organisation"] == "Oak Learning Trust"
    assert members["Di Helper"]["organisation_kind"] == "federation"
    assert all("email" not in m for m in members.values())

    log_rows = rows(files, "log")
    assert [r["action"] for r in log_rows][-4:] == ["hide", "remove", "remove", "charter"]
    assert log_rows[-4]["actor"] == "Ada Lead" and log_rows[-4]["reason"] == "Why: hide"

    versions = rows(files, "charter_versions")
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["body"] == NEW_CHARTER and versions[1]["note"] == "Shorter"

    about = json.loads(files["README.json"])
    assert about["network"]["slug"] == slug and about["exported_by"] == "Ada Lead"
    assert about["files"] == {
        "posts": 4,
        "replies": 1,
        "offers": 1,
        "members": 3,
        "log": len(log_rows),
        "charter_versions": 2,
        "adoptions": 0,
        "engagements": 0,
    }
