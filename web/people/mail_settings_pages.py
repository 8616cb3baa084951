"""A person's notification settings (`/account/notifications`) and the one-click unsubscribe page.

One form: how much of each network notifies them (follow level), which kinds of email they get when
away, their digest's frequency and the phases and themes of the open requests it shows. It answers
with POST-redirect-GET, or the page again with the refusal and what was chosen.

`/unsubscribe?token=…` needs no sign-in: the signed token (server/mail/unsubscribe.py) names the
person and the kind of mail. A GET shows what it stops and a button (link scanners follow GETs, so
a GET changes nothing); the POST stops it, whether it comes from that button or from a mail
client's one-click unsubscribe (RFC 8058), which is why that path is outside the CSRF check.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_404_NOT_FOUND
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import DigestFrequency, FollowLevel, MemberState, Phase
from network.errors import DomainError, Invalid
from network.models import Membership, Network, Person
from network.people import mail_settings
from server.deps import AppSettings, Db, Viewer
from server.mail import unsubscribe
from web.forms import read_form, see_other, sign_in_first
from web.render import page

PATH = "/account/notifications"
FOLLOW_LABELS = {
    FollowLevel.ALL: "Every new practice and request",
    FollowLevel.REQUESTS_ONLY: "New requests only",
    FollowLevel.MENTIONS: "Only mentions of me and replies in my own threads",
    FollowLevel.MUTED: "Nothing (muted)",
}
DIGEST_LABELS = {
    DigestFrequency.DAILY: "Daily",
    DigestFrequency.WEEKLY: "Weekly (on Monday morning)",
    DigestFrequency.NEVER: "Never",
}
_FOLLOWING_STATES = (MemberState.ACTIVE, MemberState.MUTED, MemberState.SUSPENDED)


async def _memberships(db: AsyncSession, person: Person) -> list[tuple[Membership, Network]]:
    rows = await db.execute(
        select(Membership, Network)
        .join(Network, Network.id == Membership.network_id)
        .where(Membership.person_id == person.id, Membership.state.in_(_FOLLOWING_STATES))
        .order_by(Network.name)
    )
    return [(m, n) for m, n in rows.tuples()]


async def _settings_page(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person, *, error: str = "", status_code: int = 200
) -> Template:
    return await page(
        "notification_settings.html",
        request,
        db,
        viewer,
        status_code=status_code,
        memberships=await _memberships(db, viewer),
        follow_labels=FOLLOW_LABELS,
        digest_labels=DIGEST_LABELS,
        groups=mail_settings.NOTICE_GROUPS,
        chosen=mail_settings.view(viewer),
        phases=list(Phase),
        error=error,
        done=request.query_params.get("done") == "1",
    )


@get(PATH, summary="Your notification settings", include_in_schema=False)
async def settings_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    return await _settings_page(request, db, viewer)


@post(PATH, summary="Change your notification settings", include_in_schema=False)
async def save_settings(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    form = await read_form(request)
    try:
        async with db.begin_nested():
            for membership, network in await _memberships(db, viewer):
                level = form.get(f"follow-{network.slug}")
                if level is not None:
                    try:
                        membership.follow_level = FollowLevel(str(level))
                    except ValueError:
                        raise Invalid(f"Choose how much {network.name} notifies you from the list.") from None
            themes = [t for t in str(form.get("themes", "")).split(",") if t.strip()]
            data = msgspec.convert(
                {
                    "email": {g.name: form.get(f"email-{g.name}") == "on" for g in mail_settings.NOTICE_GROUPS},
                    "digest": str(form.get("digest", viewer.digest.value)),
                    "phases": [str(p) for p in form.getall("phases", [])],
                    "themes": themes,
                },
                mail_settings.MailSettingsInput,
            )
            await mail_settings.save(db, viewer, data)
    except msgspec.ValidationError:
        return await _settings_page(
            request, db, viewer, error="Choose a digest frequency and phases from the lists.", status_code=400
        )
    except DomainError as exc:
        return await _settings_page(request, db, viewer, error=exc.message, status_code=exc.status)
    return see_other(f"{PATH}?done=1")


def _group_label(group: str) -> str:
    if group == mail_settings.DIGEST:
        return "your digest of what is new in your networks"
    return mail_settings.GROUPS[group].label.lower()


async def _unsubscribe_target(db: AsyncSession, settings: AppSettings, token: str) -> tuple[Person, str] | None:
    found = unsubscribe.read(settings, token)
    if found is None or (found.group != mail_settings.DIGEST and found.group not in mail_settings.GROUPS):
        return None
    person = await db.get(Person, found.person_id)
    if person is None or person.deleted_at is not None:
        return None
    return person, found.group


@get("/unsubscribe", summary="Stop a kind of email", include_in_schema=False)
async def unsubscribe_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings) -> Template:
    token = request.query_params.get("token", "")
    target = await _unsubscribe_target(db, settings, token)
    if target is None:
        return await page("unsubscribe.html", request, db, viewer, status_code=HTTP_404_NOT_FOUND, bad=True)
    return await page("unsubscribe.html", request, db, viewer, token=token, label=_group_label(target[1]))


@post("/unsubscribe", summary="Stop a kind of email (one click)", include_in_schema=False, status_code=200)
async def unsubscribe_now(request: Request[Any, Any, Any], db: Db, viewer: Viewer, settings: AppSettings) -> Template:
    token = request.query_params.get("token", "") or str((await read_form(request)).get("token", ""))
    target = await _unsubscribe_target(db, settings, token)
    if target is None:
        return await page("unsubscribe.html", request, db, viewer, status_code=HTTP_400_BAD_REQUEST, bad=True)
    person, group = target
    mail_settings.turn_off(person, group)
    await db.flush()
    return await page("unsubscribe.html", request, db, viewer, stopped=True, label=_group_label(group))


handlers = [settings_page, save_settings, unsubscribe_page, unsubscribe_now]
