"""Adoption records in the demo: one practice tried by five organisations, with reports of different
results, so its page's "Tried elsewhere" section reads as it would after a year of use (docs/design.md
§3.13).

The practice is the attendance network's first-day calling routine (Kestrel Moor Academy Trust). Each
record goes through the adoption service as a member's request would, so its events and the practice
author's notifications are the real ones. Brightwater, the demo account's trust, has no record: the demo
user can record one. Every organisation, school and figure is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.access import access_to
from network.adoption import rules, service
from network.adoption.rules import AdoptionResult, ReportEvidence, SizeBand
from network.adoption.views import AdoptionInput, ReportInput
from network.enums import Phase
from network.models import Network, Person, Post

NETWORK = "attendance"
PRACTICE = "First-day calling with a home visit on the third day"


@dataclass(frozen=True)
class DemoReport:
    result: AdoptionResult
    evidence: ReportEvidence
    how_we_know: str
    advice: str
    days_ago: int  # when it was written


@dataclass(frozen=True)
class DemoAdoption:
    person: str  # person key (demo_content.PEOPLE); their organisation is the one trying it
    phase: Phase
    size_band: SizeBand
    setting: str
    adapted: str
    started_days_ago: int
    recorded_days_ago: int
    report: DemoReport | None = None


ADOPTIONS: tuple[DemoAdoption, ...] = (
    DemoAdoption(
        person="lfenwick",
        phase=Phase.SECONDARY,
        size_band=SizeBand.MEDIUM,
        setting="Four secondaries in former pit towns, two with persistent absence above 25%.",
        adapted=(
            "Kept the first-day call and the day-three visit, but moved the call to 9.15am and gave it to "
            "each year team's non-teaching pastoral lead rather than the attendance officer."
        ),
        started_days_ago=300,
        recorded_days_ago=290,
        report=DemoReport(
            result=AdoptionResult.IMPROVED,
            evidence=ReportEvidence.INTERNAL_DATA,
            how_we_know=(
                "Persistent absence across the four secondaries fell from 27% to 21% over the year, "
                "from our own weekly attendance returns."
            ),
            advice=(
                "Protect the first hour of the day for whoever makes the calls. The routine only worked "
                "once nobody covering a lesson was expected to make them."
            ),
            days_ago=40,
        ),
    ),
    DemoAdoption(
        person="hgrant",
        phase=Phase.PRIMARY,
        size_band=SizeBand.VERY_LARGE,
        setting="Maintained primaries across a county, many of them small and rural.",
        adapted=(
            "Offered it to maintained schools through the attendance hub: schools make the first two calls, "
            "and the hub's family workers make the day-three visit where a school has no pastoral team."
        ),
        started_days_ago=260,
        recorded_days_ago=250,
        report=DemoReport(
            result=AdoptionResult.IMPROVED,
            evidence=ReportEvidence.COMPARISON,
            how_we_know=(
                "The 38 schools that took it up cut persistent absence by four points in the year; the "
                "county's other maintained primaries fell by one point."
            ),
            advice=(
                "Agree with schools who visits before the first absence, not after it. Small schools "
                "welcomed the visits most when the same family worker came each time."
            ),
            days_ago=30,
        ),
    ),
    DemoAdoption(
        person="jdarby",
        phase=Phase.PRIMARY,
        size_band=SizeBand.SMALL,
        setting="Two primaries in one London borough, with a shared office team.",
        adapted="First-day calls only; the home visit happens where the family support worker has capacity.",
        started_days_ago=220,
        recorded_days_ago=210,
        report=DemoReport(
            result=AdoptionResult.NO_CHANGE,
            evidence=ReportEvidence.INTERNAL_DATA,
            how_we_know=(
                "Attendance was at 95.1% before and 95.0% after two terms; our absence was already mostly "
                "a few families we knew well."
            ),
            advice=(
                "If your absence sits with a handful of families you already work with, the routine adds "
                "little: the third-day visit is the part we dropped and probably the part that matters."
            ),
            days_ago=20,
        ),
    ),
    DemoAdoption(
        person="agreen",
        phase=Phase.PRIMARY,
        size_band=SizeBand.MEDIUM,
        setting="Coastal primaries where seasonal work takes families away in the summer term.",
        adapted=(
            "Added a call to families before the summer season begins, and used the day-three visit to "
            "agree dates with parents who work in tourism."
        ),
        started_days_ago=75,
        recorded_days_ago=70,
        report=DemoReport(
            result=AdoptionResult.TOO_EARLY,
            evidence=ReportEvidence.NONE_YET,
            how_we_know="We started in the spring term; the summer term is the one that will tell us.",
            advice="Start before your worst term, not during it, so staff have the routine before they need it.",
            days_ago=5,
        ),
    ),
    DemoAdoption(
        person="opatel",
        phase=Phase.SECONDARY,
        size_band=SizeBand.MEDIUM,
        setting="Three secondaries and an alternative provision in market towns.",
        adapted=(
            "Calls before 9.30am from a central attendance team for all four schools; the alternative "
            "provision makes its visit on the second day."
        ),
        started_days_ago=21,
        recorded_days_ago=18,
    ),
)


async def seed(session: AsyncSession, nets: dict[str, Network], people: dict[str, Person]) -> None:
    network = nets[NETWORK]
    practice = (
        await session.execute(select(Post).where(Post.network_id == network.id, Post.title == PRACTICE))
    ).scalar_one()
    today = clock.now().date()
    for d in ADOPTIONS:
        access = await access_to(session, network, people[d.person])
        record = AdoptionInput(
            phase=d.phase,
            size_band=d.size_band,
            started_on=today - timedelta(days=d.started_days_ago),
            setting=d.setting,
            adapted=d.adapted,
        )
        adoption = await service.record(session, access, practice, record)
        recorded = clock.now() - timedelta(days=d.recorded_days_ago)
        adoption.created_at = adoption.updated_at = recorded
        adoption.report_due_on = rules.report_due_on(
            record.started_on, recorded.date(), network.adoption_follow_up_weeks
        )
        if d.report is not None:
            r = d.report
            data = ReportInput(
                result=r.result, evidence_strength=r.evidence, how_we_know=r.how_we_know, advice=r.advice
            )
            await service.report(session, access, practice, adoption, data)
            adoption.reported_at = clock.now() - timedelta(days=r.days_ago)
    await session.flush()
