"""What moderation's readers see: flags, queue entries, log entries, appeals, settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from network.enums import (
    AppealStatus,
    ContentState,
    Decision,
    FlagReason,
    JoinPolicy,
    ScreenAction,
    TargetType,
    Visibility,
)
from network.models import Network
from network.moderation.models import Appeal, DecisionRecord, Flag, QueueNote, WatchedWord
from network.moderation.policy import APPEAL_WINDOW, APPEALABLE, log_actor
from network.views import PersonRef, person_ref


class FlagView(msgspec.Struct):
    id: int
    target_type: TargetType
    target_id: int
    post_id: int
    reason: FlagReason
    clause: int | None
    note: str
    status: str
    reporter: PersonRef | None
    created_at: datetime


class QueueNoteView(msgspec.Struct):
    id: int
    author: PersonRef
    body: str
    created_at: datetime


class QueueContent(msgspec.Struct):
    """The flagged or held item as the lead needs it, whatever its state."""

    title: str | None  # a post's title; None for a reply
    body: str
    body_html: str
    state: ContentState
    locked: bool
    pinned: bool


class AuthorHistory(msgspec.Struct):
    """The author's record in this network, so a lead can tell a slip from a pattern."""

    role: str | None
    state: str | None
    joined_at: datetime | None
    posts: int
    replies: int
    upheld_flags: int
    decisions: int  # earlier decisions concerning them (content or sanctions)


class QueueEntryView(msgspec.Struct):
    id: int
    target_type: TargetType
    target_id: int
    post_id: int
    severity: int
    severity_label: str
    held: bool
    hold_reason: str
    hits: list[dict[str, str]]
    content: QueueContent
    author: PersonRef
    history: AuthorHistory
    flags: list[FlagView]
    notes: list[QueueNoteView]
    claimed_by: PersonRef | None
    claimed_at: datetime | None
    status: str
    created_at: datetime


class LogEntryView(msgspec.Struct):
    """One line of the transparency log, as every member reads it."""

    id: int
    at: datetime
    action: Decision
    target_type: TargetType
    target_id: int | None
    label: str
    subject: PersonRef | None
    reason: str
    clause: int | None
    until: datetime | None
    actor: str  # a lead's name, "A network lead", or a named platform admin
    by_admin: bool
    appealable_until: datetime | None  # for the person concerned
    appeal: AppealStatus | None = None
    # the title of the post it concerns, where the reader may read that post now (the log's list and one
    # decision: `network.casework.log_titles`); never in the log's events
    title: str | None = None


class DecisionView(msgspec.Struct):
    """A decision as its maker (and the API's 201) sees it: the log entry plus what changed."""

    id: int
    entry: LogEntryView
    details: dict[str, Any]


class AppealView(msgspec.Struct):
    id: int
    decision: LogEntryView
    network: str
    appellant: PersonRef
    statement: str
    status: AppealStatus
    to_admin: bool
    decided_by: PersonRef | None
    outcome_reason: str
    created_at: datetime
    decided_at: datetime | None
    who_decides: str  # said to the appellant: another lead, or a platform admin


class SettingsView(msgspec.Struct):
    premod_posts: int
    slow_mode_seconds: int
    guard_personal_data: bool
    name_leads_in_log: bool
    join_questions: list[str]
    description: str
    visibility: Visibility
    join_policy: JoinPolicy
    engagement_follow_up_weeks: int = 12  # weeks after an engagement closes that its follow-up is due
    adoption_follow_up_weeks: int = 8  # weeks after starting a practice an organisation is asked how it went


class WatchedWordView(msgspec.Struct):
    id: int
    pattern: str
    is_regex: bool
    action: ScreenAction
    message: str
    created_at: datetime


def flag_view(flag: Flag) -> FlagView:
    return FlagView(
        id=flag.id,
        target_type=flag.target_type,
        target_id=flag.target_id,
        post_id=flag.post_id,
        reason=flag.reason,
        clause=flag.clause,
        note=flag.note,
        status=flag.status,
        reporter=person_ref(flag.reporter) if flag.reporter else None,
        created_at=flag.created_at,
    )


def note_view(note: QueueNote) -> QueueNoteView:
    return QueueNoteView(id=note.id, author=person_ref(note.author), body=note.body, created_at=note.created_at)


def log_entry_view(record: DecisionRecord, network: Network, appeal: AppealStatus | None = None) -> LogEntryView:
    actor = record.actor
    return LogEntryView(
        id=record.id,
        at=record.created_at,
        action=record.action,
        target_type=record.target_type,
        target_id=record.target_id,
        label=record.label,
        subject=person_ref(record.subject) if record.subject else None,
        reason=record.reason,
        clause=record.clause,
        until=record.until,
        actor=log_actor(
            by_admin=record.by_admin,
            name_leads=network.name_leads_in_log,
            actor_name=actor.display_name if actor else None,
        ),
        by_admin=record.by_admin,
        appealable_until=(record.created_at + APPEAL_WINDOW) if record.action in APPEALABLE else None,
        appeal=appeal,
    )


def settings_view(network: Network) -> SettingsView:
    return SettingsView(
        premod_posts=network.premod_posts,
        slow_mode_seconds=network.slow_mode_seconds,
        guard_personal_data=network.guard_personal_data,
        name_leads_in_log=network.name_leads_in_log,
        join_questions=list(network.join_questions),
        description=network.description,
        visibility=network.visibility,
        join_policy=network.join_policy,
        engagement_follow_up_weeks=network.engagement_follow_up_weeks,
        adoption_follow_up_weeks=network.adoption_follow_up_weeks,
    )


def watched_word_view(word: WatchedWord) -> WatchedWordView:
    return WatchedWordView(
        id=word.id,
        pattern=word.pattern,
        is_regex=word.is_regex,
        action=word.action,
        message=word.message,
        created_at=word.created_at,
    )


def appeal_view(appeal: Appeal, network: Network, decided_by: PersonRef | None) -> AppealView:
    return AppealView(
        id=appeal.id,
        decision=log_entry_view(appeal.decision, network, appeal.status),
        network=network.slug,
        appellant=person_ref(appeal.appellant),
        statement=appeal.statement,
        status=appeal.status,
        to_admin=appeal.to_admin,
        decided_by=decided_by,
        outcome_reason=appeal.outcome_reason,
        created_at=appeal.created_at,
        decided_at=appeal.decided_at,
        who_decides=(
            "This network has no other lead, so a platform admin will decide your appeal."
            if appeal.to_admin
            else "A lead other than the one who acted will decide your appeal."
        ),
    )
