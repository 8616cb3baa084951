"""The words the engagement pages show for the domain's values, in the order their forms offer them."""

from __future__ import annotations

from datetime import date

from network.engagements.views import EngagementView
from network.enums import Again, ClosedAs, EngagementState, Lasted, OutcomeEvidence, Side

EVIDENCE: dict[OutcomeEvidence, str] = {
    OutcomeEvidence.NONE_YET: "None yet: too early to know",
    OutcomeEvidence.ANECDOTAL: "Anecdotal: what staff and pupils report",
    OutcomeEvidence.INTERNAL_DATA: "Internal data: our own figures, before and after",
    OutcomeEvidence.COMPARISON: "Comparison: against similar schools or pupils",
    OutcomeEvidence.EXTERNAL_EVALUATION: "External evaluation: evaluated independently",
}
AGAIN: dict[Again, str] = {Again.YES: "Yes", Again.MAYBE: "Maybe", Again.NO: "No"}
LASTED: dict[Lasted, str] = {
    Lasted.YES: "Yes, it lasted",
    Lasted.PARTLY: "Partly",
    Lasted.NO: "No, it did not last",
    Lasted.TOO_EARLY_TO_SAY: "Too early to say",
}
STATE: dict[EngagementState, str] = {
    EngagementState.PROPOSED: "Agreeing the plan",
    EngagementState.ACTIVE: "Active",
    EngagementState.CLOSED: "Closed",
}
CLOSED_AS: dict[ClosedAs, str] = {ClosedAs.COMPLETED: "completed", ClosedAs.STOPPED_EARLY: "stopped early"}


def state_words(view: EngagementView) -> str:
    """ "Active", "Agreeing the plan", "Closed: completed"."""
    words = STATE[view.state]
    if view.closed_as is not None:
        words += f": {CLOSED_AS[view.closed_as]}"
    return words


def organisation_of(view: EngagementView, side: Side | str) -> str:
    """The name of one side's organisation (`side` as the view or a revision's plan says it)."""
    return (view.requesting_organisation if side == Side.REQUESTER else view.offering_organisation).name


def check_in_due(view: EngagementView, today: date) -> bool:
    """An active engagement whose planned check-in has come, and the reader may record one."""
    return bool(
        view.state is EngagementState.ACTIVE
        and view.next_check_in_on is not None
        and view.next_check_in_on <= today
        and view.powers is not None
        and view.powers.check_in
    )


def follow_up_due(view: EngagementView, today: date) -> bool:
    """A closed engagement whose follow-up has come, and the reader's side has not answered."""
    return bool(
        view.follow_up_due_on is not None
        and view.follow_up_due_on <= today
        and view.powers is not None
        and view.powers.follow_up
    )


def waiting_for_me(view: EngagementView) -> bool:
    """The plan waits for the reader's side to agree it."""
    return bool(view.powers is not None and view.powers.agree)
