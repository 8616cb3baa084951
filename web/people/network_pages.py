"""The network directory and a network's home: charter summary, leads and observers, and the live feed.

Joining is a plain form POST answered with 303 (POST-redirect-GET). The feed's filters are a GET
form and its pages are "Older posts" links, so all of it works without JavaScript. With it,
`feed.js` follows the network on the live socket from the `event_seq` the page was rendered at and
announces new posts in a "N new posts — show" bar; "show" swaps in `/networks/{slug}/feed` (the
same feed fragment, fetched by htmx), so nothing moves under the reader's eyes until they ask.
A network the reader may not read is a 404 page, as in the API.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlencode

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock, cursors, markdown
from network.access import Access, open_network
from network.content import posts
from network.engagements import listing
from network.enums import (
    REGION_LABELS,
    EvidenceStrength,
    JoinPolicy,
    MemberState,
    NetworkKind,
    Phase,
    PostKind,
    Region,
    RequestStatus,
    Role,
    Visibility,
)
from network.errors import DomainError, NotFound, SignInNeeded
from network.governance import charter
from network.inputs import Theme
from network.models import Membership, Person
from network.people import accounts, membership, networks
from network.permissions import effective_state
from network.views import NetworkView, Page
from server.deps import Db, Viewer
from web.forms import see_other, sign_in_first
from web.people import join_pages
from web.render import page
from web.shared import network_nav

FEED_PAGE = 20
WORKING_TOGETHER = 5  # the newest listed engagements the network's page names (docs/design.md §3.12)
CHARTER_SUMMARY = 3  # clauses shown at the top; the whole charter is further down the page

PHASE_LABELS = {
    Phase.EARLY_YEARS: "Early years",
    Phase.PRIMARY: "Primary",
    Phase.SECONDARY: "Secondary",
    Phase.ALL_THROUGH: "All-through",
    Phase.SPECIAL: "Special",
    Phase.ALTERNATIVE_PROVISION: "Alternative provision",
    Phase.POST_16: "Post-16",
}
EVIDENCE_LABELS = {
    EvidenceStrength.ANECDOTAL: "Anecdotal",
    EvidenceStrength.INTERNAL_DATA: "Internal data",
    EvidenceStrength.COMPARISON: "Comparison",
    EvidenceStrength.EXTERNAL_EVALUATION: "External evaluation",
}
STATUS_LABELS = {
    RequestStatus.OPEN: "Open",
    RequestStatus.IN_DISCUSSION: "In discussion",
    RequestStatus.MATCHED: "Matched",
    RequestStatus.CLOSED: "Closed",
}
KIND_LABELS = {PostKind.PRACTICE: "Practices", PostKind.REQUEST: "Requests"}
LABELS = {
    "phase": {k.value: v for k, v in PHASE_LABELS.items()},
    "evidence": {k.value: v for k, v in EVIDENCE_LABELS.items()},
    "status": {k.value: v for k, v in STATUS_LABELS.items()},
    "kind": {k.value: v for k, v in KIND_LABELS.items()},
}


def when(moment: datetime | None) -> str:
    """A date as people read it: 3 March 2025 (UTC)."""
    return f"{moment.day} {moment:%B %Y}" if moment else ""


def nested(html: str, top: int) -> str:
    """Sanitised HTML with its headings moved under the page's (network.markdown.nest_headings)."""
    return markdown.nest_headings(html, top)


# ---- where the reader stands in a network ---------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """The reader's membership in words, and the one action the page offers them."""

    label: str = ""  # "You are a member" …, empty when not a member
    tone: str = ""  # pill colour: ok, warn, danger, accent
    action: str = ""  # "join" (a POST button), "sign_in" (a link) or "" (nothing to do)
    button: str = ""  # the button's words: Join, Request to join, Ask to observe
    note: str = ""  # why there is no button (invitation only)


def standing(view: NetworkView, viewer: Person | None, now: datetime) -> Standing:
    m = view.membership
    if m is not None:
        state = effective_state(m.state, m.until, now)
        until = f" until {when(m.until)}" if m.until else ""
        if state is MemberState.PENDING:
            asked = "to observe" if m.role is Role.OBSERVER else "to join"
            return Standing(f"Your request {asked} is waiting for a lead", "warn")
        if state is MemberState.MUTED:
            return Standing(f"You are muted{until}", "warn")
        if state is MemberState.SUSPENDED:
            return Standing(f"You are suspended{until}", "danger")
        if state is MemberState.BANNED:
            return Standing("You are banned from this network", "danger")
        if m.role is Role.LEAD:
            return Standing("You lead this network", "ok")
        if m.role is Role.OBSERVER:
            return Standing("You observe this network", "accent")
        return Standing("You are a member", "ok")
    invite_only = view.join_policy is JoinPolicy.INVITE
    if viewer is None:
        if invite_only:
            return Standing(note="By invitation only")
        return Standing(action="sign_in", button="Sign in to join")
    if invite_only:
        return Standing(note="By invitation only: ask one of its leads")
    if accounts.observer_only(viewer):
        return Standing(action="join", button="Ask to observe")
    if view.join_policy is JoinPolicy.OPEN:
        return Standing(action="join", button="Join")
    return Standing(action="join", button="Request to join")


CONFIRMED = "Your email address is confirmed, and you are signed in. Find a network to join."


def joined_message(view: NetworkView) -> str:
    m = view.membership
    if m is None:
        return ""
    if m.state is MemberState.PENDING:
        return f"Your request to join {view.name} was sent to its leads. You will be told when they decide."
    return f"You joined {view.name}."


@dataclass(frozen=True)
class Entry:
    network: NetworkView
    standing: Standing


@dataclass(frozen=True)
class RegionGroup:
    region: Region
    label: str
    entries: list[Entry]


async def _directory_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    *,
    joined: str | None = None,
    left: str = "",
    notice: str = "",
    error: str = "",
    status_code: int = 200,
) -> Template:
    listed = await networks.directory(db, viewer)
    now = clock.now()
    entries = [Entry(n, standing(n, viewer, now)) for n in listed]
    regions = [
        RegionGroup(region, REGION_LABELS[region], [e for e in entries if e.network.region is region])
        for region in Region
    ]
    regional_elsewhere = [e for e in entries if e.network.kind is NetworkKind.REGIONAL and e.network.region is None]
    others = [e for e in entries if e.network.kind is not NetworkKind.REGIONAL] + regional_elsewhere
    done = next((e.network for e in entries if e.network.slug == joined), None) if joined else None
    if left:  # a hidden network is not named: it is no longer theirs to see
        gone = next((e.network.name for e in entries if e.network.slug == left), "the network")
        notice = f"You have left {gone}."
    return await page(
        "networks.html",
        request,
        db,
        viewer,
        status_code=status_code,
        regions=regions,
        others=others,
        notice=joined_message(done) if done else notice,
        error=error,
    )


async def not_found(request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None, message: str) -> Template:
    return await page("partials/feed_not_found.html", request, db, viewer, status_code=404, message=message)


@get("/networks", summary="The network directory")
async def directory(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    joined: FromQuery[str | None] = None,
    confirmed: FromQuery[str] = "",
    left: FromQuery[str] = "",
) -> Template:
    notice = CONFIRMED if confirmed == "1" and viewer is not None else ""
    return await _directory_page(request, db, viewer, joined=joined, left=left if viewer else "", notice=notice)


@post("/networks/{slug:str}/join", summary="Join, or ask to join, a network")
async def join(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]
) -> Template | Redirect | Response[Any]:
    form = await request.form()
    back = form.get("back")
    from_network = back == "network"
    invitation = str(form.get("invitation", ""))[:100]
    answers = [str(a) for a in form.getall("answers", [])][:5]
    if viewer is None:
        return see_other("/signin?next=" + quote(f"/networks/{slug}" if from_network else "/networks"))
    try:
        async with db.begin_nested():  # a refusal writes nothing
            network = await networks.get_by_slug(db, slug)
            joined = await membership.join(db, network, viewer, invitation or None, answers=answers)
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    except DomainError as exc:
        if back == "join" or any(name.startswith("answers") for name in exc.fields):
            # the join page, with the questions, what was answered and the message beside each missing answer
            shown = await networks.get_by_slug(db, slug)
            return await join_pages.render_join(
                request,
                db,
                viewer,
                shown,
                invitation=invitation,
                answers=answers,
                error=exc.message,
                fields=exc.fields,
                status=exc.status,
            )
        if from_network:
            try:
                return await _network_page(
                    request, db, viewer, slug, FeedQuery(), error=exc.message, status_code=exc.status
                )
            except NotFound:
                pass
        return await _directory_page(request, db, viewer, error=exc.message, status_code=exc.status)
    return see_other(await _after_joining(db, viewer, slug, joined))


async def _after_joining(db: AsyncSession, viewer: Person, slug: str, joined: Membership) -> str:
    """Where a join lands: the network's page, saying they joined or asked to; a request to join a
    network they may not read until a lead approves it, the directory, saying it was sent."""
    if joined.state is not MemberState.PENDING:
        return f"/networks/{quote(slug)}?joined=1"
    try:
        await open_network(db, slug, viewer)
    except NotFound:
        return f"/networks?joined={quote(slug)}#network-{quote(slug)}"
    return f"/networks/{quote(slug)}?joined=1"


# ---- a network's home --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedQuery:
    """The feed's filters and page as the reader's GET form sent them (not yet checked)."""

    kind: str = ""
    theme: str = ""
    phase: str = ""
    evidence_strength: str = ""
    status: str = ""
    cursor: str = ""

    def params(self, *, cursor: str | None = None) -> str:
        """The query string for these filters (and a page), for links."""
        values = {
            "kind": self.kind,
            "theme": self.theme,
            "phase": self.phase,
            "evidence_strength": self.evidence_strength,
            "status": self.status,
            "cursor": cursor or "",
        }
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def filtered(self) -> bool:
        return any((self.kind, self.theme, self.phase, self.evidence_strength, self.status))


def _enum(kind: type[StrEnum], raw: str, name: str, errors: dict[str, str], message: str) -> Any:
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        errors[name] = message
        return None


def feed_filters(query: FeedQuery) -> tuple[posts.Filters, FeedQuery, dict[str, str]]:
    """The service's filters, the query with anything unusable dropped, and a message per dropped field."""
    errors: dict[str, str] = {}
    kind = _enum(PostKind, query.kind, "kind", errors, "Choose practices, requests, or both.")
    phase = _enum(Phase, query.phase, "phase", errors, "Choose a phase from the list.")
    evidence = _enum(EvidenceStrength, query.evidence_strength, "evidence_strength", errors, "Choose from the list.")
    status = _enum(RequestStatus, query.status, "status", errors, "Choose a request status from the list.")
    theme = " ".join(query.theme.split())
    try:
        msgspec.convert(theme, Theme) if theme else None
    except msgspec.ValidationError:
        errors["theme"] = "A theme is up to 40 letters, digits, spaces or hyphens."
        theme = ""
    cleaned = FeedQuery(
        kind=kind.value if kind else "",
        theme=theme,
        phase=phase.value if phase else "",
        evidence_strength=evidence.value if evidence else "",
        status=status.value if status else "",
        cursor=query.cursor,
    )
    filters = posts.Filters(
        kind=kind,
        theme=theme or None,
        phase=phase.value if phase else None,
        evidence_strength=evidence.value if evidence else None,
        status=status,
    )
    return filters, cleaned, errors


@dataclass(frozen=True)
class Feed:
    page: Page
    query: FeedQuery
    errors: dict[str, str]
    slug: str

    @property
    def older(self) -> str | None:
        if not self.page.next_cursor:
            return None
        return f"/networks/{self.slug}?{self.query.params(cursor=self.page.next_cursor)}#feed-heading"

    @property
    def newest(self) -> str:
        params = self.query.params()
        return f"/networks/{self.slug}" + (f"?{params}" if params else "")

    @property
    def fragment(self) -> str:
        params = self.query.params()
        return f"/networks/{self.slug}/feed" + (f"?{params}" if params else "")


async def load_feed(db: AsyncSession, access: Access, query: FeedQuery) -> Feed:
    filters, cleaned, errors = feed_filters(query)
    try:
        found = await posts.list_posts(db, access, cursor=cleaned.cursor or None, limit=FEED_PAGE, filters=filters)
    except cursors.BadCursor:
        errors["cursor"] = "That page of posts cannot be found any more; here are the newest."
        cleaned = replace(cleaned, cursor="")
        found = await posts.list_posts(db, access, cursor=None, limit=FEED_PAGE, filters=filters)
    return Feed(found, cleaned, errors, access.network.slug)


def _people(members: list[Membership] | None) -> tuple[list[Membership], list[Membership]] | None:
    if members is None:
        return None
    active = [m for m in members if m.state in (MemberState.ACTIVE, MemberState.MUTED)]
    return [m for m in active if m.role is Role.LEAD], [m for m in active if m.role is Role.OBSERVER]


async def _network_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    slug: str,
    query: FeedQuery,
    *,
    joined: bool = False,
    error: str = "",
    status_code: int = 200,
) -> Template:
    access = await open_network(db, slug, viewer)  # NotFound: the caller shows the 404 page
    event_seq = access.network.event_seq  # read before the feed: a post made meanwhile is shown or announced
    view = await networks.describe(db, access.network, access.membership)
    current = await charter.current_charter(db, access.network.id)
    charter_view = charter.charter_view(current) if current else None
    try:
        members: list[Membership] | None = await membership.list_members(db, access)
    except NotFound:
        members = None  # only members see who belongs; the page says so
    feed = await load_feed(db, access, query)
    working = await listing.network_summaries(db, access, cursor=None, limit=WORKING_TOGETHER)
    if feed.errors and status_code == 200:
        status_code = 400
    where = standing(view, viewer, access.now)
    asks = where.action == "join" and join_pages.asks_questions(access.network, viewer, invited=False)
    return await page(
        "network.html",
        request,
        db,
        viewer,
        status_code=status_code,
        network=view,
        standing=where,
        join=join_pages.join_form(access.network, viewer, back="network") if asks else None,
        nav=await network_nav(db, access, "feed"),
        event_seq=event_seq,
        charter=charter_view,
        charter_html=nested(charter_view.body_html, 3) if charter_view else "",
        summary_clauses=charter_view.clauses[:CHARTER_SUMMARY] if charter_view else [],
        people=_people(members),
        working=working.items,
        can_post=posts.create_refusal(access) is None,
        is_lead=access.is_lead,
        feed=feed,
        notice=joined_message(view) if joined else "",
        error=error,
        labels=LABELS,
        phases=PHASE_LABELS,
        evidence=EVIDENCE_LABELS,
        statuses=STATUS_LABELS,
        kinds=KIND_LABELS,
        when=when,
        members_only=view.visibility is not Visibility.PUBLIC,
    )


async def read_feed_query(
    kind: FromQuery[str] = "",
    theme: FromQuery[str] = "",
    phase: FromQuery[str] = "",
    evidence_strength: FromQuery[str] = "",
    status: FromQuery[str] = "",
    cursor: FromQuery[str] = "",
) -> FeedQuery:
    """The feed's filters and page from the query string (a dependency of the pages that show a feed)."""
    return FeedQuery(kind, theme[:200], phase, evidence_strength, status, cursor[:300])


FEED_QUERY = {"feed_query": Provide(read_feed_query)}


@get("/networks/{slug:str}", summary="A network's home", dependencies=FEED_QUERY)
async def network_home(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    slug: FromPath[str],
    feed_query: NamedDependency[FeedQuery],
    joined: FromQuery[str] = "",
) -> Template | Redirect:
    try:
        return await _network_page(request, db, viewer, slug, feed_query, joined=joined == "1")
    except SignInNeeded:  # listed in the directory, read once signed in (a hidden one is not there)
        return sign_in_first(f"/networks/{slug}")
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)


@get(
    "/networks/{slug:str}/feed",
    summary="A network's feed (the fragment that the live bar's 'show' swaps in)",
    dependencies=FEED_QUERY,
)
async def feed_fragment(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], feed_query: NamedDependency[FeedQuery]
) -> Template | Redirect:
    if request.headers.get("hx-request") != "true":  # a person who opened the link gets the whole page
        params = feed_query.params(cursor=feed_query.cursor)
        return see_other(f"/networks/{quote(slug)}" + (f"?{params}" if params else ""))
    try:
        access = await open_network(db, slug, viewer)
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    feed = await load_feed(db, access, feed_query)
    return await page(
        "partials/feed_list.html",
        request,
        db,
        viewer,
        feed=feed,
        labels=LABELS,
        when=when,
        network=await networks.describe(db, access.network, access.membership),
    )


handlers = [directory, join, network_home, feed_fragment]
