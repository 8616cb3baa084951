"""What each person is emailed: the groups of notifications, the digest's period and sections, and
the person's own choices (docs/design.md §3.10).

A notification that concerns the person directly belongs to one of the `NOTICE_GROUPS`; it is emailed
when they have not seen it on the site a few minutes after it came, unless they turned its group off.
Everything else (new posts in the networks they follow) waits for their digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import DigestFrequency, FollowLevel, Phase
from network.errors import Invalid
from network.models import Person


@dataclass(frozen=True, slots=True)
class NoticeGroup:
    name: str
    label: str  # what the settings page and the unsubscribe page call it
    kinds: frozenset[str]  # the notification kinds in it
    many: str  # a message's subject when it tells of several: "{n} replies to your posts"


NOTICE_GROUPS: tuple[NoticeGroup, ...] = (
    NoticeGroup("replies", "Replies to my posts", frozenset({"reply.created"}), "{n} replies to your posts"),
    NoticeGroup(
        "offers",
        "Offers of help on my requests",
        frozenset({"offer.made", "offer.withdrawn"}),
        "{n} offers on your requests",
    ),
    NoticeGroup(
        "offer_decisions",
        "My offers accepted or declined",
        frozenset({"offer.accepted", "offer.declined"}),
        "{n} answers to your offers",
    ),
    NoticeGroup("mentions", "Mentions of me", frozenset({"mention"}), "{n} mentions of you"),
    NoticeGroup(
        "decisions",
        "Decisions and appeals about me or my posts",
        frozenset({"decision", "flag.decided", "appeal.decided", "appeal.filed", "post.edited_by_lead"}),
        "{n} decisions and appeals",
    ),
    NoticeGroup(
        "membership",
        "My requests to join a network, and my organisation's answer about me",
        frozenset({"membership.approved", "membership.declined", "affiliation.decided"}),
        "{n} answers about your membership",
    ),
    NoticeGroup(
        "approvals",
        "People waiting for my approval (to join a network I lead, or to act for my organisation)",
        frozenset({"join.requested", "affiliation.requested"}),
        "{n} people waiting for your approval",
    ),
    NoticeGroup(
        "engagements",
        "My engagements",
        frozenset(
            {
                "engagement.opened",
                "engagement.named",
                "engagement.agreed",
                "engagement.message",
                "engagement.outcome",
                "engagement.closed",
                "engagement.check_in_due",
                "engagement.follow_up_due",
            }
        ),
        "{n} updates on your engagements",
    ),
    NoticeGroup(
        "adoptions",
        "Adoptions: a report due from my organisation, and reports from organisations trying my practice",
        frozenset({"adoption.report_due", "adoption.reported"}),
        "{n} adoption follow-ups",
    ),
    NoticeGroup(
        "saved_searches",
        "New posts matching my saved searches",
        frozenset({"search.matched"}),
        "{n} new posts matching your saved searches",
    ),
)
GROUPS = {group.name: group for group in NOTICE_GROUPS}
_GROUP_OF_KIND = {kind: group.name for group in NOTICE_GROUPS for kind in group.kinds}
DIGEST = "digest"  # the unsubscribe link of a digest turns the digest off
# kinds mailed with the change itself (server/mail/affiliation_mail.py: a person waiting for their
# organisation cannot act until someone decides), so the mail for people who were away passes them over
MAILED_AT_ONCE = frozenset({"affiliation.requested", "affiliation.decided"})

# how long a notification waits for the person to see it on the site before it is emailed; what comes
# for them meanwhile goes in the same message, so a busy thread sends one, not ten
AWAY = timedelta(minutes=5)
# and at least this long between two notice emails to one person: a thread busy all afternoon sends a
# message each quarter of an hour at most
NOTICE_GAP = timedelta(minutes=15)


def mailed_when_away(kind: str) -> str | None:
    """The group, for a kind that is emailed when the person is away (not one mailed at once)."""
    return None if kind in MAILED_AT_ONCE else _GROUP_OF_KIND.get(kind)


def emails_group(person: Person, group: str) -> bool:
    return group in GROUPS and group not in person.mail_off


# A digest's sections, by follow level: "all" hears of every new post; "requests only" of new requests
# and of open requests still waiting for an offer; "mentions" only of the week's most useful practice
# (the one thing worth a follower's while at any level); "muted" of nothing.
NEW_PRACTICES = "new_practices"
NEW_REQUESTS = "new_requests"
WAITING_REQUESTS = "waiting_requests"
USEFUL_PRACTICES = "useful_practices"
_SECTIONS = {
    FollowLevel.ALL: (NEW_PRACTICES, NEW_REQUESTS, WAITING_REQUESTS, USEFUL_PRACTICES),
    FollowLevel.REQUESTS_ONLY: (NEW_REQUESTS, WAITING_REQUESTS, USEFUL_PRACTICES),
    FollowLevel.MENTIONS: (USEFUL_PRACTICES,),
    FollowLevel.MUTED: (),
}


def digest_sections(level: FollowLevel) -> tuple[str, ...]:
    return _SECTIONS[level]


def period_of(frequency: DigestFrequency, now: datetime) -> str | None:
    """The period a digest built now belongs to: "daily:2026-12-07" or "weekly:2026-W50" (ISO week);
    None for "never". Each person gets at most one digest per period."""
    if frequency is DigestFrequency.DAILY:
        return f"daily:{now.date().isoformat()}"
    if frequency is DigestFrequency.WEEKLY:
        year, week, _ = now.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return None


def span(frequency: DigestFrequency) -> timedelta:
    return timedelta(days=1) if frequency is DigestFrequency.DAILY else timedelta(days=7)


# Digests are built from this hour (UTC) of the period's first day: daily ones each morning, weekly ones
# on Monday morning, before the school day.
DIGEST_HOUR = 6


def digest_due(frequency: DigestFrequency, now: datetime) -> bool:
    """Whether the scheduled run of this frequency's digests may start now (`--now` skips this)."""
    if frequency is DigestFrequency.NEVER:
        return False
    if frequency is DigestFrequency.WEEKLY and now.weekday() > 0:
        return True  # a week whose Monday run was missed (no server up) is built when one is
    return now.hour >= DIGEST_HOUR


def since(frequency: DigestFrequency, last_built: datetime | None, now: datetime) -> datetime:
    """Where a digest built now starts: at the last one, but never more than one period back."""
    earliest = now - span(frequency)
    return earliest if last_built is None or last_built < earliest else last_built


class MailSettingsInput(msgspec.Struct, forbid_unknown_fields=True):
    """A person's mail choices; each field left out stays as it is."""

    email: dict[str, bool] | msgspec.UnsetType = msgspec.UNSET  # notice group → emailed or not
    digest: DigestFrequency | msgspec.UnsetType = msgspec.UNSET
    phases: list[Phase] | msgspec.UnsetType = msgspec.UNSET
    themes: list[str] | msgspec.UnsetType = msgspec.UNSET


MAX_THEMES = 12


def clean_themes(themes: list[str]) -> list[str]:
    """Themes as the person wrote them, trimmed, without repeats (compared case-insensitively)."""
    kept: list[str] = []
    for theme in themes:
        text = " ".join(theme.split())[:40]
        if text and text.lower() not in {t.lower() for t in kept}:
            kept.append(text)
    if len(kept) > MAX_THEMES:
        raise Invalid(f"Choose at most {MAX_THEMES} themes.")
    return kept


def apply(person: Person, data: MailSettingsInput) -> None:
    """Change the person's mail choices (the caller commits). Unknown groups are refused, not ignored."""
    if not isinstance(data.email, msgspec.UnsetType):
        unknown = sorted(set(data.email) - set(GROUPS))
        if unknown:
            raise Invalid(f"Unknown kinds of email: {', '.join(unknown)}. Known: {', '.join(GROUPS)}.")
        off = {g for g in person.mail_off if g in GROUPS}
        off |= {g for g, on in data.email.items() if not on}
        off -= {g for g, on in data.email.items() if on}
        person.mail_off = sorted(off)
    if not isinstance(data.digest, msgspec.UnsetType):
        person.digest = data.digest
    if not isinstance(data.phases, msgspec.UnsetType):
        person.interest_phases = sorted({p.value for p in data.phases})
    if not isinstance(data.themes, msgspec.UnsetType):
        person.interest_themes = clean_themes(data.themes)


def turn_off(person: Person, group: str) -> bool:
    """One-click unsubscribe: stop this group's email (or the digest). False for an unknown group."""
    if group == DIGEST:
        person.digest = DigestFrequency.NEVER
        return True
    if group not in GROUPS:
        return False
    person.mail_off = sorted({*person.mail_off, group})
    return True


class MailSettingsView(msgspec.Struct):
    email: dict[str, bool]
    digest: DigestFrequency
    phases: list[str]
    themes: list[str]


def view(person: Person) -> MailSettingsView:
    return MailSettingsView(
        email={g.name: emails_group(person, g.name) for g in NOTICE_GROUPS},
        digest=person.digest,
        phases=list(person.interest_phases),
        themes=list(person.interest_themes),
    )


async def save(session: AsyncSession, person: Person, data: MailSettingsInput) -> MailSettingsView:
    apply(person, data)
    await session.flush()
    return view(person)
