"""Flags and leads' decisions in the browser: the forms on the post page, and each network's review queue.

Every form is a plain POST answered with 303 (POST-redirect-GET) and a confirmation (`?done=…`)
shown in a status region, so all of it works without JavaScript. A refusal re-renders the page
with the message beside its form and what was typed kept; nothing is written (each action runs in
a savepoint). The queue is for the network's leads only: a member gets a 403 page, someone who
cannot read the network the 404 page. With JavaScript, `queue.js` hears of new entries on the
lead's notification stream and offers "1 new item in the queue — show", which swaps in
`/networks/{slug}/queue/entries` (the same list, rendered by the same template).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access, open_network
from network.adoption import service as adoption_service
from network.adoption.models import Adoption
from network.casework import decisions, flags
from network.content import posts, replies
from network.enums import Decision, MemberState, Role, TargetType
from network.errors import Conflict, DomainError, Invalid, NotFound
from network.inputs import ContentEdit, DecisionInput, FlagInput, MemberChange
from network.models import Membership, Person
from network.moderation import review_queue
from network.moderation.models import DecisionRecord
from network.moderation.policy import CONTENT_DECISIONS, reason_refusal
from network.moderation.views import QueueEntryView
from network.people import membership
from server.deps import Db, Viewer
from web.content.post_pages import (
    DONE,
    FLAG_REASON_WORDS,
    FLAG_REASONS,
    Trouble,
    clauses_of,
    fitting,
    nested,
    not_found,
    render_post,
    show_refusal,
    when,
)
from web.forms import post_action, read_form, see_other, sign_in_first
from web.render import page
from web.shared import network_nav, network_not_found, refused

NOTE_LIMIT = 2_000
REASON_LIMIT = 1_000

# ---- reading the forms ------------------------------------------------------------------------------------------


def _clause(raw: str, fields: dict[str, str]) -> int | None:
    """The cited clause's number (None when none is chosen); whether the charter has it is the domain's check."""
    if not raw.strip():
        return None
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if not 1 <= number <= 999:
        fields["clause"] = "Choose a clause from the list."
        return None
    return number


def _refuse(fields: dict[str, str]) -> None:
    """Raise Invalid naming the first field at fault (the page shows each beside its field)."""
    if fields:
        raise Invalid(next(iter(fields.values())), fields=fields)


def flag_input(typed: dict[str, str]) -> FlagInput:
    reasons = {reason.value: reason for reason, _ in FLAG_REASONS}
    fields: dict[str, str] = {}
    reason = reasons.get(typed["reason"])
    if reason is None:
        fields["reason"] = "Choose why the leads should look at it."
    clause = _clause(typed["clause"], fields)
    if len(typed["note"]) > NOTE_LIMIT:
        fields["note"] = f"Keep the note to {NOTE_LIMIT:,} characters or fewer (you have {len(typed['note']):,})."
    _refuse(fields)
    assert reason is not None
    return FlagInput(reason=reason, note=typed["note"], clause=clause)


def decision_input(target_type: TargetType, target_id: int, typed: dict[str, str]) -> DecisionInput:
    """A lead's decision from a form: the action, a reason (required but for approving and dismissing), a
    clause and, for an edit, the new text."""
    fields: dict[str, str] = {}
    try:
        action: Decision | None = Decision(typed.get("action", ""))
    except ValueError:
        action = None
    if action is None or action not in CONTENT_DECISIONS:
        fields["action"] = "Choose a decision."
    reason = typed.get("reason", "")
    if action is not None and reason_refusal(action, reason):
        fields["reason"] = "Give a reason: it is logged and told to the people it concerns."
    elif len(reason) > REASON_LIMIT:
        fields["reason"] = f"Keep the reason to {REASON_LIMIT:,} characters or fewer (you have {len(reason):,})."
    clause = _clause(typed.get("clause", ""), fields)
    edit = None
    if action is Decision.EDIT:
        title = typed.get("title")
        if title is not None and not title.strip():
            fields["title"] = "Give the title."
        if not typed.get("body", "").strip():
            fields["body"] = "Write the edited text."
        try:
            edit = msgspec.convert({"title": title, "body": typed.get("body", "")}, ContentEdit)
        except msgspec.ValidationError:
            fields.setdefault("body", "Keep the text to 40,000 characters and the title to 200.")
    _refuse(fields)
    assert action is not None
    return DecisionInput(
        target_type=target_type, target_id=target_id, action=action, reason=reason, clause=clause, edit=edit
    )


def _typed(form: Any, names: tuple[str, ...]) -> dict[str, str]:
    """What the form sent for `names`, as text ("" when missing; a missing title stays missing)."""
    return {name: str(form.get(name, "")) for name in names if name != "title" or name in form}


# ---- flags and decisions from the post page ---------------------------------------------------------------------

FLAG_FIELDS = ("reason", "clause", "note")
DECIDE_FIELDS = ("action", "reason", "clause")


async def _post_of(db: AsyncSession, target_type: TargetType, target_id: int) -> int | None:
    if target_type is TargetType.POST:
        return target_id
    if target_type is TargetType.ADOPTION:
        adoption = await db.get(Adoption, target_id)
        return adoption.post_id if adoption else None
    return await replies.post_id_of(db, target_id)


async def _open(db: AsyncSession, target_type: TargetType, target_id: int, viewer: Person) -> tuple[Access, int, str]:
    """The asker's access, the post the item is on and the item's key on the page ("post", "reply-<id>",
    "adoption-<id>"); NotFound when the asker may not see it."""
    if target_type is TargetType.ADOPTION:
        access, post_, _ = await adoption_service.open_adoption(db, target_id, viewer)
        return access, post_.id, f"adoption-{target_id}"
    access, post_, reply_ = await flags.open_target(db, target_type, target_id, viewer)
    return access, post_.id, "post" if reply_ is None else f"reply-{reply_.id}"


async def on_content(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    target_type: TargetType,
    target_id: int,
    kind: str,
) -> Response[Any]:
    """A flag (`kind` "flag") or a lead's decision ("moderate") on a post, a reply or an adoption record,
    from the post page."""
    if viewer is None:
        post_id = await _post_of(db, target_type, target_id)
        return sign_in_first(f"/posts/{post_id}" if post_id else "/networks")
    typed = _typed(await read_form(request), FLAG_FIELDS if kind == "flag" else DECIDE_FIELDS)
    try:  # the post's id is kept apart: a refused action rolls back and expires what it touched
        access, post_id, item = await _open(db, target_type, target_id, viewer)
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    form = f"{kind}-{item}"
    act: Callable[[], Awaitable[Any]]
    try:
        if kind == "flag":
            act, done = partial(flags.flag, db, viewer, target_type, target_id, flag_input(typed)), "flagged"
        else:
            decision = decision_input(target_type, target_id, typed)
            act, done = partial(decisions.decide, db, access, decision), decision.action.value
    except Invalid as exc:
        return await render_post(request, db, viewer, post_id, trouble=Trouble.of(form, exc, typed))
    anchor = "post-status" if item == "post" else f"{item}-status"
    return await post_action(
        db,
        act,
        then=lambda _: f"/posts/{post_id}?done={done}&on={item}#{anchor}",
        refused=show_refusal(request, db, viewer, post_id, form, typed),
    )


class ContentModeration(Controller):
    """The flag and "Moderate" forms on the post page, for a post, each reply and each adoption record."""

    path = "/"
    include_in_schema = False

    @post("/posts/{post_id:int}/flag", summary="Flag a post for the network's leads")
    async def flag_post(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        return await on_content(request, db, viewer, TargetType.POST, post_id, "flag")

    @post("/replies/{reply_id:int}/flag", summary="Flag a reply for the network's leads")
    async def flag_reply(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, reply_id: FromPath[int]
    ) -> Response[Any]:
        return await on_content(request, db, viewer, TargetType.REPLY, reply_id, "flag")

    @post("/adoptions/{adoption_id:int}/flag", summary="Flag an adoption record for the network's leads")
    async def flag_adoption(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, adoption_id: FromPath[int]
    ) -> Response[Any]:
        return await on_content(request, db, viewer, TargetType.ADOPTION, adoption_id, "flag")

    @post("/posts/{post_id:int}/moderate", summary="A lead's decision on a post")
    async def moderate_post(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        return await on_content(request, db, viewer, TargetType.POST, post_id, "moderate")

    @post("/replies/{reply_id:int}/moderate", summary="A lead's decision on a reply")
    async def moderate_reply(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, reply_id: FromPath[int]
    ) -> Response[Any]:
        return await on_content(request, db, viewer, TargetType.REPLY, reply_id, "moderate")

    @post("/adoptions/{adoption_id:int}/moderate", summary="A lead's decision on an adoption record")
    async def moderate_adoption(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, adoption_id: FromPath[int]
    ) -> Response[Any]:
        return await on_content(request, db, viewer, TargetType.ADOPTION, adoption_id, "moderate")


# ---- the review queue -------------------------------------------------------------------------------------------

QUEUE_DECISIONS = [Decision.DISMISS, Decision.APPROVE, Decision.HIDE, Decision.REMOVE, Decision.LOCK]
# the decisions each entry offers as one click, without a reason (the rest are in its full form)
QUICK_WORDS = {Decision.APPROVE: "Approve", Decision.DISMISS: "Dismiss the flags"}
QUEUE_DONE = DONE | {
    "claimed": "You have claimed it: the other leads can see that you are looking at it.",
    "released": "Released: another lead can take it now.",
    "noted": "Your note is added for the other leads.",
    "approved": "Approved: they are a member now, and have been told.",
    "declined": "Declined: they have been told your reason.",
}
DECIDED_WORDS = {
    Decision.DISMISS: "Flags dismissed",
    Decision.APPROVE: "Approved",
    Decision.HIDE: "Hidden",
    Decision.RESTORE: "Restored",
    Decision.REMOVE: "Removed",
    Decision.EDIT: "Edited",
    Decision.LOCK: "Locked",
}


def day(moment: datetime | None) -> str:
    """A date as people read it: 3 March 2025."""
    return f"{moment.day} {moment:%B %Y}" if moment else ""


@dataclass
class QueueItem:
    """One open entry as the queue shows it, with the decisions that fit its content now."""

    entry: QueueEntryView
    post_title: str
    actions: list[tuple[str, str]]
    editable: bool
    mine: bool  # claimed by the reader
    quick: list[tuple[str, str]]  # of `actions`, those taken in one click: (value, words)


@dataclass
class DecidedItem:
    entry: QueueEntryView
    post_title: str
    decision: DecisionRecord | None


@dataclass
class JoinRequest:
    membership: Membership
    answers: list[tuple[str, str]]  # (question, answer)
    observer: bool


def _item(access: Access, entry: QueueEntryView, title: str, person: Person) -> QueueItem:
    content = entry.content
    state, locked, pinned = content.state, content.locked, content.pinned
    actions = fitting(
        access, QUEUE_DECISIONS, entry.target_type, state, locked=locked, pinned=pinned, open_flags=bool(entry.flags)
    )
    edit = decisions.decision_refusal(access, Decision.EDIT, entry.target_type, state=state, locked=locked)
    return QueueItem(
        entry=entry,
        post_title=title,
        actions=actions,
        editable=edit is None,
        mine=entry.claimed_by is not None and entry.claimed_by.id == person.id,
        quick=[(a.value, words) for a, words in QUICK_WORDS.items() if a.value in {value for value, _ in actions}],
    )


async def open_items(db: AsyncSession, access: Access) -> list[QueueItem]:
    assert access.person is not None
    entries = await review_queue.list_queue(db, access)
    titles = await posts.titles(db, {e.post_id for e in entries})
    return [_item(access, e, titles.get(e.post_id, ""), access.person) for e in entries]


async def decided_items(db: AsyncSession, access: Access) -> list[DecidedItem]:
    entries = await review_queue.list_queue(db, access, resolved=True)
    titles = await posts.titles(db, {e.post_id for e in entries})
    records = await review_queue.deciding_records(db, [e.id for e in entries])
    return [DecidedItem(e, titles.get(e.post_id, ""), records.get(e.id)) for e in entries]


async def join_requests(db: AsyncSession, access: Access) -> list[JoinRequest]:
    questions = list(access.network.join_questions)
    found = []
    for m in await review_queue.pending_joins(db, access):
        answers = list(m.join_answers)
        pairs = [(q, answers[n] if n < len(answers) else "") for n, q in enumerate(questions)]
        pairs += [("", a) for a in answers[len(questions) :]]
        found.append(JoinRequest(m, pairs, m.role is Role.OBSERVER))
    return found


async def _open_queue(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None, slug: str
) -> Access | Response[Any]:
    """The network if the reader leads it; otherwise the page that says why not (sign in first, 404 or 403)."""
    if viewer is None:
        return sign_in_first(f"/networks/{slug}/queue")
    try:
        access = await open_network(db, slug, viewer)
    except NotFound as exc:
        return await network_not_found(request, db, viewer, exc.message)
    if not access.is_lead:
        message = f"Only the leads of {access.network.name} work its review queue. To bring something to them, flag it."
        nav = await network_nav(db, access, "queue")
        return await refused(request, db, viewer, title="Review queue", message=message, nav=nav)
    return access


def _helpers() -> dict[str, Any]:
    return {"when": when, "day": day, "nested": nested, "reason_words": FLAG_REASON_WORDS, "decided": DECIDED_WORDS}


async def render_queue(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    slug: str,
    *,
    trouble: Trouble | None = None,
    done: str | None = None,
) -> Response[Any]:
    opened = await _open_queue(request, db, viewer, slug)
    if not isinstance(opened, Access):
        return opened
    access = opened
    seq = access.network.event_seq  # read before the entries: a change meanwhile is announced, not missed
    return await page(
        "queue.html",
        request,
        db,
        viewer,
        status_code=trouble.status if trouble else 200,
        network=access.network,
        seq=seq,
        nav=await network_nav(db, access, "queue"),
        items=await open_items(db, access),
        decided_items=await decided_items(db, access),
        joins=await join_requests(db, access),
        clauses=await clauses_of(db, access.network.id),
        trouble=trouble,
        done=QUEUE_DONE.get(done or "", ""),
        **_helpers(),
    )


async def queue_action(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    slug: str,
    form: str,
    act: Callable[[Access], Awaitable[Any]],
    *,
    done: str | Callable[[], str],
    anchor: str = "queue-status",
    typed: dict[str, str] | None = None,
    in_place: bool = False,
) -> Response[Any]:
    """Open the queue, `act` in a savepoint and go back to it (303) with its confirmation; a refusal
    shows the queue again with the message beside the form `form` and what was typed kept. `in_place`:
    answer in JSON instead (`act_in_place`)."""
    opened = await _open_queue(request, db, viewer, slug)
    if not isinstance(opened, Access):
        return opened
    access = opened

    async def show_again(exc: DomainError) -> Response[Any]:
        return await render_queue(request, db, viewer, slug, trouble=Trouble.of(form, exc, typed))

    def then(_: Any) -> str:
        word = done() if callable(done) else done
        return f"/networks/{quote(slug)}/queue?done={word}#{anchor}"

    if in_place:
        return await act_in_place(db, access, act, done)
    return await post_action(db, lambda: act(access), then=then, refused=show_again)


async def act_in_place(
    db: AsyncSession, access: Access, act: Callable[[Access], Awaitable[Any]], done: str | Callable[[], str]
) -> Response[Any]:
    """For queue.js (a form sent with `Accept: application/json`): `act` in a savepoint and answer in JSON, so
    the entry leaves the page where it is: the confirmation and the queue's open count, or the refusal's
    message (and its status) to show beside the entry's buttons."""
    try:
        async with db.begin_nested():
            await act(access)
    except DomainError as exc:
        return Response({"message": exc.message, "fields": dict(exc.fields)}, status_code=exc.status)
    word = done() if callable(done) else done
    open_count = await review_queue.open_count(db, access.network.id)
    return Response({"done": QUEUE_DONE.get(word, ""), "open_count": open_count}, status_code=200)


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return "application/json" in request.headers.get("accept", "")


class QueuePages(Controller):
    """A network's review queue (leads only) and what leads do there."""

    path = "/networks/{slug:str}/queue"
    include_in_schema = False

    @get("/", summary="The review queue: flagged and held items, most urgent first (leads)")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        db: Db,
        viewer: Viewer,
        slug: FromPath[str],
        done: FromQuery[str | None] = None,
    ) -> Response[Any]:
        return await render_queue(request, db, viewer, slug, done=done)

    @get("/entries", summary="The queue's open entries (the fragment queue.js swaps in)")
    async def entries(self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]) -> Any:
        if request.headers.get("hx-request") != "true" or viewer is None:  # a person who opened the link
            return see_other(f"/networks/{quote(slug)}/queue#queue-heading")
        opened = await _open_queue(request, db, viewer, slug)
        if not isinstance(opened, Access):
            return opened
        return await page(
            "partials/queue_entries.html",
            request,
            db,
            viewer,
            network=opened.network,
            items=await open_items(db, opened),
            clauses=await clauses_of(db, opened.network.id),
            **_helpers(),
        )

    @post("/{entry_id:int}/claim", summary="Claim an entry, so other leads know it is being looked at")
    async def claim(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], entry_id: FromPath[int]
    ) -> Response[Any]:
        async def act(access: Access) -> Any:
            return await review_queue.claim(db, access, entry_id)

        form = f"entry-{entry_id}-claim"
        return await queue_action(request, db, viewer, slug, form, act, done="claimed", anchor=f"entry-{entry_id}")

    @post("/{entry_id:int}/release", summary="Let a claimed entry go")
    async def release(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], entry_id: FromPath[int]
    ) -> Response[Any]:
        async def act(access: Access) -> Any:
            return await review_queue.claim(db, access, entry_id, release=True)

        form = f"entry-{entry_id}-claim"
        return await queue_action(request, db, viewer, slug, form, act, done="released", anchor=f"entry-{entry_id}")

    @post("/{entry_id:int}/notes", summary="Leave a note on an entry for the other leads")
    async def note(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], entry_id: FromPath[int]
    ) -> Response[Any]:
        typed = _typed(await read_form(request), ("body",))

        async def act(access: Access) -> Any:
            if len(typed["body"]) > NOTE_LIMIT:
                raise Invalid(f"Keep a note to {NOTE_LIMIT:,} characters or fewer.", fields={"body": "Too long."})
            return await review_queue.add_note(db, access, entry_id, typed["body"])

        form = f"entry-{entry_id}-note"
        return await queue_action(
            request, db, viewer, slug, form, act, done="noted", anchor=f"entry-{entry_id}", typed=typed
        )

    @post("/{entry_id:int}/decide", summary="Decide on an entry's post or reply")
    async def decide(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], entry_id: FromPath[int]
    ) -> Response[Any]:
        sent = await read_form(request)
        typed = _typed(sent, (*DECIDE_FIELDS, "title", "body"))
        editing = typed.get("action") == "edit"
        which = "quick" if sent.get("quick") else "edit" if editing else "decide"  # the one-click buttons: "quick"
        chosen = typed.get("action", "")

        async def act(access: Access) -> Any:
            entry = await review_queue.entry_to_decide(db, access, entry_id)
            data = decision_input(entry.target_type, entry.target_id, typed)
            return await decisions.decide(db, access, data)

        return await queue_action(
            request,
            db,
            viewer,
            slug,
            f"entry-{entry_id}-{which}",
            act,
            done=lambda: chosen,
            typed=typed,
            in_place=wants_json(request),
        )

    @get("/{entry_id:int}/item", summary="One open entry as the queue shows it (for queue.js)")
    async def entry_item(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], entry_id: FromPath[int]
    ) -> Response[Any]:
        opened = await _open_queue(request, db, viewer, slug)
        if not isinstance(opened, Access):
            return opened
        try:
            entry = await review_queue.entry_to_decide(db, opened, entry_id)
        except (NotFound, Conflict):  # decided meanwhile: it has left the queue
            return Response("", status_code=404, media_type="text/html")
        view = await review_queue.describe(db, entry)
        titles = await posts.titles(db, {view.post_id})
        assert opened.person is not None  # a lead
        return await page(
            "partials/queue_entry.html",
            request,
            db,
            viewer,
            network=opened.network,
            item=_item(opened, view, titles.get(view.post_id, ""), opened.person),
            clauses=await clauses_of(db, opened.network.id),
            **_helpers(),
        )

    @post("/joins/{person_id:int}/approve", summary="Approve a request to join")
    async def approve_join(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], person_id: FromPath[int]
    ) -> Response[Any]:
        async def act(access: Access) -> Any:
            change = MemberChange(state=MemberState.ACTIVE, reason="Request to join approved.")
            return await membership.apply_change(db, access, person_id, change)

        return await queue_action(request, db, viewer, slug, f"join-{person_id}-approve", act, done="approved")

    @post("/joins/{person_id:int}/decline", summary="Decline a request to join, with a reason")
    async def decline_join(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], person_id: FromPath[int]
    ) -> Response[Any]:
        typed = _typed(await read_form(request), ("reason",))

        async def act(access: Access) -> Any:
            if len(typed["reason"]) > REASON_LIMIT:
                raise Invalid(
                    f"Keep the reason to {REASON_LIMIT:,} characters or fewer.", fields={"reason": "Too long."}
                )
            return await membership.remove_member(db, access, person_id, typed["reason"])

        form = f"join-{person_id}-decline"
        return await queue_action(request, db, viewer, slug, form, act, done="declined", typed=typed)


handlers = [ContentModeration, QueuePages]
