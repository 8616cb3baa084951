"""Moderation's pure rules: which decision fits which target and state, queue order, appeals.

No I/O. The services in `network.casework.decisions`, `network.moderation.review_queue` and `network.casework.appeals`
load the facts and ask these functions; the tests walk them directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from network.enums import ContentState, Decision, FlagReason, TargetType

APPEAL_WINDOW = timedelta(days=14)

CONTENT_DECISIONS = frozenset(
    {
        Decision.DISMISS,
        Decision.APPROVE,
        Decision.HIDE,
        Decision.RESTORE,
        Decision.REMOVE,
        Decision.EDIT,
        Decision.LOCK,
        Decision.UNLOCK,
        Decision.PIN,
        Decision.UNPIN,
    }
)
THREAD_DECISIONS = frozenset({Decision.LOCK, Decision.UNLOCK, Decision.PIN, Decision.UNPIN})  # posts only
# what a lead decides on an adoption record: its organisation's people edit it, so no lead's edit
ADOPTION_DECISIONS = frozenset({Decision.DISMISS, Decision.APPROVE, Decision.HIDE, Decision.RESTORE, Decision.REMOVE})
SANCTIONS = frozenset({Decision.MUTE, Decision.SUSPEND, Decision.BAN, Decision.LIFT})
TIMED_SANCTIONS = frozenset({Decision.MUTE, Decision.SUSPEND})
# what the person concerned may appeal: decisions that take something away from them
APPEALABLE = frozenset(
    {Decision.HIDE, Decision.REMOVE, Decision.EDIT, Decision.MUTE, Decision.SUSPEND, Decision.BAN, Decision.LOCK}
)

# decisions taken without a reason: they take nothing away from anyone (held content is published, or
# flags that were not upheld are closed), so a lead may take them in one click; every other needs one
REASON_OPTIONAL = frozenset({Decision.APPROVE, Decision.DISMISS})
REASON_NEEDED = "Give a reason: it is logged and told to the people concerned."

# content state each decision needs, and the state it leaves (None: the state does not change)
_CONTENT_MOVES: dict[Decision, tuple[frozenset[ContentState], ContentState | None]] = {
    Decision.APPROVE: (frozenset({ContentState.HELD}), ContentState.VISIBLE),
    Decision.HIDE: (frozenset({ContentState.VISIBLE, ContentState.HELD}), ContentState.HIDDEN),
    Decision.RESTORE: (frozenset({ContentState.HIDDEN}), ContentState.VISIBLE),
    Decision.REMOVE: (frozenset({ContentState.VISIBLE, ContentState.HELD, ContentState.HIDDEN}), ContentState.REMOVED),
    Decision.EDIT: (frozenset({ContentState.VISIBLE, ContentState.HELD, ContentState.HIDDEN}), None),
    Decision.DISMISS: (frozenset({ContentState.VISIBLE, ContentState.HIDDEN, ContentState.HELD}), None),
    Decision.LOCK: (frozenset({ContentState.VISIBLE, ContentState.HIDDEN}), None),
    Decision.UNLOCK: (frozenset({ContentState.VISIBLE, ContentState.HIDDEN}), None),
    Decision.PIN: (frozenset({ContentState.VISIBLE}), None),
    Decision.UNPIN: (frozenset({ContentState.VISIBLE, ContentState.HIDDEN}), None),
}

_STATE_WORDS = {
    ContentState.VISIBLE: "shown",
    ContentState.HELD: "awaiting review",
    ContentState.HIDDEN: "hidden",
    ContentState.REMOVED: "removed",
}


def decision_fits(action: Decision, target: TargetType) -> str | None:
    """None if `action` applies to `target`, else why not."""
    if target is TargetType.MEMBER:
        if action in SANCTIONS:
            return None
        return "A member can be muted, suspended, banned or have a sanction lifted; roles and joins are set on members."
    if target in (TargetType.POST, TargetType.REPLY):
        if action not in CONTENT_DECISIONS:
            return f"'{action.value}' is not a decision on content."
        if target is TargetType.REPLY and action in THREAD_DECISIONS:
            return "Only a whole thread (a post) can be locked or pinned."
        return None
    if target is TargetType.ADOPTION:
        if action in ADOPTION_DECISIONS:
            return None
        return "An adoption record can be approved, hidden, restored or removed, or its flags dismissed."
    return "Decisions are taken on a post, a reply, an adoption record or a member."


def reason_refusal(action: Decision, reason: str) -> str | None:
    """None if `action` may be taken with this reason (blank for an approval or a dismissal), else why not."""
    if reason.strip() or action in REASON_OPTIONAL:
        return None
    return f"{REASON_NEEDED} A '{action.value}' decision needs one; only approving or dismissing may go without."


def content_move(action: Decision, state: ContentState) -> ContentState | None:
    """The state `action` leaves content in (None: unchanged), or raises ValueError saying why it cannot."""
    allowed_from, to = _CONTENT_MOVES[action]
    if state not in allowed_from:
        raise ValueError(f"This content is {_STATE_WORDS[state]}; it cannot be given '{action.value}'.")
    return to


def thread_move(action: Decision, *, locked: bool, pinned: bool) -> str | None:
    """Why a lock/pin decision changes nothing, or None."""
    if action is Decision.LOCK and locked:
        return "This thread is already locked."
    if action is Decision.UNLOCK and not locked:
        return "This thread is not locked."
    if action is Decision.PIN and pinned:
        return "This post is already pinned."
    if action is Decision.UNPIN and not pinned:
        return "This post is not pinned."
    return None


def severity(reasons: Iterable[FlagReason], *, held: bool, personal_data_hold: bool = False) -> int:
    """Queue order: lower first. Personal data (flagged or held by its filter) always leads."""
    found = set(reasons)
    if personal_data_hold or FlagReason.PERSONAL_DATA in found:
        return 0
    if found & {FlagReason.CHARTER, FlagReason.INAPPROPRIATE}:
        return 1
    if held or FlagReason.SPAM in found:
        return 2
    return 3


SEVERITY_LABELS = {0: "Personal data", 1: "Charter or conduct", 2: "Held or spam", 3: "Other"}


def appeal_refusal(
    *,
    action: Decision,
    subject_id: int | None,
    person_id: int,
    decided_at: datetime,
    now: datetime,
    already_appealed: bool,
) -> str | None:
    """Why this person may not appeal this decision now, or None."""
    if subject_id != person_id:
        return "Only the person a decision concerns may appeal it."
    if action not in APPEALABLE:
        return f"A '{action.value}' decision cannot be appealed."
    if already_appealed:
        return "This decision has already been appealed; each decision can be appealed once."
    if now - decided_at > APPEAL_WINDOW:
        return "Appeals must be made within 14 days of the decision."
    return None


def appeal_decider_refusal(
    *, person_id: int, is_lead: bool, is_admin: bool, acted_by: int | None, to_admin: bool
) -> str | None:
    """Why this person may not decide this appeal, or None. Never the lead who acted."""
    if person_id == acted_by:
        return "The lead who took a decision cannot decide its appeal; another lead (or a platform admin) will."
    if is_admin:
        return None
    if to_admin:
        return "This network had no other lead, so a platform admin decides this appeal."
    if not is_lead:
        return "Only another lead of this network decides an appeal."
    return None


def log_actor(*, by_admin: bool, name_leads: bool, actor_name: str | None) -> str:
    """How the transparency log names who acted: platform admins always by name."""
    if by_admin:
        return f"{actor_name} (platform admin)" if actor_name else "A platform admin"
    if name_leads and actor_name:
        return actor_name
    return "A network lead"
