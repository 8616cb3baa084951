"""An engagement's states, and who may do what in its space: pure rules, no I/O (docs/design.md §3.12).

The callers load the facts (the engagement's row, which side the asker is named on, whether they may
still read and act in the network) and ask these functions, which answer None or the refusal, as
every capability function does (network/errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from network.enums import ClosedAs, EngagementState, Side
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal


class Plan(Protocol):
    """What the rules read of an engagement (its row)."""

    @property
    def id(self) -> int: ...
    @property
    def state(self) -> EngagementState: ...
    @property
    def version(self) -> int: ...
    @property
    def requester_agreed_version(self) -> int | None: ...
    @property
    def offerer_agreed_version(self) -> int | None: ...
    @property
    def requester_unlisted(self) -> bool: ...
    @property
    def offerer_unlisted(self) -> bool: ...
    @property
    def activated_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class Standing:
    """The asker in one engagement: the side they are named on (and still of its organisation, while
    they may read the network), whether they may act (contribute) there, and whether they read it as a
    platform admin while a flag raised in the space is open."""

    side: Side | None
    may_act: bool = False
    reviewing: bool = False  # a platform admin, while a flag in the space is open

    @property
    def reads(self) -> bool:
        return self.side is not None or self.reviewing


def not_found(engagement_id: int) -> NotFound:
    return NotFound(f"No engagement {engagement_id}.")


def read_refusal(plan: Plan, standing: Standing) -> Refusal:
    """Whether the asker may read the space: the named people of either side, a platform admin while a
    flag is open. Anyone else is answered as if it did not exist."""
    return None if standing.reads else not_found(plan.id)


def _act_refusal(plan: Plan, standing: Standing) -> Refusal:
    if not standing.reads:
        return not_found(plan.id)
    if standing.side is None:
        return Forbidden("A platform admin reviews an engagement's space; only its named people write in it.")
    if not standing.may_act:
        return Forbidden("Only a named person who may take part in this network may change this engagement.")
    return None


def edit_refusal(plan: Plan, standing: Standing) -> Refusal:
    """Whether the asker may change the plan: a named person who may act, until it is closed."""
    refusal = _act_refusal(plan, standing)
    if refusal is None and plan.state is EngagementState.CLOSED:
        refusal = Conflict("This engagement is closed; its plan no longer changes.")
    return refusal


def stale_refusal(plan: Plan, version: int) -> Refusal:
    """An edit made from an earlier version of the plan: refused, never written over what came since."""
    if version != plan.version:
        return Conflict(
            f"The plan changed while you were editing it (you edited version {version}; it is now version "
            f"{plan.version}). Nothing was saved: compare your text with the current plan and save again."
        )
    return None


def agreed_version(plan: Plan, side: Side) -> int | None:
    return plan.requester_agreed_version if side is Side.REQUESTER else plan.offerer_agreed_version


def agree_refusal(plan: Plan, standing: Standing) -> Refusal:
    """Whether the asker's side may agree the current plan: while proposed, once per version."""
    refusal = _act_refusal(plan, standing)
    if refusal is not None:
        return refusal
    assert standing.side is not None
    if plan.state is not EngagementState.PROPOSED:
        return Conflict(f"This engagement is already {plan.state.value}; there is nothing to agree.")
    if agreed_version(plan, standing.side) == plan.version:
        return Conflict("Your side has already agreed this version of the plan.")
    return None


def both_agreed(plan: Plan) -> bool:
    return plan.requester_agreed_version == plan.version == plan.offerer_agreed_version


def message_refusal(plan: Plan, standing: Standing) -> Refusal:
    """Whether the asker may write in the thread: a named person who may act, until it is closed."""
    refusal = _act_refusal(plan, standing)
    if refusal is None and plan.state is EngagementState.CLOSED:
        refusal = Conflict("This engagement is closed; its thread is kept as it was.")
    return refusal


def check_in_refusal(plan: Plan, standing: Standing) -> Refusal:
    """Check-ins record progress against agreed aims: while active."""
    refusal = _act_refusal(plan, standing)
    if refusal is None and plan.state is not EngagementState.ACTIVE:
        refusal = Conflict(
            "Check-ins are recorded while an engagement is active (both sides have agreed the plan)."
            if plan.state is EngagementState.PROPOSED
            else "This engagement is closed."
        )
    return refusal


def outcome_refusal(plan: Plan, standing: Standing, *, written: bool) -> Refusal:
    """Whether the asker's side may write its outcome: while active, once (`written`: it has one)."""
    refusal = _act_refusal(plan, standing)
    if refusal is not None:
        return refusal
    if plan.state is not EngagementState.ACTIVE:
        return Conflict(
            "Outcomes are written once an engagement is active."
            if plan.state is EngagementState.PROPOSED
            else "This engagement is closed."
        )
    if written:
        return Conflict("Your side has already written its outcome.")
    return None


def stop_refusal(plan: Plan, standing: Standing) -> Refusal:
    """Either side may stop an engagement early, with a reason, until it is closed."""
    refusal = _act_refusal(plan, standing)
    if refusal is None and plan.state is EngagementState.CLOSED:
        refusal = Conflict("This engagement is already closed.")
    return refusal


def follow_up_refusal(plan: Plan, standing: Standing, *, answered: bool) -> Refusal:
    """Whether the asker's side may say whether the change lasted: once it is closed, once."""
    refusal = _act_refusal(plan, standing)
    if refusal is not None:
        return refusal
    if plan.state is not EngagementState.CLOSED:
        return Conflict("The follow-up asks after an engagement has closed whether the change lasted.")
    if answered:
        return Conflict("Your side has already answered the follow-up.")
    return None


def share_refusal(plan: Plan, standing: Standing, side: Side, *, outcome: bool, practice_id: int | None) -> Refusal:
    """Whether the asker may share `side`'s outcome as a practice: a named person of that side who may act,
    once the outcome is written, once."""
    refusal = _act_refusal(plan, standing)
    if refusal is not None:
        return refusal
    if standing.side is not side:
        return Forbidden("Only the named people of that side may share its outcome.")
    if not outcome:
        return Conflict("That side has not written its outcome yet.")
    if practice_id is not None:
        return Conflict(f"This outcome is already shared as practice {practice_id}.")
    return None


def flag_refusal(plan: Plan, standing: Standing) -> Refusal:
    """A named person may raise a flag on a message with the platform admins (the network's leads cannot
    read the space)."""
    return _act_refusal(plan, standing)


def people_refusal(plan: Plan, standing: Standing, side: Side) -> Refusal:
    """A named person may name or drop people of their own side only."""
    refusal = edit_refusal(plan, standing)
    if refusal is None and standing.side is not side:
        refusal = Forbidden("You may name or drop people of your own organisation only.")
    return refusal


def listed(plan: Plan) -> bool:
    """Whether the network sees the engagement's summary: unless both sides chose to keep it unlisted,
    once it became active (a proposed engagement is still being worked out, and one stopped before it
    started never was one)."""
    if plan.state is EngagementState.PROPOSED or plan.activated_at is None:
        return False
    return not (plan.requester_unlisted and plan.offerer_unlisted)


def dates_problem(starts_on: date | None, expected_end_on: date | None) -> Invalid | None:
    if starts_on is not None and expected_end_on is not None and expected_end_on < starts_on:
        return Invalid("The expected end comes before the start.", fields={"expected_end_on": "Before the start date."})
    return None


def follow_up_due(closed_on: date, weeks: int) -> date:
    """When each side is asked whether the change lasted: the network's number of weeks after closing."""
    return closed_on + timedelta(weeks=weeks)


def summary_sentence(
    requester: str, offerer: str, title: str, state: EngagementState, closed_as: ClosedAs | None
) -> str:
    """The line the network sees: "Cobalt Vale Academies and Brightwater Learning Partnership are working
    together on “a behaviour curriculum review”."""
    if state is EngagementState.CLOSED:
        how = " (stopped early)" if closed_as is ClosedAs.STOPPED_EARLY else ""
        return f"{requester} and {offerer} worked together on “{title}”{how}."
    if state is EngagementState.PROPOSED:
        return f"{requester} and {offerer} are agreeing a plan to work together on “{title}”."
    return f"{requester} and {offerer} are working together on “{title}”."
