"""The adoption records' pure rules: the summary's counts and sentence (hand-counted), the size bands,
and when a report is due."""

from __future__ import annotations

from datetime import date

import pytest

from network.adoption.rules import (
    AdoptionResult,
    Reported,
    ReportEvidence,
    SizeBand,
    band_for,
    report_due_on,
    started_refusal,
    summarise,
)

UP, N, W, T = AdoptionResult.IMPROVED, AdoptionResult.NO_CHANGE, AdoptionResult.WORSE, AdoptionResult.TOO_EARLY
NONE, ANEC, DATA, COMP, EXT = (
    ReportEvidence.NONE_YET,
    ReportEvidence.ANECDOTAL,
    ReportEvidence.INTERNAL_DATA,
    ReportEvidence.COMPARISON,
    ReportEvidence.EXTERNAL_EVALUATION,
)


def r(result: AdoptionResult | None, evidence: ReportEvidence | None = None) -> Reported:
    return Reported(result, evidence if result else None)


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([], "No other organisation has recorded trying this yet."),
        ([r(None)], "Tried in 1 organisation: 1 not reported yet."),
        ([r(UP, ANEC)], "Tried in 1 organisation: 1 reports improvement."),
        ([r(UP, DATA)], "Tried in 1 organisation: 1 reports improvement (1 with internal data)."),
        (
            [r(UP, DATA), r(UP, DATA), r(UP, ANEC), r(UP, NONE), r(N, DATA), r(T, NONE)],
            "Tried in 6 organisations: 4 report improvement (2 with internal data), 1 no change, 1 too early to say.",
        ),
        ([r(N, ANEC), r(N, COMP)], "Tried in 2 organisations: 2 no change."),
        ([r(W, ANEC)], "Tried in 1 organisation: 1 reports things worse."),
        ([r(W, DATA), r(W, ANEC), r(None)], "Tried in 3 organisations: 2 report things worse, 1 not reported yet."),
        ([r(T), r(T), r(T)], "Tried in 3 organisations: 3 too early to say."),
        (
            [r(UP, EXT), r(UP, COMP), r(UP, DATA), r(UP, COMP)],
            "Tried in 4 organisations: 4 report improvement "
            "(1 with internal data, 2 with a comparison, 1 externally evaluated).",
        ),
        (
            [r(None), r(UP, ANEC), r(N, NONE), r(W, COMP), r(T, ANEC)],
            "Tried in 5 organisations: 1 reports improvement, 1 no change, 1 reports things worse, "
            "1 too early to say, 1 not reported yet.",
        ),
        ([r(None), r(None)], "Tried in 2 organisations: 2 not reported yet."),
        # evidence behind a result other than improvement is not counted in the sentence
        ([r(N, EXT), r(T, DATA)], "Tried in 2 organisations: 1 no change, 1 too early to say."),
    ],
)
def test_the_sentence_counts_in_words(records: list[Reported], expected: str) -> None:
    assert summarise(records).sentence == expected


def test_the_counts_add_up() -> None:
    counts = summarise([r(UP, DATA), r(UP, ANEC), r(N), r(W, COMP), r(T), r(None), r(None)]).counts
    assert counts.tried == 7
    assert (counts.improved, counts.no_change, counts.worse, counts.too_early, counts.not_reported) == (2, 1, 1, 1, 2)
    assert counts.improved_with == {"internal_data": 1}


def test_the_summary_is_never_a_score() -> None:
    """Counts and words only: no field that ranks, grades or averages."""
    fields = set(summarise([r(UP, DATA)]).counts.__struct_fields__)
    assert not fields & {"score", "rank", "grade", "rating", "average", "percent"}


@pytest.mark.parametrize(
    ("schools", "band"),
    [
        (1, SizeBand.SMALL),
        (5, SizeBand.SMALL),
        (6, SizeBand.MEDIUM),
        (15, SizeBand.MEDIUM),
        (16, SizeBand.LARGE),
        (30, SizeBand.LARGE),
        (31, SizeBand.VERY_LARGE),
        (120, SizeBand.VERY_LARGE),
    ],
)
def test_size_bands_by_number_of_schools(schools: int, band: SizeBand) -> None:
    assert band_for(schools) is band


def test_the_report_is_due_weeks_after_starting_and_never_at_once() -> None:
    assert report_due_on(date(2026, 1, 5), date(2026, 1, 20), 8) == date(2026, 3, 2)
    # started long ago: asked a week after recording, not the moment it is recorded
    assert report_due_on(date(2025, 1, 5), date(2026, 1, 20), 8) == date(2026, 1, 27)
    assert report_due_on(date(2026, 1, 19), date(2026, 1, 20), 1) == date(2026, 1, 27)


def test_a_start_in_the_future_is_refused() -> None:
    assert started_refusal(date(2026, 1, 21), date(2026, 1, 20)) is not None
    assert started_refusal(date(2026, 1, 20), date(2026, 1, 20)) is None
