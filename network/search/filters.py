"""A search's filters and sort, read from query parameters (the page's links, the API, a saved search).

Pure: values are checked here, and each bad one named in an `Invalid` (422) with a sentence; which
network a slug names, and whether the searcher may read it, is the service's question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from network.enums import EvidenceStrength, Phase, PostKind, RequestStatus
from network.errors import Invalid

MAX_THEME = 80


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class SearchFilters:
    network: str | None = None  # a network's slug
    kind: PostKind | None = None
    theme: str | None = None
    phase: Phase | None = None
    evidence: EvidenceStrength | None = None
    status: RequestStatus | None = None
    organisation: int | None = None
    since: date | None = None
    until: date | None = None
    sort: Sort = Sort.RELEVANCE

    def params(self) -> dict[str, str]:
        """The filters as query parameters (only those set): links and saved searches carry these."""
        out: dict[str, str] = {}
        for name, value in asdict(self).items():
            if value is None or (name == "sort" and value == Sort.RELEVANCE):
                continue
            out[name] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    def with_(self, **changes: Any) -> SearchFilters:
        return replace(self, **changes)

    @property
    def narrowing(self) -> bool:
        """Any filter beyond the sort."""
        return any(k != "sort" for k in self.params())


NAMES = ("network", "kind", "theme", "phase", "evidence", "status", "organisation", "since", "until", "sort")

_CHOICES: dict[str, tuple[type[StrEnum], str]] = {
    "kind": (PostKind, "Choose practices or requests."),
    "phase": (Phase, "Choose one of the phases listed."),
    "evidence": (EvidenceStrength, "Choose one of the evidence strengths listed."),
    "status": (RequestStatus, "Choose one of the request statuses listed."),
    "sort": (Sort, "Sort by relevance or newest."),
}


def read(params: Mapping[str, Any]) -> SearchFilters:
    """Filters from query parameters (blank means unset); Invalid naming every bad one."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in NAMES:
        raw = params.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        if name in _CHOICES:
            choices, message = _CHOICES[name]
            try:
                values[name] = choices(text)
            except ValueError:
                errors[name] = message
        elif name in ("since", "until"):
            try:
                values[name] = date.fromisoformat(text)
            except ValueError:
                errors[name] = "Give a date as YYYY-MM-DD."
        elif name == "organisation":
            if text.isdigit() and 0 < int(text) < 2**53:
                values[name] = int(text)
            else:
                errors[name] = "Choose an organisation from the results."
        elif name == "theme":
            if len(text) > MAX_THEME or any(ord(c) < 32 for c in text):
                errors[name] = f"A theme is at most {MAX_THEME} characters."
            else:
                values[name] = text
        else:
            if len(text) > 100 or any(ord(c) < 32 for c in text):
                errors[name] = "Choose one of the networks you can read."
            else:
                values[name] = text
    found = SearchFilters(**values)
    if found.since and found.until and found.since > found.until:
        errors["until"] = "The end date comes before the start date."
    if errors:
        raise Invalid(next(iter(errors.values())), fields=errors)
    return found
