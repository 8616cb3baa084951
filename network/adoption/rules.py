"""Adoption records' pure rules: their vocabularies, who may record, update and report one, who may
see one, when the report is due, and the summary a practice page shows (docs/design.md §3.13).

No I/O: the service (`network.adoption.service`) loads the facts and asks these functions, and the
pages ask the same ones before they offer a form.

The summary counts organisations, in words: "Tried in 6 organisations: 4 report improvement (2 with
internal data), 1 no change, 1 too early to say." Never a score, a rank or a grade (docs/design.md §4:
insight about organisations is written, never scored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import msgspec

from network.access import Access
from network.content import posts
from network.enums import ContentState, PostKind
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal
from network.models import Post
from network.permissions import Action


class SizeBand(StrEnum):
    """How big the trying organisation is, by the number of schools it runs or oversees."""

    SMALL = "small"  # 1 to 5 schools (a single-academy trust is small)
    MEDIUM = "medium"  # 6 to 15
    LARGE = "large"  # 16 to 30
    VERY_LARGE = "very_large"  # 31 or more


SIZE_BANDS = {
    SizeBand.SMALL: "small (1 to 5 schools)",
    SizeBand.MEDIUM: "medium (6 to 15 schools)",
    SizeBand.LARGE: "large (16 to 30 schools)",
    SizeBand.VERY_LARGE: "very large (31 or more schools)",
}


def band_for(schools: int) -> SizeBand:
    """The band of an organisation with this many schools."""
    if schools <= 5:
        return SizeBand.SMALL
    if schools <= 15:
        return SizeBand.MEDIUM
    if schools <= 30:
        return SizeBand.LARGE
    return SizeBand.VERY_LARGE


class AdoptionResult(StrEnum):
    """Did it work for you?"""

    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSE = "worse"
    TOO_EARLY = "too_early"


class ReportEvidence(StrEnum):
    """How do you know? A practice's evidence scale, with a step below it."""

    NONE_YET = "none_yet"
    ANECDOTAL = "anecdotal"
    INTERNAL_DATA = "internal_data"
    COMPARISON = "comparison"
    EXTERNAL_EVALUATION = "external_evaluation"


RESULT_WORDS = {
    AdoptionResult.IMPROVED: "improvement",
    AdoptionResult.NO_CHANGE: "no change",
    AdoptionResult.WORSE: "worse",
    AdoptionResult.TOO_EARLY: "too early to say",
}
EVIDENCE_WORDS = {
    ReportEvidence.NONE_YET: "no evidence yet",
    ReportEvidence.ANECDOTAL: "anecdotal (what staff and pupils say)",
    ReportEvidence.INTERNAL_DATA: "internal data (our own data, before and after)",
    ReportEvidence.COMPARISON: "a comparison (with similar schools or pupils)",
    ReportEvidence.EXTERNAL_EVALUATION: "an external evaluation",
}

DEFAULT_FOLLOW_UP_WEEKS = 8
# a record made after its follow-up date has passed is asked about a week after it was made, not at once
LATE_GRACE = timedelta(days=7)


def report_due_on(started_on: date, recorded_on: date, weeks: int) -> date:
    """When the organisation is asked how it went: `weeks` after it started, and never sooner than a
    week after it recorded the adoption (it can report earlier, unasked)."""
    return max(started_on + timedelta(weeks=weeks), recorded_on + LATE_GRACE)


def started_refusal(started_on: date, today: date) -> Refusal:
    if started_on > today:
        return Invalid(
            "Record an adoption once you have started; the start date is in the future.",
            fields={"started_on": "Not after today."},
        )
    return None


def record_refusal(access: Access, post: Post, *, existing_id: int | None = None) -> Refusal:
    """Whether the asker may record that their organisation is trying this practice: a reader who may
    contribute, on a shown practice of another organisation, while their organisation has no record of
    it yet (`existing_id`: that record, which its people update instead)."""
    refusal = posts.read_refusal(access, post) or access.refusal(Action.CONTRIBUTE)
    if refusal is not None:
        return refusal
    assert access.person is not None
    if post.kind is not PostKind.PRACTICE:
        return Invalid("Adoptions are recorded on practices, not requests.", fields={"post": "Not a practice."})
    if post.state is not ContentState.VISIBLE:
        return Forbidden("This practice is not shown to members, so no adoption can be recorded on it.")
    if access.person.organisation_id == post.organisation_id:
        return Forbidden("Adoptions are recorded by other organisations; this practice is your own organisation's.")
    if existing_id is not None:
        return Conflict(
            f"Your organisation has already recorded trying this practice (adoption {existing_id}); "
            "update that record instead.",
            fields={"adoption": str(existing_id)},
        )
    return None


@dataclass(frozen=True, slots=True)
class Record:
    """What the rules need of one adoption record."""

    id: int
    organisation_id: int
    person_id: int
    state: ContentState


def can_see(access: Access, record: Record) -> bool:
    """A shown record is for the practice's readers; the leads see every record but a removed one's text;
    its organisation's people see their own hidden or held one (as a reply's author sees theirs)."""
    if record.state is ContentState.VISIBLE or access.can(Action.MODERATE):
        return True
    ours = access.person is not None and access.person.organisation_id == record.organisation_id
    return ours and record.state in (ContentState.HIDDEN, ContentState.HELD)


def change_refusal(access: Access, record: Record) -> Refusal:
    """Whether the asker may update the record or write (and edit) its report: one of its organisation's
    people who may contribute, while no lead has hidden or removed it."""
    if not can_see(access, record):
        return NotFound(f"No adoption {record.id}.")
    refusal = access.refusal(Action.CONTRIBUTE)
    if refusal is not None:
        return refusal
    assert access.person is not None
    if access.person.organisation_id != record.organisation_id:
        return Forbidden("Only the people of the organisation that recorded this adoption may change it.")
    if record.state in (ContentState.HIDDEN, ContentState.REMOVED):
        return Forbidden("A lead has taken this record out of view; it cannot be changed.")
    return None


# ---- the summary -------------------------------------------------------------------------------------------


class Counts(msgspec.Struct):
    """How many organisations report what; `improved_with` counts the improvements by the evidence
    behind them (only data-backed evidence: internal data, a comparison, an external evaluation)."""

    tried: int = 0
    improved: int = 0
    no_change: int = 0
    worse: int = 0
    too_early: int = 0
    not_reported: int = 0
    improved_with: dict[str, int] = msgspec.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reported:
    """One shown record as the summary counts it."""

    result: AdoptionResult | None
    evidence: ReportEvidence | None


DATA_BACKED = (ReportEvidence.INTERNAL_DATA, ReportEvidence.COMPARISON, ReportEvidence.EXTERNAL_EVALUATION)
_WITH = {
    ReportEvidence.INTERNAL_DATA: "with internal data",
    ReportEvidence.COMPARISON: "with a comparison",
    ReportEvidence.EXTERNAL_EVALUATION: "externally evaluated",
}


def count(records: Iterable[Reported]) -> Counts:
    counts = Counts()
    with_evidence: dict[str, int] = {}
    for record in records:
        counts.tried += 1
        if record.result is None:
            counts.not_reported += 1
            continue
        name = record.result.value
        setattr(counts, name, getattr(counts, name) + 1)
        if record.result is AdoptionResult.IMPROVED and record.evidence in DATA_BACKED:
            assert record.evidence is not None
            with_evidence[record.evidence.value] = with_evidence.get(record.evidence.value, 0) + 1
    counts.improved_with = {e.value: with_evidence[e.value] for e in DATA_BACKED if e.value in with_evidence}
    return counts


def _report(n: int) -> str:
    return "reports" if n == 1 else "report"


def sentence(counts: Counts) -> str:
    """The counts in one sentence, saying nothing of what is empty."""
    if counts.tried == 0:
        return "No other organisation has recorded trying this yet."
    orgs = "organisation" if counts.tried == 1 else "organisations"
    parts: list[str] = []
    if counts.improved:
        part = f"{counts.improved} {_report(counts.improved)} improvement"
        backed = [f"{n} {_WITH[ReportEvidence(e)]}" for e, n in counts.improved_with.items()]
        if backed:
            part += f" ({', '.join(backed)})"
        parts.append(part)
    if counts.no_change:
        parts.append(f"{counts.no_change} no change")
    if counts.worse:
        parts.append(f"{counts.worse} {_report(counts.worse)} things worse")
    if counts.too_early:
        parts.append(f"{counts.too_early} too early to say")
    if counts.not_reported:
        parts.append(f"{counts.not_reported} not reported yet")
    return f"Tried in {counts.tried} {orgs}: {', '.join(parts)}."


class Summary(msgspec.Struct):
    counts: Counts
    sentence: str


def summarise(records: Iterable[Reported]) -> Summary:
    counts = count(records)
    return Summary(counts, sentence(counts))
