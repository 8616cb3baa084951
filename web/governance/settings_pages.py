"""A network's settings page, for its leads: moderation, about, join questions, watched words, members and
roles, invitations and export.

Each section is its own form; each posts, is logged by the domain (network.settings, network.membership) and
comes back with 303 to its section with a note of what was done. A refused form is shown again with what
was typed and the message beside the field. An invitation's one-time link is shown to the lead once (it is
kept in their session across the redirect): with no mail server, the lead copies it and sends it.
Members and observers who open the page are told it is for leads; others get the 404 page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access, open_network
from network.enums import JoinPolicy, MemberState, Role, ScreenAction, Visibility
from network.errors import DomainError, Invalid, NotFound
from network.governance import settings
from network.inputs import Email, MemberChange, SettingsInput, WatchedWordInput
from network.models import Membership, Person
from network.moderation.views import watched_word_view
from network.people import accounts, membership
from server.deps import Db, Viewer
from web.forms import post_action, read_form, sign_in_first
from web.render import page
from web.shared import (
    NO_TROUBLE,
    Trouble,
    day,
    field_errors,
    network_nav,
    network_not_found,
    refused,
    when,
)

MAX_QUESTIONS = 5
INVITATION_KEY = "settings_invitation"  # the one-time link, kept in the lead's session until it is shown

VISIBILITY = {
    Visibility.PUBLIC: ("Public", "Listed in the directory; any signed-in person can read it."),
    Visibility.MEMBERS: ("Members only", "Listed in the directory; only its members can read it."),
    Visibility.HIDDEN: ("Unlisted", "Not listed; only its members know it exists."),
}
JOIN_POLICY = {
    JoinPolicy.OPEN: ("Open", "Anyone in the sector can join at once."),
    JoinPolicy.REQUEST: ("By request", "People ask to join, answering the join questions; a lead decides."),
    JoinPolicy.INVITE: ("By invitation", "Only people a lead invites by email can join."),
}
WORD_ACTIONS = {
    ScreenAction.BLOCK: ("Block", "The post is refused and the writer sees your message."),
    ScreenAction.HOLD: ("Hold for review", "The post waits in the review queue until a lead approves it."),
    ScreenAction.FLAG: ("Flag", "The post is published and put in the review queue for a lead to look at."),
}
ROLE_WORDS = {Role.LEAD: "Lead", Role.MEMBER: "Member", Role.OBSERVER: "Observer"}
STATE_WORDS = {
    MemberState.PENDING: "Asking to join",
    MemberState.ACTIVE: "Active",
    MemberState.MUTED: "Muted",
    MemberState.SUSPENDED: "Suspended",
    MemberState.BANNED: "Banned",
}
DONE = {
    "moderation": ("moderation", "Moderation settings saved. The change is in the log."),
    "about": ("about", "About this network saved. The change is in the log."),
    "questions": ("questions", "Join questions saved. The change is in the log."),
    "word-added": ("words", "Watched word added."),
    "word-removed": ("words", "Watched word removed."),
    "role": ("members", "Role changed. The change is in the log."),
    "approved": ("members", "Request to join approved."),
    "lifted": ("members", "Sanction lifted. The change is in the log."),
    "removed": ("members", "Member removed. The change is in the log."),
    "declined": ("members", "Request to join declined; they are told your reason."),
    "invited": ("invitations", "Invitation made: copy the link below and send it."),
}


@dataclass(frozen=True)
class MemberGroup:
    heading: str
    anchor: str
    members: list[Membership]


def member_groups(members: list[Membership]) -> list[MemberGroup]:
    pending = [m for m in members if m.state is MemberState.PENDING]
    joined = [m for m in members if m.state is not MemberState.PENDING]
    return [
        MemberGroup("Leads", "members-leads", [m for m in joined if m.role is Role.LEAD]),
        MemberGroup("Members", "members-members", [m for m in joined if m.role is Role.MEMBER]),
        MemberGroup("Observers", "members-observers", [m for m in joined if m.role is Role.OBSERVER]),
        MemberGroup("Asking to join", "members-pending", pending),
    ]


def _here(slug: str) -> str:
    return f"/networks/{quote(slug)}/settings"


async def render_settings(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    access: Access,
    *,
    trouble: Trouble = NO_TROUBLE,
    done: str = "",
    invitation: dict[str, str] | None = None,
) -> Response[Any]:
    current = settings.get_settings(access)
    words = [watched_word_view(w) for w in await settings.watched_words(db, access)]
    members = await membership.list_members(db, access)
    section, notice = DONE.get(done, ("", ""))
    return await page(
        "settings.html",
        request,
        db,
        viewer,
        status_code=trouble.status,
        network=access.network,
        nav=await network_nav(db, access, "settings"),
        current=current,
        questions=(list(current.join_questions) + [""] * MAX_QUESTIONS)[:MAX_QUESTIONS],
        words=words,
        groups=member_groups(members),
        trouble=trouble,
        done_section=section,
        notice=notice,
        invitation=invitation,
        visibility=VISIBILITY,
        join_policy=JOIN_POLICY,
        word_actions=WORD_ACTIONS,
        role_words=ROLE_WORDS,
        state_words=STATE_WORDS,
        observer_only=lambda m: accounts.observer_only(m.person),
        when=when,
        day=day,
    )


async def _lead(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person, slug: str
) -> tuple[Access | None, Response[Any] | None]:
    """The network for a lead, or the page to answer with instead (404 for non-readers, 403 for the rest)."""
    try:
        access = await open_network(db, slug, viewer)
    except NotFound as exc:
        return None, await network_not_found(request, db, viewer, exc.message)
    if not access.is_lead:
        nav = await network_nav(db, access, "settings")
        message = "Only a lead of this network may see or change its settings."
        return None, await refused(request, db, viewer, title="Settings", message=message, nav=nav)
    return access, None


@get("/networks/{slug:str}/settings", summary="A network's settings (leads)", include_in_schema=False)
async def settings_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], done: FromQuery[str] = ""
) -> Response[Any]:
    if viewer is None:
        return sign_in_first(_here(slug))
    access, answer = await _lead(request, db, viewer, slug)
    if access is None:
        assert answer is not None
        return answer
    invitation = None
    if done == "invited" and INVITATION_KEY in request.session:
        kept = dict(request.session)
        invitation = kept.pop(INVITATION_KEY)
        request.set_session(kept)  # shown once
        if invitation.get("slug") != access.network.slug:
            invitation = None
    return await render_settings(request, db, viewer, access, done=done, invitation=invitation)


async def _act(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    slug: str,
    form: str,
    act: Callable[[Access], Awaitable[Any]],
    *,
    done: str,
    anchor: str,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response[Any]:
    """Check the lead, then `act` in a savepoint and go back to the section (303), or show the refusal there."""
    if viewer is None:
        return sign_in_first(_here(slug))
    access, answer = await _lead(request, db, viewer, slug)
    if access is None:
        assert answer is not None
        return answer
    if errors:
        message = "Some of this could not be saved: see the messages beside the fields."
        trouble = Trouble(form, message, 422, errors, typed or {})
        return await render_settings(request, db, viewer, access, trouble=trouble)

    async def show(exc: DomainError) -> Response[Any]:
        again = await open_network(db, slug, viewer)  # reloads what the refused savepoint expired
        return await render_settings(request, db, viewer, again, trouble=Trouble.of(form, exc, typed))

    where = f"{_here(slug)}?done={done}#{anchor}"
    return await post_action(db, lambda: act(access), then=lambda _: where, refused=show)


def _text(form: FormMultiDict, name: str) -> str:
    return str(form.get(name, ""))


def _number(typed: str, name: str, low: int, high: int, errors: dict[str, str], message: str) -> int:
    try:
        value = int(typed.strip())
    except ValueError:
        errors[name] = message
        return 0
    if not low <= value <= high:
        errors[name] = message
    return value


@post("/networks/{slug:str}/settings/moderation", summary="Save moderation settings", include_in_schema=False)
async def save_moderation(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]
) -> Response[Any]:
    form = await read_form(request)
    typed: dict[str, Any] = {
        "premod_posts": _text(form, "premod_posts"),
        "slow_mode_seconds": _text(form, "slow_mode_seconds"),
        "adoption_follow_up_weeks": _text(form, "adoption_follow_up_weeks") or "8",
        "engagement_follow_up_weeks": _text(form, "engagement_follow_up_weeks") or "12",
        "guard_personal_data": form.get("guard_personal_data") == "on",
        "name_leads_in_log": form.get("name_leads_in_log") == "on",
        "reason": _text(form, "reason"),
    }
    errors: dict[str, str] = {}
    premod = _number(typed["premod_posts"], "premod_posts", 0, 50, errors, "Enter a whole number from 0 to 50.")
    slow = _number(
        typed["slow_mode_seconds"], "slow_mode_seconds", 0, 86_400, errors, "Enter seconds from 0 to 86,400 (a day)."
    )
    weeks = _number(
        typed["adoption_follow_up_weeks"], "adoption_follow_up_weeks", 1, 104, errors, "Enter weeks from 1 to 104."
    )
    engagement_weeks = _number(
        typed["engagement_follow_up_weeks"], "engagement_follow_up_weeks", 1, 104, errors, "Enter weeks from 1 to 104."
    )
    errors |= field_errors(SettingsInput, {"reason": typed["reason"]})
    data = SettingsInput(
        premod_posts=premod,
        slow_mode_seconds=slow,
        adoption_follow_up_weeks=weeks if 1 <= weeks <= 104 else 8,
        engagement_follow_up_weeks=engagement_weeks if 1 <= engagement_weeks <= 104 else 12,
        guard_personal_data=typed["guard_personal_data"],
        name_leads_in_log=typed["name_leads_in_log"],
        reason=typed["reason"],
    )
    return await _act(
        request,
        db,
        viewer,
        slug,
        "moderation",
        lambda access: settings.update_settings(db, access, data),
        done="moderation",
        anchor="moderation",
        typed=typed,
        errors=errors,
    )


@post(
    "/networks/{slug:str}/settings/about", summary="Save what the network is and who may join", include_in_schema=False
)
async def save_about(request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]) -> Response[Any]:
    form = await read_form(request)
    typed = {name: _text(form, name) for name in ("description", "visibility", "join_policy", "reason")}
    errors = field_errors(SettingsInput, typed)
    if "visibility" in errors:
        errors["visibility"] = "Choose who can see the network."
    if "join_policy" in errors:
        errors["join_policy"] = "Choose how people join."

    async def save(access: Access) -> Any:
        data = msgspec.convert(typed, SettingsInput)
        return await settings.update_settings(db, access, data)

    return await _act(
        request, db, viewer, slug, "about", save, done="about", anchor="about", typed=typed, errors=errors
    )


@post("/networks/{slug:str}/settings/questions", summary="Save the join questions", include_in_schema=False)
async def save_questions(request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]) -> Response[Any]:
    form = await read_form(request)
    given = [str(q) for q in form.getall("question", [])][:MAX_QUESTIONS]
    typed: dict[str, Any] = {f"question-{n + 1}": q for n, q in enumerate(given)} | {"reason": _text(form, "reason")}
    errors = {
        f"question-{n + 1}": f"Keep a question to 300 characters or fewer (this one has {len(q.strip()):,})."
        for n, q in enumerate(given)
        if len(q.strip()) > 300
    } | field_errors(SettingsInput, {"reason": typed["reason"]})
    data = SettingsInput(join_questions=[q.strip() for q in given if q.strip()], reason=typed["reason"])
    return await _act(
        request,
        db,
        viewer,
        slug,
        "questions",
        lambda access: settings.update_settings(db, access, data),
        done="questions",
        anchor="questions",
        typed=typed,
        errors=errors,
    )


@post("/networks/{slug:str}/settings/words", summary="Watch a word or pattern", include_in_schema=False)
async def add_word(request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]) -> Response[Any]:
    form = await read_form(request)
    typed: dict[str, Any] = {
        "pattern": _text(form, "pattern"),
        "action": _text(form, "action"),
        "message": _text(form, "message"),
        "is_regex": form.get("is_regex") == "on",
    }
    errors = field_errors(WatchedWordInput, {k: typed[k] for k in ("pattern", "action", "message")})
    if "pattern" in errors and not typed["pattern"].strip():
        errors["pattern"] = "Enter the word, phrase or pattern to watch for."
    if "action" in errors:
        errors["action"] = "Choose what happens when a post matches."

    async def save(access: Access) -> Any:
        return await settings.add_word(db, access, msgspec.convert(typed, WatchedWordInput))

    return await _act(
        request, db, viewer, slug, "words", save, done="word-added", anchor="words", typed=typed, errors=errors
    )


@post(
    "/networks/{slug:str}/settings/words/{word_id:int}/delete",
    summary="Stop watching a word or pattern",
    include_in_schema=False,
)
async def remove_word(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], word_id: FromPath[int]
) -> Response[Any]:
    return await _act(
        request,
        db,
        viewer,
        slug,
        f"word-{word_id}",
        lambda access: settings.remove_word(db, access, word_id),
        done="word-removed",
        anchor="words",
    )


def _member_change(form: FormMultiDict) -> tuple[MemberChange, str]:
    """The change a member's form asks for, and what to say once it is done."""
    reason = _text(form, "reason")
    if len(reason) > 1_000:
        raise Invalid("Keep the reason to 1,000 characters or fewer.", fields={"reason": "Too long."})
    role, state = _text(form, "role"), _text(form, "state")
    if role in (Role.LEAD.value, Role.MEMBER.value):
        return MemberChange(role=Role(role), reason=reason), "role"
    if state == MemberState.ACTIVE.value:
        return MemberChange(state=MemberState.ACTIVE, reason=reason), "lifted" if form.get(
            "done"
        ) == "lifted" else "approved"
    raise Invalid("Choose a change: appoint a lead, make a member, approve or lift.", fields={})


@post(
    "/networks/{slug:str}/settings/members/{person_id:int}",
    summary="Change a member's role, approve a request or lift a sanction",
    include_in_schema=False,
)
async def change_member(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], person_id: FromPath[int]
) -> Response[Any]:
    form = await read_form(request)
    typed = {"reason": _text(form, "reason")}
    name = f"{'state' if form.get('state') else 'member'}-{person_id}"  # which of the member's forms
    try:
        change, done = _member_change(form)
    except Invalid as exc:
        problem = exc

        async def refuse(_: Access) -> None:
            raise problem

        return await _act(request, db, viewer, slug, name, refuse, done="", anchor="members", typed=typed)

    async def save(access: Access) -> Any:
        return await membership.apply_change(db, access, person_id, change)

    return await _act(request, db, viewer, slug, name, save, done=done, anchor="members", typed=typed)


@post(
    "/networks/{slug:str}/settings/members/{person_id:int}/remove",
    summary="Remove a member or decline a request to join",
    include_in_schema=False,
)
async def remove_member(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], person_id: FromPath[int]
) -> Response[Any]:
    form = await read_form(request)
    typed = {"reason": _text(form, "reason")}
    errors = field_errors(SettingsInput, typed)
    done = "declined" if form.get("pending") == "1" else "removed"
    return await _act(
        request,
        db,
        viewer,
        slug,
        f"remove-{person_id}",
        lambda access: membership.remove_member(db, access, person_id, typed["reason"]),
        done=done,
        anchor="members",
        typed=typed,
        errors=errors,
    )


@post("/networks/{slug:str}/settings/invitations", summary="Invite an email address", include_in_schema=False)
async def invite(request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]) -> Response[Any]:
    form = await read_form(request)
    typed = {"email": _text(form, "email").strip()}
    errors = {}
    try:
        msgspec.convert(typed["email"], Email)
    except msgspec.ValidationError:
        errors["email"] = "Enter an email address, like name@trust.org.uk."

    async def make(access: Access) -> None:
        invitation, token = await membership.invite(db, access, typed["email"])
        link = f"{str(request.base_url).rstrip('/')}/networks/{quote(access.network.slug)}/join?invitation={token}"
        kept = dict(request.session) if request.scope.get("session") else {}
        kept[INVITATION_KEY] = {
            "slug": access.network.slug,
            "email": invitation.email,
            "link": link,
            "expires": when(invitation.expires_at),
        }
        request.set_session(kept)

    return await _act(
        request, db, viewer, slug, "invitations", make, done="invited", anchor="invitations", typed=typed, errors=errors
    )


handlers = [
    settings_page,
    save_moderation,
    save_about,
    save_questions,
    add_word,
    remove_word,
    change_member,
    remove_member,
    invite,
]
