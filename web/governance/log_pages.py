"""A network's transparency log in the browser: every moderation, role, settings and charter action, in words.

Members, observers and leads read it (others get the 404 page, as in the API). Each entry says what was
done, what it concerned, why, which charter clause, who acted (a lead's name or "A network lead", a
platform admin always by name) and, when it was appealed, how the appeal stands; the person an entry
concerns is offered "Appeal" while they still may. "Older entries" pages with the cursor, and a filter
shows only the entries about the reader. `log.js` follows the network on the live socket and announces
new entries ("1 new entry — show") in a polite live region; "show" swaps in the newest entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from network import cursors
from network.access import Access, open_network
from network.casework import log_titles
from network.casework.log_titles import Concerned
from network.enums import AppealStatus, Decision, TargetType
from network.errors import NotFound
from network.governance import transparency
from network.models import Person
from network.moderation.views import LogEntryView
from network.views import PersonRef
from server.deps import Db, Viewer
from web.forms import see_other
from web.render import page
from web.shared import day, network_nav, network_not_found, when

LOG_PAGE = 30

_CONTENT = {TargetType.POST: "a post", TargetType.REPLY: "a reply"}
_WORDS: dict[Decision, str] = {
    Decision.DISMISS: "Dismissed the flags on {noun}",
    Decision.APPROVE: "Approved {noun} held for review",
    Decision.HIDE: "Hid {noun}",
    Decision.RESTORE: "Restored {noun}",
    Decision.REMOVE: "Removed {noun}",
    Decision.EDIT: "Edited {noun}",
    Decision.LOCK: "Locked a thread",
    Decision.UNLOCK: "Unlocked a thread",
    Decision.PIN: "Pinned a post",
    Decision.UNPIN: "Unpinned a post",
    Decision.MUTE: "Muted a member",
    Decision.SUSPEND: "Suspended a member",
    Decision.BAN: "Banned a member",
    Decision.LIFT: "Lifted a member's sanction",
    Decision.APPROVE_JOIN: "Approved a request to join",
    Decision.DECLINE_JOIN: "Declined a request to join",
    Decision.REMOVE_MEMBER: "Removed a member",
    Decision.SET_ROLE: "Changed a member's role",
    Decision.SETTINGS: "Changed settings",
    Decision.WATCH_WORD: "Added a watched word",
    Decision.UNWATCH_WORD: "Removed a watched word",
    Decision.CHARTER: "Published a new charter version",
    Decision.INVITE: "Invited someone to join",
    Decision.APPEAL_UPHELD: "Upheld a decision on appeal",
    Decision.APPEAL_OVERTURNED: "Overturned a decision on appeal",
}
APPEAL_WORDS = {
    AppealStatus.OPEN: "Appealed: waiting for a decision",
    AppealStatus.UPHELD: "Appealed: the decision stands",
    AppealStatus.OVERTURNED: "Appealed: the decision was overturned",
}


def action_words(entry: LogEntryView, roles: tuple[str, str] | None = None) -> str:
    """What was done, as a sentence a member reads: "Hid a post", "Muted a member until 3 March 2025"."""
    action = entry.action
    if action is Decision.CHARTER and entry.target_id:
        return f"Published charter version {entry.target_id}"
    if action is Decision.SET_ROLE and roles:
        before, after = roles
        if after == "lead":
            return "Appointed a lead"
        if before == "lead":
            return "Made a lead a member"
    words = _WORDS.get(action, action.value.replace("_", " ").capitalize()).format(
        noun=_CONTENT.get(entry.target_type, "content")
    )
    if action in (Decision.MUTE, Decision.SUSPEND):
        words += f" until {day(entry.until)}" if entry.until else " until further notice"
    return words


def concerning(entry: LogEntryView) -> str:
    """What the entry concerned, beyond the person (linked separately): "practice 12", "slow mode (seconds)"."""
    label = entry.label
    if entry.action is Decision.SETTINGS and label.startswith("changed "):
        return label[len("changed ") :]
    if entry.action is Decision.CHARTER:
        return ""  # the action says which version
    if entry.subject is not None and label == entry.subject.display_name:
        return ""  # a member decision's label is the member's name, linked as the subject
    return label


@dataclass(frozen=True)
class LogRow:
    """One entry as the log page shows it."""

    id: int
    at: datetime
    action: str
    label: str  # what it concerned, in words: the post's title for one who may read it
    link: str | None  # where to read it, for a reader who may
    post_id: int | None  # a post the entry concerned
    subject: PersonRef | None
    reason: str
    clause: int | None
    actor: str
    appeal: str  # how an appeal against it stands, in words; empty when not appealed
    appeal_link: str  # for the person it concerns, while they may still appeal
    appealable_until: datetime | None


def named(entry: LogEntryView, told: Concerned) -> tuple[str, str | None]:
    """What an entry about content concerned, and where to read it: “Phonics catch-up” (or "a reply on
    “Phonics catch-up”") linked, for a reader who may read it; else only the kind of content, unlinked."""
    kind = entry.label.split(" ")[-2] if " " in entry.label else "post"  # "practice 63", "reply 7 on request 12"
    if told.title is None:
        return (f"a reply on a {kind}" if entry.target_type is TargetType.REPLY else f"a {kind}"), None
    quoted = f"“{told.title}”"
    return (f"a reply on {quoted}" if entry.target_type is TargetType.REPLY else quoted), told.link


def log_row(
    entry: LogEntryView,
    viewer: Person | None,
    now: datetime,
    roles: tuple[str, str] | None = None,
    told: Concerned | None = None,
) -> LogRow:
    """One entry for the page; `told`: what this reader may be told of the content it concerns (by title)."""
    mine = viewer is not None and entry.subject is not None and entry.subject.id == viewer.id
    open_to_appeal = entry.appealable_until is not None and entry.appealable_until > now and entry.appeal is None
    label, link = concerning(entry), f"/posts/{entry.target_id}" if entry.target_type is TargetType.POST else None
    if told is not None:
        label, link = named(entry, told)
    return LogRow(
        id=entry.id,
        at=entry.at,
        action=action_words(entry, roles),
        label=label,
        link=link,
        post_id=entry.target_id if entry.target_type is TargetType.POST else None,
        subject=entry.subject,
        reason=entry.reason,
        clause=entry.clause,
        actor=entry.actor,
        appeal=APPEAL_WORDS[entry.appeal] if entry.appeal else "",
        appeal_link=f"/decisions/{entry.id}/appeal" if mine and (open_to_appeal or entry.appeal) else "",
        appealable_until=entry.appealable_until if mine and open_to_appeal else None,
    )


async def role_changes(db: AsyncSession, entries: list[LogEntryView]) -> dict[int, tuple[str, str]]:
    """For role changes, the role before and after, so the log can say "Appointed a lead"."""
    return await transparency.role_changes(db, [e.id for e in entries if e.action is Decision.SET_ROLE])


async def rows_for(
    db: AsyncSession, entries: list[LogEntryView], viewer: Person | None, now: datetime, access: Access | None = None
) -> list[LogRow]:
    """The entries for the page; with the reader's `access` to the network, content is named by its title
    where they may read it (`network.casework.log_titles`)."""
    roles = await role_changes(db, entries)
    told = await log_titles.titles(db, access, entries) if access is not None else {}
    return [log_row(e, viewer, now, roles.get(e.id), told.get(e.id)) for e in entries]


@dataclass(frozen=True)
class LogList:
    slug: str
    rows: list[LogRow]
    about_me: bool
    cursor: str
    next_cursor: str | None

    def _link(self, path: str, cursor: str | None = None) -> str:
        params = urlencode({k: v for k, v in (("about", "me" if self.about_me else ""), ("cursor", cursor)) if v})
        return f"/networks/{self.slug}/{path}" + (f"?{params}" if params else "")

    @property
    def older(self) -> str | None:
        return self._link("log", self.next_cursor) + "#log-heading" if self.next_cursor else None

    @property
    def newest(self) -> str:
        return self._link("log")

    @property
    def fragment(self) -> str:
        return self._link("log/entries")


async def load_log(
    db: AsyncSession, access: Access, viewer: Person | None, cursor: str, about_me: bool
) -> tuple[LogList, str]:
    """A page of the log, and a message when the cursor could not be used (the newest page is shown instead)."""
    subject = viewer.id if about_me and viewer is not None else None
    error = ""
    try:
        found = await transparency.list_log(db, access, cursor=cursor or None, limit=LOG_PAGE, subject_id=subject)
    except cursors.BadCursor:
        error = "That page of the log cannot be found any more; here are the newest entries."
        cursor = ""
        found = await transparency.list_log(db, access, cursor=None, limit=LOG_PAGE, subject_id=subject)
    rows = await rows_for(db, list(found.items), viewer, access.now, access)
    return LogList(access.network.slug, rows, about_me, cursor, found.next_cursor), error


async def _readable_log(db: AsyncSession, slug: str, viewer: Person | None) -> Access:
    access = await open_network(db, slug, viewer)
    if not transparency.may_read_log(access):
        raise NotFound(f"No network '{slug}'.")
    return access


def _helpers() -> dict[str, Any]:
    return {"when": when, "day": day}


@get("/networks/{slug:str}/log", summary="A network's transparency log", include_in_schema=False)
async def log_page(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    slug: FromPath[str],
    cursor: FromQuery[str] = "",
    about: FromQuery[str] = "",
) -> Response[Any]:
    try:
        access = await _readable_log(db, slug, viewer)
    except NotFound as exc:
        return await network_not_found(request, db, viewer, exc.message)
    seq = access.network.event_seq  # read before the entries: one logged meanwhile is shown or announced
    log, error = await load_log(db, access, viewer, cursor[:300], about == "me")
    return await page(
        "log.html",
        request,
        db,
        viewer,
        status_code=400 if error else 200,
        network=access.network,
        nav=await network_nav(db, access, "log"),
        seq=seq,
        log=log,
        error=error,
        **_helpers(),
    )


@get(
    "/networks/{slug:str}/log/entries",
    summary="The log's newest entries (the fragment that the live bar's 'show' swaps in)",
    include_in_schema=False,
)
async def log_fragment(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    slug: FromPath[str],
    about: FromQuery[str] = "",
) -> Response[Any]:
    if request.headers.get("hx-request") != "true":  # a person who opened the link gets the whole page
        return see_other(f"/networks/{quote(slug)}/log" + ("?about=me" if about == "me" else ""))
    try:
        access = await _readable_log(db, slug, viewer)
    except NotFound as exc:
        return await network_not_found(request, db, viewer, exc.message)
    log, _ = await load_log(db, access, viewer, "", about == "me")
    return await page("partials/log_entries.html", request, db, viewer, network=access.network, log=log, **_helpers())


handlers = [log_page, log_fragment]
