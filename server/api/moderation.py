"""Moderation over JSON: flags, each network's queue, decisions, log, settings, watched words, export."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from network.access import Access, open_network
from network.adoption import export as adoption_export
from network.casework import decisions, flags, log_titles
from network.engagements import listing
from network.enums import TargetType
from network.errors import NotFound
from network.governance import charter, settings, transparency
from network.inputs import INT32_MAX, DecisionInput, FlagInput, QueueNoteInput, SettingsInput, WatchedWordInput
from network.moderation import review_queue
from network.moderation.views import (
    DecisionView,
    FlagView,
    LogEntryView,
    QueueEntryView,
    QueueNoteView,
    SettingsView,
    WatchedWordView,
    flag_view,
    log_entry_view,
    note_view,
    watched_word_view,
)
from network.views import CharterDiff, MemberView, Page, member_view
from server.api.params import Cursor, Limit
from server.deps import Db, Me


class FlagController(Controller):
    path = "/"
    tags = ["flags"]

    @post("/posts/{post_id:int}/flags", status_code=HTTP_201_CREATED, summary="Flag a post for the leads")
    async def flag_post(self, db: Db, person: Me, post_id: FromPath[int], data: JSONBody[FlagInput]) -> FlagView:
        return flag_view(await flags.flag(db, person, TargetType.POST, post_id, data))

    @post("/replies/{reply_id:int}/flags", status_code=HTTP_201_CREATED, summary="Flag a reply for the leads")
    async def flag_reply(self, db: Db, person: Me, reply_id: FromPath[int], data: JSONBody[FlagInput]) -> FlagView:
        return flag_view(await flags.flag(db, person, TargetType.REPLY, reply_id, data))

    @post(
        "/adoptions/{adoption_id:int}/flags",
        status_code=HTTP_201_CREATED,
        summary="Flag an adoption record for the leads",
    )
    async def flag_adoption(
        self, db: Db, person: Me, adoption_id: FromPath[int], data: JSONBody[FlagInput]
    ) -> FlagView:
        return flag_view(await flags.flag(db, person, TargetType.ADOPTION, adoption_id, data))

    @get("/decisions/{decision_id:int}", summary="One logged decision (members, and the person it concerns)")
    async def decision(self, db: Db, person: Me, decision_id: FromPath[int]) -> LogEntryView:
        entry, network = await transparency.get_entry(db, decision_id)
        try:  # a decision one may not read is answered exactly as one that does not exist
            access: Access | None = await open_network(db, network.slug, person)
        except NotFound:
            access = None
        if entry.subject_id != person.id and (access is None or not transparency.may_read_log(access)):
            raise NotFound(f"No decision {decision_id}.")
        appeals = await transparency.appeal_statuses(db, [entry.id])
        view = log_entry_view(entry, network, appeals.get(entry.id))
        if access is None:  # the person it concerns, who may not read the network: no title from it
            return view
        [titled] = await log_titles.with_titles(db, access, [view])
        return titled


class ModerationController(Controller):
    path = "/networks/{slug:str}"
    tags = ["moderation"]

    @get("/queue", summary="The review queue: flagged and held items, most severe first (leads)")
    async def queue(
        self,
        db: Db,
        person: Me,
        slug: FromPath[str],
        resolved: Annotated[bool, QueryParameter(description="The 50 most recently decided instead")] = False,
    ) -> list[QueueEntryView]:
        access = await open_network(db, slug, person)
        return await review_queue.list_queue(db, access, resolved=resolved)

    @post("/queue/{entry_id:int}/claim", status_code=HTTP_200_OK, summary="Claim a queue entry (leads)")
    async def claim(self, db: Db, person: Me, slug: FromPath[str], entry_id: FromPath[int]) -> QueueEntryView:
        access = await open_network(db, slug, person)
        return await review_queue.describe(db, await review_queue.claim(db, access, entry_id))

    @delete("/queue/{entry_id:int}/claim", status_code=HTTP_200_OK, summary="Release a claimed entry (leads)")
    async def release(self, db: Db, person: Me, slug: FromPath[str], entry_id: FromPath[int]) -> QueueEntryView:
        access = await open_network(db, slug, person)
        return await review_queue.describe(db, await review_queue.claim(db, access, entry_id, release=True))

    @post("/queue/{entry_id:int}/notes", status_code=HTTP_201_CREATED, summary="A note for the other leads")
    async def note(
        self, db: Db, person: Me, slug: FromPath[str], entry_id: FromPath[int], data: JSONBody[QueueNoteInput]
    ) -> QueueNoteView:
        access = await open_network(db, slug, person)
        return note_view(await review_queue.add_note(db, access, entry_id, data.body))

    @get("/join-requests", summary="People asking to join, with their answers (leads)")
    async def join_requests(self, db: Db, person: Me, slug: FromPath[str]) -> list[MemberView]:
        access = await open_network(db, slug, person)
        return [member_view(m, with_answers=True) for m in await review_queue.pending_joins(db, access)]

    @post("/decisions", status_code=HTTP_201_CREATED, summary="Decide on a post, reply or member (leads)")
    async def decide(self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[DecisionInput]) -> DecisionView:
        access = await open_network(db, slug, person)
        entry = await decisions.decide(db, access, data)
        return DecisionView(id=entry.id, entry=log_entry_view(entry, access.network), details=dict(entry.details))

    @get("/log", summary="The transparency log, newest first (members)")
    async def log(
        self,
        db: Db,
        person: Me,
        slug: FromPath[str],
        cursor: Cursor = None,
        limit: Limit = 50,
        subject: Annotated[int | None, QueryParameter(ge=1, description="Only entries concerning this person")] = None,
    ) -> Page:
        access = await open_network(db, slug, person)
        found = await transparency.list_log(db, access, cursor=cursor, limit=limit, subject_id=subject)
        return Page(items=await log_titles.with_titles(db, access, found.items), next_cursor=found.next_cursor)

    @get("/charter/diff", summary="What changed between two charter versions")
    async def charter_diff(
        self,
        db: Db,
        person: Me,
        slug: FromPath[str],
        from_version: Annotated[int, QueryParameter(name="from", ge=1, le=INT32_MAX)],
        to_version: Annotated[
            int | None, QueryParameter(name="to", ge=1, le=INT32_MAX, description="Default: the current")
        ] = None,
    ) -> CharterDiff:
        access = await open_network(db, slug, person)
        old = await charter.get_version(db, access.network.id, from_version)
        if to_version is None:
            new = await charter.current_charter(db, access.network.id)
            assert new is not None
        else:
            new = await charter.get_version(db, access.network.id, to_version)
        return charter.diff(old, new)

    @get("/settings", summary="The network's settings (leads)")
    async def get_settings(self, db: Db, person: Me, slug: FromPath[str]) -> SettingsView:
        return settings.get_settings(await open_network(db, slug, person))

    @patch("/settings", summary="Change settings (leads; logged)")
    async def change_settings(
        self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[SettingsInput]
    ) -> SettingsView:
        access = await open_network(db, slug, person)
        return await settings.update_settings(db, access, data)

    @get("/watched-words", summary="Watched words and patterns (leads)")
    async def words(self, db: Db, person: Me, slug: FromPath[str]) -> list[WatchedWordView]:
        access = await open_network(db, slug, person)
        return [watched_word_view(w) for w in await settings.watched_words(db, access)]

    @post("/watched-words", status_code=HTTP_201_CREATED, summary="Watch a word or pattern (leads; logged)")
    async def add_word(
        self, db: Db, person: Me, slug: FromPath[str], data: JSONBody[WatchedWordInput]
    ) -> WatchedWordView:
        access = await open_network(db, slug, person)
        return watched_word_view(await settings.add_word(db, access, data))

    @delete("/watched-words/{word_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Stop watching (leads)")
    async def remove_word(self, db: Db, person: Me, slug: FromPath[str], word_id: FromPath[int]) -> None:
        access = await open_network(db, slug, person)
        await settings.remove_word(db, access, word_id)

    @get("/export", summary="The network's data as a zip of JSON and CSV (leads)", media_type="application/zip")
    async def export(self, db: Db, person: Me, slug: FromPath[str]) -> Response[bytes]:
        access = await open_network(db, slug, person)
        engagements = await listing.export_rows(db, access)
        body = await adoption_export.build(db, access, more={"engagements": (engagements, listing.EXPORT_COLUMNS)})
        name = f"{access.network.slug}-{access.now:%Y-%m-%d}.zip"
        return Response(
            body,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )
