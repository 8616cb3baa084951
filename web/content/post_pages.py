"""The practice and request page: a post's sections, history, reactions, replies and offers, and acting on them.

Every action is a plain form POST answered with 303 back to the post (POST-redirect-GET), so the
page works without JavaScript; `post.js` keeps an open page current from the live socket, fetching
the two fragments below (one reply, one offer) so their HTML is rendered in one place only.
A refusal from the domain re-renders the page with the message beside the form and what the
reader typed kept. A post the reader may not read is a 404 page, as in the API.

What the reader may do is asked of the services that do it (`powers_for`, `moderation_for`): each
answers with the same function its own guard raises from, so a form is shown exactly where it would
work. The moderation forms post to the routes in `web.casework.moderation_pages`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from markupsafe import escape
from sqlalchemy.ext.asyncio import AsyncSession

from network import cursors, markdown
from network.access import Access
from network.adoption.views import AdoptionView
from network.casework import appeals, decisions, flags
from network.content import mentions, offers, posts, reactions, replies, reply_edits
from network.content.offers import OfferPowers
from network.engagements import lifecycle, listing
from network.engagements.models import Engagement
from network.enums import (
    ContentState,
    Decision,
    EvidenceStrength,
    FlagReason,
    OfferStatus,
    PostKind,
    ReactionKind,
    TargetType,
)
from network.errors import DomainError, Invalid, NotFound
from network.governance import charter, transparency
from network.inputs import CloseInput, OfferInput, ReplyInput
from network.models import Offer, Person, Post, Reply
from network.moderation.policy import APPEAL_WINDOW
from network.people import profiles
from network.permissions import Action
from network.search import related
from network.views import OfferView, PostView, ReplyView, RevisionView, offer_view, reply_view
from server.deps import Db, Viewer
from web.content.adoption_section import section_for
from web.content.reply_tools import reply_tools
from web.forms import post_action, read_form, see_other, sign_in_first
from web.render import page

REPLY_PAGE = 100


def when(moment: datetime | None) -> str:
    """A date and time as people read it: 3 March 2025, 14:05 (times are UTC)."""
    if moment is None:
        return ""
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def nested(html: str, top: int = 3) -> str:
    """Sanitised HTML with its headings moved under the page's own (a body's top heading becomes an h3,
    its outline kept below it: network.markdown.nest_headings)."""
    return markdown.nest_headings(html, top)


def rendered(text: str, top: int = 3) -> str:
    """Markdown as sanitised HTML (network.markdown), headings nested under the page's."""
    return nested(markdown.render(text), top)


EVIDENCE_MEANING = {
    EvidenceStrength.ANECDOTAL: "what staff and pupils report",
    EvidenceStrength.INTERNAL_DATA: "the trust's own data, before and after",
    EvidenceStrength.COMPARISON: "compared with similar schools or pupils",
    EvidenceStrength.EXTERNAL_EVALUATION: "evaluated independently",
}


def label(value: Any) -> str:
    return str(getattr(value, "value", value) or "").replace("_", " ")


async def not_found(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None, message: str = ""
) -> Response[Any]:
    """The 404 page: it never says whether the thing exists, only that the reader cannot see it."""
    return await page(
        "partials/post_not_found.html", request, db, viewer, status_code=404, message=message or "Not found."
    )


@dataclass
class Trouble:
    """A refusal to show on the page: which form it belongs to, the message, and messages per field."""

    form: str
    message: str
    status: int
    fields: dict[str, str] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, form: str, exc: DomainError, typed: dict[str, str] | None = None) -> Trouble:
        return cls(form, exc.message, exc.status, dict(exc.fields), typed or {})

    @classmethod
    def invalid(cls, form: str, exc: msgspec.ValidationError, name: str, typed: dict[str, str]) -> Trouble:
        text = str(exc)
        if "length >= 1" in text:
            message = "Write something first."
        elif "length <=" in text:
            limit = int(text.split("length <=")[1].split()[0])
            message = f"Keep this to {limit:,} characters or fewer."
        else:
            message = "This is not valid."
        return cls(form, message, 422, {name: message}, typed)


@dataclass
class Powers:
    """What the reader may do on this post, for the template to show only the forms that would work:
    each is the service's own capability function answering None (allowed)."""

    contribute: bool
    lead: bool
    author: bool
    requester: bool
    reply: bool
    react: bool
    edit: bool
    offer: bool
    close: bool
    offers: dict[int, OfferPowers] = field(default_factory=dict)  # per offer: accept, decline, withdraw


def powers_for(access: Access, post_: Post, offer_rows: list[Offer]) -> Powers:
    person = access.person
    assert person is not None
    offered = any(o.organisation_id == person.organisation_id and o.status is OfferStatus.OPEN for o in offer_rows)
    return Powers(
        contribute=posts.create_refusal(access) is None,
        lead=access.is_lead,
        author=post_.author_id == person.id,
        requester=post_.kind is PostKind.REQUEST and person.organisation_id == post_.organisation_id,
        reply=replies.reply_refusal(access, post_) is None,
        react=reactions.react_refusal(access, post_) is None,
        edit=posts.edit_refusal(access, post_) is None,
        offer=offers.offer_refusal(access, post_, already_offered=offered) is None,
        close=posts.close_refusal(access, post_) is None,
        offers={o.id: offers.may(access, post_, o) for o in offer_rows},
    )


MARKDOWN_FIELDS = {"body", "what_we_did", "what_we_stopped", "impact"}


def _changed(older: dict[str, Any], newer: dict[str, Any]) -> list[str]:
    return [name for name in posts.CONTENT_FIELDS if older.get(name) != newer.get(name)]


def _earlier(name: str, value: Any) -> str:
    """An earlier value of a field as safe HTML (markdown rendered and sanitised, the rest escaped)."""
    if name in MARKDOWN_FIELDS:
        return rendered(str(value or ""), 4)
    if name == "resources":
        items = [f"{r.get('title', '')} ({r.get('url', '')})" for r in value or []]
        return str(escape("; ".join(items) or "none"))
    if isinstance(value, list):
        return str(escape(", ".join(label(v) for v in value) or "none"))
    return str(escape(label(value) if name in ("evidence_strength", "support_type", "urgency") else value or "none"))


async def _history(db: AsyncSession, access: Access, post_: Post, view: PostView) -> list[dict[str, Any]]:
    """Earlier versions, newest first, each with who edited it, why, and which fields the edit changed
    (for versions a lead's edit took something out of, only the leads read what they said)."""
    earlier: list[RevisionView] = await posts.revisions(db, access, post_)
    names = await profiles.display_names(db, {r.editor_id for r in earlier if r.editor_id is not None})
    current = msgspec.to_builtins({name: getattr(view, name) for name in posts.CONTENT_FIELDS})
    newer = current
    entries = []
    for revision in earlier:
        changed = [] if revision.withheld else _changed(revision.content, newer)
        entries.append(
            {
                "revision": revision.revision,
                "editor": names.get(revision.editor_id or 0, "a former member"),
                "editor_id": revision.editor_id,
                "reason": revision.reason,
                "at": revision.created_at,
                "withheld": revision.withheld,
                "title": str(revision.content.get("title", "")),
                "changed": [label(name) for name in changed],
                "earlier": [(label(name).capitalize(), _earlier(name, revision.content.get(name))) for name in changed],
            }
        )
        newer = revision.content
    return entries


# ---- moderation on the post page -----------------------------------------------------------------------------

FLAG_REASONS: list[tuple[FlagReason, str]] = [
    (FlagReason.PERSONAL_DATA, "Personal data (pupil or staff)"),
    (FlagReason.CHARTER, "Breaks the charter"),
    (FlagReason.OFF_TOPIC, "Off topic"),
    (FlagReason.INAPPROPRIATE, "Inappropriate"),
    (FlagReason.SPAM, "Spam"),
    (FlagReason.OTHER, "Other"),
]
FLAG_REASON_WORDS = {reason.value: words for reason, words in FLAG_REASONS} | {
    FlagReason.WATCHED_WORD.value: "Matched a watched word or pattern"
}
# the decisions a lead takes from the post page, in the order offered, with what each does
DECISION_WORDS: dict[Decision, str] = {
    Decision.DISMISS: "Dismiss the flags (it stays as it is)",
    Decision.APPROVE: "Approve (publish it)",
    Decision.HIDE: "Hide (its author still sees it, with your reason)",
    Decision.RESTORE: "Restore (show it to members again)",
    Decision.REMOVE: "Remove",
    Decision.LOCK: "Lock the thread (no new replies)",
    Decision.UNLOCK: "Unlock the thread",
    Decision.PIN: "Pin to the top of the feed",
    Decision.UNPIN: "Unpin",
}
REPLY_DECISIONS = [Decision.APPROVE, Decision.HIDE, Decision.RESTORE, Decision.REMOVE]
POST_DECISIONS = [*REPLY_DECISIONS, Decision.LOCK, Decision.UNLOCK, Decision.PIN, Decision.UNPIN]
# what the page says after a flag or a decision went through (?done=…)
DONE = {
    "flagged": "Thanks — the network's leads will look at this.",
    "dismiss": "Dismissed: the flags were not upheld. The decision is in the network's log.",
    "approve": "Approved: it is shown to members now. The decision is in the network's log.",
    "hide": "Hidden: its author still sees it, with your reason. The decision is in the network's log.",
    "restore": "Restored: it is shown to members again. The decision is in the network's log.",
    "remove": "Removed. The decision is in the network's log.",
    "edit": "Edited, with your reason. The decision is in the network's log.",
    "lock": "Locked: no new replies. The decision is in the network's log.",
    "unlock": "Unlocked: members can reply again. The decision is in the network's log.",
    "pin": "Pinned. The decision is in the network's log.",
    "unpin": "Unpinned. The decision is in the network's log.",
}


def fitting(
    access: Access,
    actions: list[Decision],
    target_type: TargetType,
    state: ContentState,
    *,
    locked: bool = False,
    pinned: bool = False,
    open_flags: bool = False,
) -> list[tuple[str, str]]:
    """The decisions (value, words) the reader may take on content in `state` now (`decisions.fitting`)."""
    found = decisions.fitting(
        access, actions, target_type, state=state, locked=locked, pinned=pinned, open_flags=open_flags
    )
    return [(action.value, DECISION_WORDS[action]) for action in found]


async def clauses_of(db: AsyncSession, network_id: int) -> list[str]:
    """The current charter's clauses, clause 1 first (empty when the network has no charter)."""
    current = await charter.current_charter(db, network_id)
    return charter.parse_clauses(current.body) if current else []


@dataclass
class HiddenNotice:
    """Why the reader's own post or reply is hidden: the lead's latest decision on it, and the appeal."""

    decision_id: int
    reason: str
    clause: int | None
    appeal_until: datetime
    appealed: bool
    may_appeal: bool


def _key(target_type: TargetType, target_id: int) -> str:
    """Where the page shows an item's tools and notices: "post", "reply-<id>" or "adoption-<id>"."""
    return "post" if target_type is TargetType.POST else f"{target_type.value}-{target_id}"


async def hidden_notices(
    db: AsyncSession, access: Access, items: list[tuple[TargetType, int]]
) -> dict[str, HiddenNotice]:
    """The latest 'hide' decision on each item, keyed "post" or "reply-<id>" (none for an item never hidden)."""
    person = access.person
    assert person is not None
    found: dict[str, HiddenNotice] = {}
    for target_type in (TargetType.POST, TargetType.REPLY, TargetType.ADOPTION):
        ids = [i for t, i in items if t is target_type]
        latest = await decisions.latest_hides(db, access.network.id, target_type, ids)
        appealed = await transparency.appeal_statuses(db, [r.id for r in latest.values()])
        for target_id, record in latest.items():
            refusal = appeals.file_refusal(person, record, already_appealed=record.id in appealed, now=access.now)
            found[_key(target_type, target_id)] = HiddenNotice(
                decision_id=record.id,
                reason=record.reason,
                clause=record.clause,
                appeal_until=record.created_at + APPEAL_WINDOW,
                appealed=record.id in appealed,
                may_appeal=refusal is None,
            )
    return found


@dataclass
class Moderation:
    """What the post page shows about moderation to this reader."""

    clauses: list[str] = field(default_factory=list)
    lead: bool = False
    flag_post: bool = False  # the reader may flag the post
    flaggable: set[int] = field(default_factory=set)  # replies the reader may flag
    flagged: set[str] = field(default_factory=set)  # "post", "reply-<id>": the reader's open flags
    post_actions: list[tuple[str, str]] = field(default_factory=list)
    reply_actions: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    adoption_flaggable: set[int] = field(default_factory=set)  # adoption records the reader may flag
    adoption_actions: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    notices: dict[str, HiddenNotice] = field(default_factory=dict)
    done: str = ""  # the confirmation after a flag or a decision
    done_on: str = ""  # where it is shown: "post" or "reply-<id>"
    reasons: list[tuple[FlagReason, str]] = field(default_factory=lambda: FLAG_REASONS)


async def moderation_for(
    db: AsyncSession,
    access: Access,
    post_: PostView,
    reply_list: list[ReplyView],
    *,
    adoption_list: Sequence[AdoptionView] = (),
    done: str = "",
    on: str = "",
) -> Moderation:
    """Who may flag what and the decisions a lead may take on each item now (asked of `flags.flag_refusal`
    and `decisions.fitting`, as the services do), and why the reader's own hidden items are hidden. The
    practice's adoption records (`adoption_list`) are moderated as replies are (docs/design.md §3.13).

    An item the reader has flagged already counts as flaggable here: the page says they flagged it,
    in place of the form."""
    person = access.person
    if person is None:
        return Moderation()
    may_flag = access.refusal(Action.FLAG) is None
    lead = access.is_lead
    mine = [(TargetType.POST, post_.id)] if post_.author.id == person.id and post_.state is ContentState.HIDDEN else []
    mine += [
        (TargetType.REPLY, r.id) for r in reply_list if r.author.id == person.id and r.state is ContentState.HIDDEN
    ]
    mine += [
        (TargetType.ADOPTION, a.id)
        for a in adoption_list
        if a.recorded_by.id == person.id and a.state is ContentState.HIDDEN
    ]
    flagged = {_key(t, i) for t, i in await flags.open_flags_by(db, person.id, post_.id)} if may_flag else set()
    clauses = await clauses_of(db, access.network.id) if may_flag or lead else []
    message = DONE.get(done or "", "")

    def flaggable(author_id: int, state: ContentState) -> bool:
        return flags.flag_refusal(access, author_id=author_id, state=state) is None

    # the post page offers no dismissal (that is the queue's), so whether flags are open does not matter here
    return Moderation(
        clauses=clauses,
        lead=lead,
        flag_post=flaggable(post_.author.id, post_.state),
        flaggable={r.id for r in reply_list if flaggable(r.author.id, r.state)},
        flagged=flagged,
        post_actions=fitting(
            access, POST_DECISIONS, TargetType.POST, post_.state, locked=post_.locked, pinned=post_.pinned
        ),
        reply_actions={r.id: fitting(access, REPLY_DECISIONS, TargetType.REPLY, r.state) for r in reply_list}
        if lead
        else {},
        adoption_flaggable={a.id for a in adoption_list if flaggable(a.recorded_by.id, a.state)},
        adoption_actions={a.id: fitting(access, REPLY_DECISIONS, TargetType.ADOPTION, a.state) for a in adoption_list}
        if lead
        else {},
        notices=await hidden_notices(db, access, mine) if mine else {},
        done=message,
        done_on=(on or "post") if message else "",
    )


async def render_post(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    post_id: int,
    *,
    trouble: Trouble | None = None,
    replies_after: str | None = None,
    done: str | None = None,
    on: str | None = None,
) -> Response[Any]:
    """The whole page; with `trouble`, the refusal is shown beside its form with the input kept;
    with `done`, the confirmation of a flag or decision just made (on the post, or on reply `on`)."""
    if viewer is None:
        return await not_found(request, db, viewer, "Sign in to read the posts of the networks you belong to.")
    try:
        access, post_ = await posts.open_post(db, post_id, viewer)
        seq = access.network.event_seq  # read before the content, so a live update is never missed
        view = await posts.describe_post(db, post_, access.network.slug)
        reply_page = await replies.list_replies(
            db, access, post_, cursor=replies_after, limit=REPLY_PAGE, with_removed=True
        )
    except cursors.BadCursor:  # an altered "later replies" address: start from the first reply
        return see_other(f"/posts/{post_id}#replies")
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    offer_rows = await offers.offers_on(db, post_) if post_.kind is PostKind.REQUEST else []
    offer_list = [offer_view(o) for o in offer_rows]
    mine = set(await reactions.mine(db, post_.id, viewer.id))
    powers = powers_for(access, post_, offer_rows)
    adoption = await section_for(db, access, post_, tried=ReactionKind.TRIED_IT in mine)
    moderation = await moderation_for(
        db,
        access,
        view,
        reply_page.items,
        adoption_list=adoption.listing.items if adoption else (),
        done=done or "",
        on=on or "",
    )
    return await page(
        "post.html",
        request,
        db,
        viewer,
        status_code=trouble.status if trouble else 200,
        post=view,
        network=access.network,
        seq=seq,
        replies=reply_page.items,
        replies_next=reply_page.next_cursor,
        replies_after=replies_after,
        offers=offer_list,
        reacted=mine,
        powers=powers,
        history=await _history(db, access, post_, view),
        related=await related.related(db, viewer, post_),
        engagements=await listing.on_request(db, access, post_) if post_.kind is PostKind.REQUEST else [],
        trouble=trouble,
        mod=moderation,
        tools=await reply_tools(db, access, post_, reply_page.items),
        adoption=adoption,
        **await mentioned_in(db, access.network.id, *_texts(view, reply_page.items, offer_list)),
    )


def _texts(view: PostView, reply_list: list[ReplyView], offer_list: list[OfferView]) -> list[str]:
    """What the page shows that people may have written a mention in."""
    fields = [view.body, view.what_we_did, view.what_we_stopped, view.impact, view.outcome]
    return fields + [r.body for r in reply_list] + [o.message for o in offer_list]


Refused = Callable[[DomainError], Awaitable[Response[Any]]]
In = TypeVar("In")
Out = TypeVar("Out")


def show_refusal(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    post_id: int,
    form: str,
    typed: dict[str, str] | None = None,
) -> Refused:
    """The post page again, with the refusal beside the form `form` and what was typed kept."""

    async def refused(exc: DomainError) -> Response[Any]:
        return await render_post(request, db, viewer, post_id, trouble=Trouble.of(form, exc, typed))

    return refused


async def act_on_post(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    post_id: int,
    form: str,
    act: Callable[[Access, Post], Awaitable[Out]],
    *,
    then: Callable[[Out], str],
    typed: dict[str, str] | None = None,
) -> Response[Any]:
    """Open the post, `act` on it in a savepoint and go back to the place `then(result)` on it (303).

    A post the reader may not read is the 404 page; any other refusal re-renders the page (`show_refusal`).
    """
    show = show_refusal(request, db, viewer, post_id, form, typed)

    async def refused(exc: DomainError) -> Response[Any]:
        if isinstance(exc, NotFound):
            return await not_found(request, db, viewer, exc.message)
        return await show(exc)

    try:
        access, post_ = await posts.open_post(db, post_id, viewer)
    except DomainError as exc:
        return await refused(exc)
    return await post_action(
        db, lambda: act(access, post_), then=lambda result: f"/posts/{post_id}#{then(result)}", refused=refused
    )


async def text_action(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    post_id: int,
    form: str,
    name: str,
    schema: type[In],
    act: Callable[[Access, Post, In], Awaitable[Out]],
    *,
    then: Callable[[Out], str],
) -> Response[Any]:
    """An action on a post whose form has one text field `name`, checked against the API's input `schema`."""
    if viewer is None:
        return sign_in_first(f"/posts/{post_id}")
    typed = {name: str((await read_form(request)).get(name, ""))}
    try:
        data = msgspec.convert(typed, schema)
    except msgspec.ValidationError as exc:
        return await render_post(request, db, viewer, post_id, trouble=Trouble.invalid(form, exc, name, typed))
    return await act_on_post(
        request, db, viewer, post_id, form, lambda access, post_: act(access, post_, data), then=then, typed=typed
    )


PERSON_PAGE = "/people/{}"


def helpers(named: dict[int, str] | None = None) -> dict[str, Any]:
    """The functions the post templates call; `named`: the people the texts mention (id → name), whose
    `@Name` becomes a link to their page."""
    people = named or {}

    def md(text: str, top: int = 3) -> str:
        return markdown.link_mentions(rendered(text, top), people, PERSON_PAGE)

    def nest(html: str, top: int = 3) -> str:
        return markdown.link_mentions(nested(html, top), people, PERSON_PAGE)

    return {"md": md, "nested": nest, "when": when, "label": label, "evidence_meaning": EVIDENCE_MEANING}


async def mentioned_in(db: AsyncSession, network_id: int, *texts: str) -> dict[str, Any]:
    """The template helpers, with links for the people these texts mention."""
    return helpers(await mentions.named(db, network_id, texts))


class PostPages(Controller):
    path = "/posts"
    include_in_schema = False

    @get("/{post_id:int}", summary="A practice or request")
    async def show(
        self,
        request: Request[Any, Any, Any],
        db: Db,
        viewer: Viewer,
        post_id: FromPath[int],
        replies_after: FromQuery[str | None] = None,
        done: FromQuery[str | None] = None,
        on: FromQuery[str | None] = None,
    ) -> Response[Any]:
        return await render_post(request, db, viewer, post_id, replies_after=replies_after, done=done, on=on)

    @post("/{post_id:int}/replies", summary="Reply to a post")
    async def reply(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        async def add(access: Access, post_: Post, data: ReplyInput) -> Reply:
            return await replies.add_reply(db, access, post_, data)

        return await text_action(
            request, db, viewer, post_id, "reply", "body", ReplyInput, add, then=lambda reply_: f"reply-{reply_.id}"
        )

    @post("/{post_id:int}/replies/{reply_id:int}/edit", summary="Edit your reply")
    async def edit_reply(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int], reply_id: FromPath[int]
    ) -> Response[Any]:
        async def edit(access: Access, post_: Post, data: ReplyInput) -> Reply:
            reply_ = await replies.open_reply(db, access, post_, reply_id)
            return await reply_edits.edit_reply(db, access, post_, reply_, data)

        form = f"edit-reply-{reply_id}"
        return await text_action(
            request, db, viewer, post_id, form, "body", ReplyInput, edit, then=lambda reply_: f"reply-{reply_.id}"
        )

    @post("/{post_id:int}/replies/{reply_id:int}/delete", summary="Delete your reply")
    async def delete_reply(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int], reply_id: FromPath[int]
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first(f"/posts/{post_id}")

        async def delete(access: Access, post_: Post) -> Reply:
            reply_ = await replies.open_reply(db, access, post_, reply_id)
            return await reply_edits.delete_reply(db, access, post_, reply_)

        form = f"delete-reply-{reply_id}"
        return await act_on_post(request, db, viewer, post_id, form, delete, then=lambda reply_: f"reply-{reply_.id}")

    @post("/{post_id:int}/reactions", summary="React to a post, or take the reaction back")
    async def react(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first(f"/posts/{post_id}")
        form = await read_form(request)
        try:
            kind = ReactionKind(str(form.get("kind", "")))
        except ValueError:
            exc = Invalid("Choose “useful” or “tried it”.", fields={"kind": "Unknown reaction."})
            return await render_post(request, db, viewer, post_id, trouble=Trouble.of("reactions", exc))

        async def toggle(access: Access, post_: Post) -> None:
            if form.get("undo"):
                await reactions.unreact(db, access, post_, kind)
            else:
                await reactions.react(db, access, post_, kind)

        return await act_on_post(request, db, viewer, post_id, "reactions", toggle, then=lambda _: "reactions")

    @post("/{post_id:int}/offers", summary="Offer help on a request")
    async def offer(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        async def make(access: Access, post_: Post, data: OfferInput) -> Offer:
            return await offers.make_offer(db, access, post_, data)

        return await text_action(
            request, db, viewer, post_id, "offer", "message", OfferInput, make, then=lambda made: f"offer-{made.id}"
        )

    @post("/{post_id:int}/close", summary="Close a request with its outcome")
    async def close(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        async def close_it(access: Access, post_: Post, data: CloseInput) -> Post:
            return await posts.close_request(db, access, post_, data.outcome)

        return await text_action(
            request, db, viewer, post_id, "close", "outcome", CloseInput, close_it, then=lambda _: "request-status"
        )

    @get("/{post_id:int}/replies/{reply_id:int}/item", summary="One reply as it appears in the list (for post.js)")
    async def reply_item(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int], reply_id: FromPath[int]
    ) -> Response[Any]:
        try:
            access, post_ = await posts.open_post(db, post_id, viewer)
            reply_ = await replies.open_reply(db, access, post_, reply_id)
        except NotFound as exc:
            return await not_found(request, db, viewer, exc.message)
        view = reply_view(reply_)
        shown = await posts.describe_post(db, post_, access.network.slug)
        moderation = await moderation_for(db, access, shown, [view])
        return await page(
            "partials/post_reply.html",
            request,
            db,
            viewer,
            reply=view,
            post=shown,
            mod=moderation,
            tools=await reply_tools(db, access, post_, [view]),
            **await mentioned_in(db, access.network.id, view.body),
        )

    @get("/{post_id:int}/offers/{offer_id:int}/item", summary="One offer as it appears in the list (for post.js)")
    async def offer_item(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int], offer_id: FromPath[int]
    ) -> Response[Any]:
        if viewer is None:
            return await not_found(request, db, viewer)
        try:
            access, post_, offer_ = await offers.open_offer(db, offer_id, viewer)
            if post_.id != post_id:
                raise NotFound(f"No offer {offer_id}.")
        except NotFound as exc:
            return await not_found(request, db, viewer, exc.message)
        view = await posts.describe_post(db, post_, access.network.slug)
        offer_rows = await offers.offers_on(db, post_)
        return await page(
            "partials/post_offer.html",
            request,
            db,
            viewer,
            offer=offer_view(offer_),
            post=view,
            powers=powers_for(access, post_, offer_rows),
            **await mentioned_in(db, access.network.id, offer_.message),
        )


class OfferPages(Controller):
    """Deciding on offers: the requesting organisation accepts or declines, the offerer withdraws."""

    path = "/offers"
    include_in_schema = False

    async def _decide(
        self, request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None, offer_id: int, what: str
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first("/networks")
        try:
            access, post_, offer_ = await offers.open_offer(db, offer_id, viewer)
        except NotFound as exc:
            return await not_found(request, db, viewer, exc.message)
        post_id = post_.id  # kept apart: a refused decision rolls back and expires what it touched
        decide = {"accept": lifecycle.accept_offer, "decline": offers.decline_offer, "withdraw": offers.withdraw_offer}

        def then(result: object) -> str:  # an accepted offer opens its engagement: the person lands there
            if isinstance(result, Engagement):
                return f"/engagements/{result.id}"
            return f"/posts/{post_id}#offer-{offer_id}"

        return await post_action(
            db,
            lambda: decide[what](db, access, post_, offer_),
            then=then,
            refused=show_refusal(request, db, viewer, post_id, f"offer-{offer_id}"),
        )

    @post("/{offer_id:int}/accept", summary="Accept an offer")
    async def accept(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, offer_id: FromPath[int]
    ) -> Response[Any]:
        return await self._decide(request, db, viewer, offer_id, "accept")

    @post("/{offer_id:int}/decline", summary="Decline an offer")
    async def decline(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, offer_id: FromPath[int]
    ) -> Response[Any]:
        return await self._decide(request, db, viewer, offer_id, "decline")

    @post("/{offer_id:int}/withdraw", summary="Withdraw your offer")
    async def withdraw(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, offer_id: FromPath[int]
    ) -> Response[Any]:
        return await self._decide(request, db, viewer, offer_id, "withdraw")


handlers = [PostPages, OfferPages]
