"""Academic years, terms and spans of dates (network/insight/periods.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from network.errors import Invalid
from network.insight import periods


def test_an_academic_year_runs_from_september_to_august() -> None:
    year = periods.academic_year("2026-27")
    assert (year.start, year.end, year.name) == (date(2026, 9, 1), date(2027, 8, 31), "2026-27")
    assert year.since == datetime(2026, 9, 1, tzinfo=UTC) and year.until == datetime(2027, 9, 1, tzinfo=UTC)
    assert year.holds(date(2027, 8, 31)) and not year.holds(date(2027, 9, 1))
    assert periods.academic_year("1999-00").end == date(2000, 8, 31)


@pytest.mark.parametrize("text", ["2026", "2026-28", "26-27", "2026/27", "", "2026-2027"])
def test_what_is_not_one_year_and_the_next_is_refused(text: str) -> None:
    with pytest.raises(Invalid):
        periods.academic_year(text)


def test_terms_and_the_year_of_a_day() -> None:
    year = periods.academic_year("2026-27")
    assert periods.term(year, "autumn").start == date(2026, 9, 1)
    assert periods.term(year, "spring").end == date(2027, 3, 31)
    assert periods.term(year, "summer").name == "summer term 2026-27"
    with pytest.raises(Invalid):
        periods.term(year, "winter")
    assert periods.year_of(date(2026, 12, 8)).name == "2026-27"
    assert periods.year_of(date(2026, 8, 31)).name == "2025-26"
    with pytest.raises(Invalid):
        periods.between(date(2026, 2, 1), date(2026, 1, 1))
