"""Adoption records over HTTP (docs/design.md §3.13): recorded by another organisation after "tried it",
one per organisation per practice, updated and reported by that organisation's people, summarised in
words on the practice, the author told of each report, and the permission table applied throughout."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from network.enums import OrgKind
from tests.conftest import ApiClient, World, event_kinds, problem

STARTED = (date.today() - timedelta(days=20)).isoformat()
RECORD = {"phase": "primary", "size_band": "medium", "started_on": STARTED, "adapted": "We ran it weekly."}
REPORT = {
    "result": "improved",
    "evidence_strength": "internal_data",
    "how_we_know": "Termly reading ages.",
    "advice": "Train the TAs first.",
}


async def notifications(world: World) -> list[tuple[int, str, dict[str, Any]]]:
    async with world.db() as session:
        rows = (await session.execute(text("SELECT person_id, kind, payload FROM notifications ORDER BY id"))).all()
    return [(int(r[0]), str(r[1]), r[2] if isinstance(r[2], dict) else json.loads(r[2])) for r in rows]


async def written(world: World) -> tuple[int, ...]:
    """What a refused request must leave unchanged."""
    return tuple([await world.count(t) for t in ("adoptions", "adoption_revisions", "events", "notifications")])


async def practice_and_trier(world: World, **network: Any) -> tuple[str, ApiClient, ApiClient, dict[str, Any]]:
    lead = await world.person()
    slug = await world.network(lead, **network)
    author = await world.member(slug)
    trier = await world.member(slug)
    practice = await world.practice(author, slug)
    return slug, author, trier, practice


async def test_tried_it_then_recorded_reported_and_summarised(world: World) -> None:
    _slug, author, trier, practice = await practice_and_trier(world)
    pid = practice["id"]
    assert (await trier.post(f"/posts/{pid}/reactions", json={"kind": "tried_it"})).status_code == 200

    response = await trier.post(f"/posts/{pid}/adoptions", json=RECORD)
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["organisation"]["id"] == trier.person["organisation"]["id"]  # type: ignore[index]
    assert record["report"] is None
    assert record["report_due_on"] == (date.fromisoformat(STARTED) + timedelta(weeks=8)).isoformat()
    assert "adoption.recorded" in await event_kinds(world)

    listed = (await author.get(f"/posts/{pid}/adoptions")).json()
    assert listed["summary"]["sentence"] == "Tried in 1 organisation: 1 not reported yet."
    notes = len(await notifications(world))

    response = await trier.post(f"/adoptions/{record['id']}/report", json=REPORT)
    assert response.status_code == 200, response.text
    assert response.json()["report"]["advice"] == "Train the TAs first."
    [(person_id, kind, payload)] = (await notifications(world))[notes:]
    assert (person_id, kind) == (author.id, "adoption.reported")
    assert payload["post_id"] == pid and payload["result"] == "improved"
    listed = (await author.get(f"/posts/{pid}/adoptions")).json()
    assert listed["summary"]["sentence"] == "Tried in 1 organisation: 1 reports improvement (1 with internal data)."
    assert listed["items"][0]["report"]["how_we_know"] == "Termly reading ages."
    assert (await event_kinds(world))[-1] == "adoption.reported"

    mine = (await trier.get("/me/adoptions")).json()
    assert [m["adoption"]["id"] for m in mine] == [record["id"]] and mine[0]["title"] == practice["title"]


async def test_one_record_per_organisation_and_colleagues_update_it(world: World) -> None:
    slug, _author, trier, practice = await practice_and_trier(world)
    pid = practice["id"]
    org = trier.person["organisation"]["name"]  # type: ignore[index]
    colleague = await world.member(slug, org=org)
    first = (await trier.post(f"/posts/{pid}/adoptions", json=RECORD)).json()
    before = await written(world)
    body = problem(await colleague.post(f"/posts/{pid}/adoptions", json=RECORD), 409, "already", str(first["id"]))
    assert body["errors"]["adoption"] == str(first["id"])
    assert await written(world) == before

    response = await colleague.patch(f"/adoptions/{first['id']}", json={"size_band": "large", "setting": "Rural"})
    assert response.status_code == 200, response.text
    assert response.json()["size_band"] == "large" and response.json()["revision"] == 2
    revisions = (await colleague.get(f"/adoptions/{first['id']}/revisions")).json()
    assert [r["revision"] for r in revisions] == [1] and revisions[0]["content"]["size_band"] == "medium"
    problem(await colleague.patch(f"/adoptions/{first['id']}", json={"size_band": "large"}), 409, "nothing changed")
    assert "adoption.updated" in await event_kinds(world)

    # a report's edit keeps the earlier one too, and tells the author only once
    await trier.post(f"/adoptions/{first['id']}/report", json=REPORT)
    notes = len(await notifications(world))
    edited = await colleague.post(f"/adoptions/{first['id']}/report", json=REPORT | {"result": "no_change"})
    assert edited.status_code == 200 and edited.json()["report"]["result"] == "no_change"
    assert len(await notifications(world)) == notes
    assert len((await colleague.get(f"/adoptions/{first['id']}/revisions")).json()) == 2  # the patch, the edit


async def test_who_may_record_and_change(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    practice = await world.practice(author, slug)
    pid = practice["id"]
    before = await written(world)
    # the practice's own organisation
    same_org = await world.member(slug, org=author.person["organisation"]["name"])  # type: ignore[index]
    problem(await same_org.post(f"/posts/{pid}/adoptions", json=RECORD), 403, "your own organisation")
    # an observer
    observer = await world.observer(lead, slug)
    problem(await observer.post(f"/posts/{pid}/adoptions", json=RECORD), 403)
    # a muted member, a suspended one
    muted, suspended = await world.member(slug), await world.member(slug)
    await lead.patch(f"/networks/{slug}/members/{muted.id}", json={"state": "muted"})
    await lead.patch(f"/networks/{slug}/members/{suspended.id}", json={"state": "suspended"})
    problem(await muted.post(f"/posts/{pid}/adoptions", json=RECORD), 403, "muted")
    problem(await suspended.post(f"/posts/{pid}/adoptions", json=RECORD), 404, f"No post {pid}")
    # a request is not a practice; a start in the future is refused
    trier = await world.member(slug)
    request = await world.request(author, slug)
    problem(await trier.post(f"/posts/{request['id']}/adoptions", json=RECORD), 422, "practices")
    future = RECORD | {"started_on": (date.today() + timedelta(days=3)).isoformat()}
    problem(await trier.post(f"/posts/{pid}/adoptions", json=future), 422, "future")
    problem(await trier.post(f"/posts/{pid}/adoptions", json=RECORD | {"size_band": "huge"}), 400)
    after_members = await written(world)

    record = (await trier.post(f"/posts/{pid}/adoptions", json=RECORD)).json()
    stranger = await world.member(slug)
    problem(await stranger.post(f"/adoptions/{record['id']}/report", json=REPORT), 403, "organisation")
    problem(await stranger.patch(f"/adoptions/{record['id']}", json={"setting": "x"}), 403, "organisation")
    # members' events (joins, state changes) aside, the refusals wrote nothing of adoption
    assert before[:2] == after_members[:2] == (0, 0)


async def test_non_readers_get_the_404_of_a_missing_post(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    author = await world.member(slug)
    trier = await world.member(slug)
    practice = await world.practice(author, slug)
    record = (await trier.post(f"/posts/{practice['id']}/adoptions", json=RECORD)).json()
    outsider = await world.person()
    problem(await outsider.get(f"/posts/{practice['id']}/adoptions"), 404, f"No post {practice['id']}")
    missing = await outsider.get("/posts/999999/adoptions")
    assert missing.json()["detail"] == "No post 999999."
    problem(await outsider.get(f"/adoptions/{record['id']}"), 404, f"No adoption {record['id']}")
    assert (await outsider.get("/adoptions/999999")).json()["detail"] == "No adoption 999999."
    problem(await outsider.post(f"/posts/{practice['id']}/adoptions", json=RECORD), 404)


async def test_hidden_records_are_seen_by_leads_and_their_organisation_only(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, trier = await world.member(slug), await world.member(slug)
    pid = (await world.practice(author, slug))["id"]
    record = (await trier.post(f"/posts/{pid}/adoptions", json=RECORD)).json()
    await trier.post(f"/adoptions/{record['id']}/report", json=REPORT)
    colleague = await world.member(slug, org=trier.person["organisation"]["name"])  # type: ignore[index]
    flagged = await author.post(f"/adoptions/{record['id']}/flags", json={"reason": "off_topic"})
    assert flagged.status_code == 201, flagged.text
    problem(await trier.post(f"/adoptions/{record['id']}/flags", json={"reason": "spam"}), 403, "your own words")
    queue = (await lead.get(f"/networks/{slug}/queue")).json()
    [entry] = queue if isinstance(queue, list) else queue["items"]
    assert entry["target_type"] == "adoption" and "Train the TAs first." in entry["content"]["body"]

    problem(
        await lead.post(
            f"/networks/{slug}/decisions",
            json={"target_type": "adoption", "target_id": record["id"], "action": "lock", "reason": "x"},
        ),
        422,
    )
    decided = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "adoption", "target_id": record["id"], "action": "hide", "reason": "Off topic"},
    )
    assert decided.status_code == 201, decided.text
    assert "adoption.hidden" in await event_kinds(world)
    reader = await world.member(slug)
    listed = (await reader.get(f"/posts/{pid}/adoptions")).json()
    assert listed["items"] == [] and listed["summary"]["counts"]["tried"] == 0
    problem(await reader.get(f"/adoptions/{record['id']}"), 404, f"No adoption {record['id']}")
    for sees in (lead, colleague, trier):
        assert [i["state"] for i in (await sees.get(f"/posts/{pid}/adoptions")).json()["items"]] == ["hidden"]
    problem(await colleague.post(f"/adoptions/{record['id']}/report", json=REPORT), 403, "lead")
    # the flagging author was told the outcome, the recorder the decision
    kinds = {(p, k) for p, k, _ in await notifications(world)}
    assert (author.id, "flag.decided") in kinds and (trier.id, "decision") in kinds

    restored = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "adoption", "target_id": record["id"], "action": "restore", "reason": "On reflection"},
    )
    assert restored.status_code == 201, restored.text
    assert (await reader.get(f"/posts/{pid}/adoptions")).json()["summary"]["counts"]["improved"] == 1


async def test_observers_and_anonymous_read_summary_as_readers(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    trier = await world.member(slug)
    practice = await world.practice(author, slug)
    await trier.post(f"/posts/{practice['id']}/adoptions", json=RECORD)
    observer = await world.observer(lead, slug, OrgKind.REGULATOR)
    listed = (await observer.get(f"/posts/{practice['id']}/adoptions")).json()
    assert listed["summary"]["counts"]["tried"] == 1 and len(listed["items"]) == 1
    anonymous = world.client()
    assert (await anonymous.get(f"/posts/{practice['id']}/adoptions")).status_code == 401


async def test_the_leads_export_holds_the_records_but_removed_ones_and_no_addresses(world: World) -> None:
    import io
    import zipfile

    lead = await world.person()
    slug = await world.network(lead)
    author, trier, other = await world.member(slug), await world.member(slug), await world.member(slug)
    pid = (await world.practice(author, slug))["id"]
    kept = (await trier.post(f"/posts/{pid}/adoptions", json=RECORD)).json()
    await trier.post(f"/adoptions/{kept['id']}/report", json=REPORT)
    gone = (await other.post(f"/posts/{pid}/adoptions", json=RECORD | {"adapted": "Removed words"})).json()
    removed = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "adoption", "target_id": gone["id"], "action": "remove", "reason": "Pupil names"},
    )
    assert removed.status_code == 201, removed.text
    response = await lead.get(f"/networks/{slug}/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = json.loads(archive.read("adoptions.json"))
    assert [r["id"] for r in rows] == [kept["id"]]
    assert rows[0]["advice"] == "Train the TAs first." and rows[0]["organisation"] == kept["organisation"]["name"]
    assert "@" not in archive.read("adoptions.csv").decode()
    assert json.loads(archive.read("README.json"))["files"]["adoptions"] == 1
    # the removed record's words left the log's earlier events too
    async with world.db() as session:
        payloads = (await session.execute(text("SELECT payload FROM events"))).scalars()
        assert not any("Removed words" in (p if isinstance(p, str) else json.dumps(p)) for p in payloads)
    problem(await author.get(f"/networks/{slug}/export"), 403)


async def test_a_reports_words_are_not_searched(world: World) -> None:
    _slug, _author, trier, practice = await practice_and_trier(world)
    record = (await trier.post(f"/posts/{practice['id']}/adoptions", json=RECORD)).json()
    advice = REPORT | {"advice": "Zanzibarian scaffolding beats everything", "how_we_know": "Quixotic ledgers"}
    await trier.post(f"/adoptions/{record['id']}/report", json=advice)
    for words in ("Zanzibarian", "Quixotic", "weekly"):
        found = (await trier.get("/search", params={"q": words})).json()
        assert found["items"] == [], found
    assert (await trier.get("/search", params={"q": "Phonics"})).json()["items"]  # search itself works


async def test_colleagues_recording_at_once_leave_one_record(world: World) -> None:
    """The practice's row lock (and the unique index behind it): of five colleagues recording at the same
    moment, one records and four are told which record their organisation has."""
    import asyncio

    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    first = await world.member(slug)
    org = first.person["organisation"]["name"]  # type: ignore[index]
    colleagues = [first] + [await world.member(slug, org=org) for _ in range(4)]
    pid = (await world.practice(author, slug))["id"]
    answers = await asyncio.gather(*(c.post(f"/posts/{pid}/adoptions", json=RECORD) for c in colleagues))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409, 409], [a.text for a in answers]
    [made] = [a.json() for a in answers if a.status_code == 201]
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json()["errors"]["adoption"] == str(made["id"])
    assert await world.count("adoptions") == 1
    assert (await event_kinds(world)).count("adoption.recorded") == 1
