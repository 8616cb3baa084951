"""What readers see of adoption records, and what callers send: one shape for the API, the pages and
the events (an event carries the view a fresh GET returns)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from network import markdown
from network.adoption.models import Adoption
from network.adoption.rules import AdoptionResult, ReportEvidence, SizeBand, Summary
from network.enums import ContentState, Phase
from network.inputs import Input
from network.views import OrganisationView, PersonRef, organisation_view, person_ref

Setting = Annotated[str, msgspec.Meta(max_length=500)]
Text = Annotated[str, msgspec.Meta(max_length=10_000)]


class AdoptionInput(Input):
    """Recording that one's organisation is trying a practice: its context, what it adapted, when it began."""

    phase: Phase
    size_band: SizeBand
    started_on: date
    setting: Setting = ""
    adapted: Text = ""


class AdoptionEdit(Input, omit_defaults=True):
    """A partial change to a record: absent fields keep their value."""

    phase: Phase | msgspec.UnsetType = msgspec.UNSET
    size_band: SizeBand | msgspec.UnsetType = msgspec.UNSET
    started_on: date | msgspec.UnsetType = msgspec.UNSET
    setting: Setting | msgspec.UnsetType = msgspec.UNSET
    adapted: Text | msgspec.UnsetType = msgspec.UNSET


class ReportInput(Input):
    """Did it work for you, how do you know, what would you tell the next trust?"""

    result: AdoptionResult
    evidence_strength: ReportEvidence
    how_we_know: Text = ""
    advice: Text = ""


class ReportView(msgspec.Struct):
    result: AdoptionResult
    evidence_strength: ReportEvidence
    how_we_know: str
    advice: str
    advice_html: str
    reported_at: datetime
    reported_by: int | None


class AdoptionView(msgspec.Struct):
    id: int
    post_id: int
    organisation: OrganisationView
    recorded_by: PersonRef
    phase: Phase
    setting: str
    size_band: SizeBand
    adapted: str
    started_on: date
    report_due_on: date
    state: ContentState
    revision: int
    created_at: datetime
    edited_at: datetime | None
    report: ReportView | None = None


class AdoptionList(msgspec.Struct):
    """A practice's adoption records as the reader may see them, and the summary of the shown ones."""

    summary: Summary
    items: list[AdoptionView]


class AdoptionRevisionView(msgspec.Struct):
    revision: int
    editor_id: int | None
    created_at: datetime
    content: dict[str, object]


# the fields of a record (and its report) that its people write, kept with each revision
TEXT_FIELDS = ("setting", "adapted", "how_we_know", "advice")


def adoption_view(adoption: Adoption) -> AdoptionView:
    removed = adoption.state is ContentState.REMOVED  # removed (often for personal data): its text goes
    report = None
    if adoption.result is not None and adoption.evidence_strength is not None and adoption.reported_at is not None:
        report = ReportView(
            result=adoption.result,
            evidence_strength=adoption.evidence_strength,
            how_we_know="" if removed else adoption.how_we_know,
            advice="" if removed else adoption.advice,
            advice_html="" if removed else markdown.render(adoption.advice),
            reported_at=adoption.reported_at,
            reported_by=adoption.reported_by_id,
        )
    return AdoptionView(
        id=adoption.id,
        post_id=adoption.post_id,
        organisation=organisation_view(adoption.organisation),
        recorded_by=person_ref(adoption.person),
        phase=adoption.phase,
        setting="" if removed else adoption.setting,
        size_band=adoption.size_band,
        adapted="" if removed else adoption.adapted,
        started_on=adoption.started_on,
        report_due_on=adoption.report_due_on,
        state=adoption.state,
        revision=adoption.revision,
        created_at=adoption.created_at,
        edited_at=adoption.edited_at,
        report=report,
    )
