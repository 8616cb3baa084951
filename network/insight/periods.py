"""The periods insight is read over: an English school's academic year ("2026-27": 1 September 2026 to
31 August 2027), a term of it, or any span of dates. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from network.errors import Invalid

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
# the terms of an English school year, as most schools keep them (a trust's own dates vary by days)
TERMS = {"autumn": ((9, 1), (12, 31)), "spring": ((1, 1), (3, 31)), "summer": ((4, 1), (8, 31))}


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` to `end`, both days included; `name` as a person reads it."""

    start: date
    end: date
    name: str

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(), UTC)

    @property
    def until(self) -> datetime:
        """The first instant after the period (for `created_at < until`)."""
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def academic_year(text: str) -> Period:
    """ "2026-27" → 1 September 2026 to 31 August 2027. Refuses what is not one year and the next."""
    found = _YEAR.match(text.strip())
    if found is None:
        raise Invalid("Give an academic year as 2026-27.", fields={"period": "Not a year such as 2026-27."})
    first = int(found.group(1))
    if (first + 1) % 100 != int(found.group(2)):
        raise Invalid("An academic year runs into the next one, as 2026-27.", fields={"period": "Not consecutive."})
    return Period(date(first, 9, 1), date(first + 1, 8, 31), f"{first}-{found.group(2)}")


def term(year: Period, name: str) -> Period:
    """One term of an academic year: autumn, spring or summer."""
    if name not in TERMS:
        raise Invalid("Choose autumn, spring or summer.", fields={"term": "Not a term."})
    (m1, d1), (m2, d2) = TERMS[name]
    calendar_year = year.start.year if name == "autumn" else year.end.year
    return Period(date(calendar_year, m1, d1), date(calendar_year, m2, d2), f"{name} term {year.name}")


def year_of(day: date) -> Period:
    """The academic year a day falls in."""
    first = day.year if day.month >= 9 else day.year - 1
    return academic_year(f"{first}-{(first + 1) % 100:02d}")


def between(start: date, end: date) -> Period:
    if end < start:
        raise Invalid("The end comes before the start.", fields={"until": "Before the start."})
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")
