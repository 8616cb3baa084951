"""Moderation's pure rules, walked directly: which decision fits which target and state, queue order,
who may appeal and who decides, and how the log names who acted.

The expected tables are written out here, not derived from the module's own sets, so a change to a
rule shows up as a failing row.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from network.enums import ContentState, Decision, FlagReason, TargetType
from network.moderation.policy import (
    appeal_decider_refusal,
    appeal_refusal,
    content_move,
    decision_fits,
    log_actor,
    reason_refusal,
    severity,
    thread_move,
)

CONTENT = {"dismiss", "approve", "hide", "restore", "remove", "edit", "lock", "unlock", "pin", "unpin"}
THREAD = {"lock", "unlock", "pin", "unpin"}
SANCTIONS = {"mute", "suspend", "ban", "lift"}
WITHOUT_A_REASON = {"approve", "dismiss"}  # they take nothing away from anyone


@pytest.mark.parametrize("action", list(Decision))
def test_every_decision_but_approving_and_dismissing_needs_a_reason(action: Decision) -> None:
    assert reason_refusal(action, "Breaks clause 2") is None
    for blank in ("", "   ", "\n\t"):
        refusal = reason_refusal(action, blank)
        if action.value in WITHOUT_A_REASON:
            assert refusal is None, action
        else:
            assert refusal is not None and "Give a reason" in refusal and f"'{action.value}'" in refusal, refusal


def fits(action: Decision, target: TargetType) -> bool:
    if target is TargetType.POST:
        return action.value in CONTENT
    if target is TargetType.REPLY:
        return action.value in CONTENT - THREAD
    if target is TargetType.MEMBER:
        return action.value in SANCTIONS
    if target is TargetType.ADOPTION:  # its organisation's people edit it; it has no thread
        return action.value in {"dismiss", "approve", "hide", "restore", "remove"}
    return False  # the network and appeals are logged, never decided on through this route


@pytest.mark.parametrize("target", list(TargetType))
@pytest.mark.parametrize("action", list(Decision))
def test_decision_fits_every_action_and_target(action: Decision, target: TargetType) -> None:
    problem = decision_fits(action, target)
    if fits(action, target):
        assert problem is None
    else:
        assert isinstance(problem, str) and len(problem) > 10


def test_decision_fits_says_why() -> None:
    assert "thread" in (decision_fits(Decision.LOCK, TargetType.REPLY) or "")
    assert "thread" in (decision_fits(Decision.PIN, TargetType.REPLY) or "")
    assert "'mute' is not a decision on content" in (decision_fits(Decision.MUTE, TargetType.POST) or "")
    assert "muted, suspended, banned" in (decision_fits(Decision.HIDE, TargetType.MEMBER) or "")
    assert "roles" in (decision_fits(Decision.SET_ROLE, TargetType.MEMBER) or "")
    assert "post, a reply, an adoption record or a member" in (decision_fits(Decision.HIDE, TargetType.NETWORK) or "")
    assert "approved, hidden, restored or removed" in (decision_fits(Decision.EDIT, TargetType.ADOPTION) or "")


V, HE, HI, R = ContentState.VISIBLE, ContentState.HELD, ContentState.HIDDEN, ContentState.REMOVED
UNCHANGED = "unchanged"
# action → {state it may start from: state it leaves}; every other start state is refused
MOVES: dict[Decision, dict[ContentState, ContentState | str]] = {
    Decision.APPROVE: {HE: V},
    Decision.HIDE: {V: HI, HE: HI},
    Decision.RESTORE: {HI: V},
    Decision.REMOVE: {V: R, HE: R, HI: R},
    Decision.EDIT: {V: UNCHANGED, HE: UNCHANGED, HI: UNCHANGED},
    Decision.DISMISS: {V: UNCHANGED, HE: UNCHANGED, HI: UNCHANGED},
    Decision.LOCK: {V: UNCHANGED, HI: UNCHANGED},
    Decision.UNLOCK: {V: UNCHANGED, HI: UNCHANGED},
    Decision.PIN: {V: UNCHANGED},
    Decision.UNPIN: {V: UNCHANGED, HI: UNCHANGED},
}
STATE_WORDS = {V: "shown", HE: "awaiting review", HI: "hidden", R: "removed"}


@pytest.mark.parametrize("state", list(ContentState))
@pytest.mark.parametrize("action", list(MOVES))
def test_content_move_for_every_state(action: Decision, state: ContentState) -> None:
    expected = MOVES[action].get(state)
    if expected is None:
        with pytest.raises(ValueError, match=STATE_WORDS[state]) as refused:
            content_move(action, state)
        assert f"'{action.value}'" in str(refused.value)
    else:
        assert content_move(action, state) == (None if expected == UNCHANGED else expected)


def test_content_moves_cover_every_content_decision() -> None:
    assert {a.value for a in MOVES} == CONTENT


@pytest.mark.parametrize("pinned", [False, True])
@pytest.mark.parametrize("locked", [False, True])
def test_thread_move(locked: bool, pinned: bool) -> None:
    expected = {
        Decision.LOCK: "already locked" if locked else None,
        Decision.UNLOCK: None if locked else "not locked",
        Decision.PIN: "already pinned" if pinned else None,
        Decision.UNPIN: None if pinned else "not pinned",
    }
    for action, words in expected.items():
        problem = thread_move(action, locked=locked, pinned=pinned)
        if words is None:
            assert problem is None, action
        else:
            assert problem is not None and words in problem, action
    for action in (Decision.HIDE, Decision.EDIT, Decision.DISMISS, Decision.APPROVE):
        assert thread_move(action, locked=locked, pinned=pinned) is None


P = FlagReason


@pytest.mark.parametrize(
    ("reasons", "held", "personal_hold", "expected"),
    [
        ([P.PERSONAL_DATA], False, False, 0),
        ([P.SPAM, P.PERSONAL_DATA, P.OTHER], False, False, 0),
        ([], True, True, 0),  # held by the pupil-data filter
        ([P.OFF_TOPIC], False, True, 0),
        ([P.CHARTER], False, False, 1),
        ([P.INAPPROPRIATE], False, False, 1),
        ([P.INAPPROPRIATE, P.SPAM], True, False, 1),
        ([P.SPAM], False, False, 2),
        ([], True, False, 2),  # held by pre-moderation or a hold word
        ([P.OTHER], True, False, 2),
        ([P.OFF_TOPIC], False, False, 3),
        ([P.OTHER], False, False, 3),
        ([P.WATCHED_WORD], False, False, 3),
        ([], False, False, 3),
    ],
)
def test_severity(reasons: list[FlagReason], held: bool, personal_hold: bool, expected: int) -> None:
    assert severity(reasons, held=held, personal_data_hold=personal_hold) == expected


def test_severity_orders_personal_data_first() -> None:
    items = {
        "off topic": severity([P.OFF_TOPIC], held=False),
        "held": severity([], held=True),
        "charter": severity([P.CHARTER], held=False),
        "pupil data": severity([P.PERSONAL_DATA], held=False),
        "spam": severity(iter([P.SPAM]), held=False),  # any iterable of reasons
    }
    ranked = sorted(items, key=lambda name: items[name])
    assert ranked[0] == "pupil data"
    assert ranked[1] == "charter"
    assert set(ranked[2:4]) == {"held", "spam"}
    assert ranked[-1] == "off topic"


NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
APPEALABLE = {"hide", "remove", "edit", "lock", "mute", "suspend", "ban"}


def refusal(**overrides: object) -> str | None:
    facts: dict[str, object] = {
        "action": Decision.HIDE,
        "subject_id": 7,
        "person_id": 7,
        "decided_at": NOW - timedelta(days=1),
        "now": NOW,
        "already_appealed": False,
    } | overrides
    return appeal_refusal(**facts)  # type: ignore[arg-type]


@pytest.mark.parametrize("action", list(Decision))
def test_which_decisions_can_be_appealed(action: Decision) -> None:
    problem = refusal(action=action)
    if action.value in APPEALABLE:
        assert problem is None
    else:
        assert problem is not None and "cannot be appealed" in problem and action.value in problem


def test_only_the_subject_appeals() -> None:
    assert "Only the person a decision concerns" in (refusal(person_id=8) or "")
    assert "Only the person a decision concerns" in (refusal(subject_id=None) or "")
    # not being the subject is said first, whatever else is wrong
    assert "Only the person" in (refusal(person_id=8, action=Decision.PIN, already_appealed=True) or "")


def test_an_appeal_is_made_once() -> None:
    assert "already been appealed" in (refusal(already_appealed=True) or "")
    assert "cannot be appealed" in (refusal(already_appealed=True, action=Decision.PIN) or "")


@pytest.mark.parametrize(
    ("age", "allowed"),
    [
        (timedelta(0), True),
        (timedelta(days=13, hours=23), True),
        (timedelta(days=14), True),  # the last moment of the window
        (timedelta(days=14, seconds=1), False),
        (timedelta(days=30), False),
    ],
)
def test_the_fourteen_day_window(age: timedelta, allowed: bool) -> None:
    problem = refusal(decided_at=NOW - age)
    if allowed:
        assert problem is None
    else:
        assert problem is not None and "within 14 days" in problem


def decider(**overrides: object) -> str | None:
    facts: dict[str, object] = {
        "person_id": 2,
        "is_lead": True,
        "is_admin": False,
        "acted_by": 1,
        "to_admin": False,
    } | overrides
    return appeal_decider_refusal(**facts)  # type: ignore[arg-type]


def test_the_acting_lead_never_decides() -> None:
    for is_admin in (False, True):
        for to_admin in (False, True):
            problem = decider(person_id=1, is_admin=is_admin, to_admin=to_admin)
            assert problem is not None and "cannot decide its appeal" in problem


def test_another_lead_decides_unless_it_went_to_an_admin() -> None:
    assert decider() is None
    assert "platform admin decides" in (decider(to_admin=True) or "")
    assert "Only another lead" in (decider(is_lead=False) or "")


def test_a_platform_admin_decides_any_appeal_but_their_own_decision() -> None:
    assert decider(is_lead=False, is_admin=True, to_admin=True) is None
    assert decider(is_lead=False, is_admin=True, to_admin=False) is None
    assert decider(is_lead=False, is_admin=True, acted_by=None) is None


@pytest.mark.parametrize(
    ("by_admin", "name_leads", "name", "shown"),
    [
        (False, False, "Ada Lead", "A network lead"),
        (False, True, "Ada Lead", "Ada Lead"),
        (False, True, None, "A network lead"),  # the lead's account is gone
        (False, False, None, "A network lead"),
        (True, False, "Pat Admin", "Pat Admin (platform admin)"),  # admins are always named
        (True, True, "Pat Admin", "Pat Admin (platform admin)"),
        (True, False, None, "A platform admin"),
    ],
)
def test_log_actor(by_admin: bool, name_leads: bool, name: str | None, shown: str) -> None:
    assert log_actor(by_admin=by_admin, name_leads=name_leads, actor_name=name) == shown
