"""The pure rules of an engagement (network/engagements/rules.py): states, who may do what in the space,
the listing, the summary sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from network.engagements import rules
from network.engagements.rules import Standing
from network.enums import ClosedAs, EngagementState, OutcomeEvidence, Side
from network.errors import Conflict, Forbidden, NotFound


@dataclass
class Row:
    id: int = 7
    state: EngagementState = EngagementState.PROPOSED
    version: int = 1
    requester_agreed_version: int | None = None
    offerer_agreed_version: int | None = None
    requester_unlisted: bool = False
    offerer_unlisted: bool = False
    activated_at: datetime | None = None


NAMED = Standing(Side.REQUESTER, may_act=True)
READ_ONLY = Standing(Side.OFFERER, may_act=False)
ADMIN = Standing(None, reviewing=True)
NOBODY = Standing(None)


def test_only_the_named_and_a_reviewing_admin_read_and_anyone_else_finds_nothing() -> None:
    row = Row()
    assert rules.read_refusal(row, NAMED) is None and rules.read_refusal(row, ADMIN) is None
    refused = rules.read_refusal(row, NOBODY)
    assert isinstance(refused, NotFound) and refused.message == "No engagement 7."
    for ask in (rules.edit_refusal, rules.agree_refusal, rules.message_refusal, rules.stop_refusal):
        assert isinstance(ask(row, NOBODY), NotFound)
        assert isinstance(ask(row, ADMIN), Forbidden)  # reviews, never writes
        assert isinstance(ask(row, READ_ONLY), Forbidden)  # muted or unverified: reads only


def test_both_sides_agree_one_version_then_it_is_active() -> None:
    row = Row()
    assert rules.agree_refusal(row, NAMED) is None
    row.requester_agreed_version = 1
    assert isinstance(rules.agree_refusal(row, NAMED), Conflict)
    assert not rules.both_agreed(row)
    row.offerer_agreed_version = 1
    assert rules.both_agreed(row)
    row.version = 2  # an edit since: agreed again
    assert not rules.both_agreed(row)
    assert isinstance(rules.stale_refusal(row, 1), Conflict) and rules.stale_refusal(row, 2) is None


def test_check_ins_and_outcomes_while_active_outcomes_once_follow_ups_once_closed() -> None:
    row = Row()
    assert isinstance(rules.check_in_refusal(row, NAMED), Conflict)
    assert isinstance(rules.outcome_refusal(row, NAMED, written=False), Conflict)
    row.state = EngagementState.ACTIVE
    assert rules.check_in_refusal(row, NAMED) is None
    assert rules.outcome_refusal(row, NAMED, written=False) is None
    assert isinstance(rules.outcome_refusal(row, NAMED, written=True), Conflict)
    assert isinstance(rules.follow_up_refusal(row, NAMED, answered=False), Conflict)
    row.state = EngagementState.CLOSED
    assert rules.follow_up_refusal(row, NAMED, answered=False) is None
    assert isinstance(rules.follow_up_refusal(row, NAMED, answered=True), Conflict)
    assert isinstance(rules.edit_refusal(row, NAMED), Conflict) and isinstance(rules.stop_refusal(row, NAMED), Conflict)


def test_an_outcome_is_shared_by_its_own_side_once() -> None:
    row = Row(state=EngagementState.CLOSED)
    assert rules.share_refusal(row, NAMED, Side.REQUESTER, outcome=True, practice_id=None) is None
    assert isinstance(rules.share_refusal(row, NAMED, Side.OFFERER, outcome=True, practice_id=None), Forbidden)
    assert isinstance(rules.share_refusal(row, NAMED, Side.REQUESTER, outcome=False, practice_id=None), Conflict)
    twice = rules.share_refusal(row, NAMED, Side.REQUESTER, outcome=True, practice_id=41)
    assert isinstance(twice, Conflict) and "41" in twice.message
    assert OutcomeEvidence.NONE_YET.for_practice is None
    assert OutcomeEvidence.COMPARISON.for_practice is not None


def test_listed_once_active_unless_both_sides_keep_it_unlisted() -> None:
    row = Row()
    assert not rules.listed(row)  # proposed
    row.state, row.activated_at = EngagementState.ACTIVE, datetime(2026, 1, 5, tzinfo=UTC)
    assert rules.listed(row)
    row.requester_unlisted = True
    assert rules.listed(row)
    row.offerer_unlisted = True
    assert not rules.listed(row)
    never_began = Row(state=EngagementState.CLOSED)
    assert not rules.listed(never_began)


def test_the_summary_sentence_and_the_follow_up_date() -> None:
    active = rules.summary_sentence("Cobalt Vale Academies", "Brightwater", "behaviour", EngagementState.ACTIVE, None)
    assert active == "Cobalt Vale Academies and Brightwater are working together on “behaviour”."
    stopped = rules.summary_sentence("A", "B", "t", EngagementState.CLOSED, ClosedAs.STOPPED_EARLY)
    assert stopped == "A and B worked together on “t” (stopped early)."
    assert rules.follow_up_due(date(2026, 1, 1), 12) == date(2026, 3, 26)
    assert rules.dates_problem(date(2026, 2, 1), date(2026, 1, 1)) is not None
    assert rules.dates_problem(date(2026, 1, 1), None) is None
