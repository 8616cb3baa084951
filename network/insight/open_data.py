"""Open data for research: a period's aggregate, non-personal counts (docs/open-data.md).

Four tables of counts by category: practices, requests, engagements and adoption reports. No names of
people or organisations, no free text, no ids; a network is named by its slug unless it is hidden, when
its rows are counted under "hidden network". Only shown content is counted (state visible). A count
below the threshold is published as null with `suppressed` true. Insight is never a score, rank or grade:
these are counts of what was shared, nothing more.

`tables` reads; `suppress`, `schema` and `files` are pure.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.adoption.models import Adoption
from network.engagements.models import Engagement, EngagementFollowUp, EngagementOutcome
from network.enums import ContentState, PostKind, Side, Visibility
from network.insight.periods import Period
from network.models import Network, Post

# The threshold of the statistical disclosure control used for published school data: a count
# below 5 could point to a single trust, so it is withheld.
THRESHOLD = 5
HIDDEN_NETWORK = "hidden network"
NONE = "none"  # a category not (yet) given: no evidence stated, no outcome written, no follow-up answered

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # "string", "boolean", "integer or null"
    meaning: str


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    meaning: str
    dimensions: tuple[Column, ...]


NETWORK = Column("network", "string", f'The network\'s slug; "{HIDDEN_NETWORK}" for any hidden network.')
COUNT = Column("count", "integer or null", "How many; null when suppressed.")
SUPPRESSED = Column("suppressed", "boolean", "True when the count is below the threshold and withheld.")

TABLES: tuple[Table, ...] = (
    Table(
        "practices",
        "Practices shared in the period (by when they were posted). A practice with several themes or phases "
        "is counted once in each theme and phase pair, so rows do not add up to the number of practices.",
        (
            NETWORK,
            Column("theme", "string", f'One of the practice\'s themes; "{NONE}" when it gave none.'),
            Column("phase", "string", f'One of the phases it was used in; "{NONE}" when it gave none.'),
            Column("evidence_strength", "string", f'How the sharer knows it worked; "{NONE}" when not stated.'),
        ),
    ),
    Table(
        "requests",
        "Requests for support posted in the period.",
        (
            NETWORK,
            Column("support_type", "string", "The kind of support asked for."),
            Column("status", "string", "Where the request stands now: open, in_discussion, matched or closed."),
            Column("with_engagement", "boolean", "Whether an accepted offer opened an engagement on it."),
        ),
    ),
    Table(
        "engagements",
        "Engagements opened in the period (on requests still shown).",
        (
            NETWORK,
            Column("state", "string", "proposed, active or closed."),
            Column("closed_as", "string", f'completed or stopped_early; "{NONE}" while not closed.'),
            Column("requester_evidence", "string", f'The requesting side\'s outcome evidence; "{NONE}" if unwritten.'),
            Column("offerer_evidence", "string", f'The offering side\'s outcome evidence; "{NONE}" if unwritten.'),
            Column("requester_lasted", "string", f'Requesting side follow-up, did it last; "{NONE}" if not asked.'),
            Column("offerer_lasted", "string", f'Offering side follow-up, did it last; "{NONE}" if not asked.'),
        ),
    ),
    Table(
        "adoption_reports",
        "Reports of trying a shared practice, made in the period (by when they were reported).",
        (
            NETWORK,
            Column("result", "string", "improved, no_change, worse or too_early."),
            Column("evidence_strength", "string", "How the adopter knows: none_yet up to external_evaluation."),
        ),
    ),
)
LEFT_OUT = (
    "Names, email addresses and ids of people and organisations.",
    "Every free text: titles, bodies, outcomes, advice, notes, messages.",
    "Hidden networks' names and slugs (their rows are counted as one network).",
    "Content that is held, hidden or removed; engagements on such requests.",
    "Any count below the threshold (published as null, suppressed true).",
)


def _label(network: Network) -> str:
    return HIDDEN_NETWORK if network.visibility is Visibility.HIDDEN else network.slug


def _value(item: Any) -> str:
    return NONE if item is None else str(getattr(item, "value", item))


async def _networks(session: AsyncSession) -> dict[int, str]:
    return {n.id: _label(n) for n in (await session.scalars(select(Network))).all()}


async def _posts(session: AsyncSession, period: Period, kind: PostKind) -> list[Post]:
    found = await session.scalars(
        select(Post).where(
            Post.kind == kind,
            Post.state == ContentState.VISIBLE,
            Post.created_at >= period.since,
            Post.created_at < period.until,
        )
    )
    return list(found.unique().all())


async def _practices(session: AsyncSession, period: Period, names: dict[int, str]) -> Counter[tuple[Any, ...]]:
    counts: Counter[tuple[Any, ...]] = Counter()
    for post in await _posts(session, period, PostKind.PRACTICE):
        for theme in post.themes or [NONE]:
            for phase in post.phases or [NONE]:
                counts[(names[post.network_id], theme, phase, _value(post.evidence_strength))] += 1
    return counts


async def _requests(session: AsyncSession, period: Period, names: dict[int, str]) -> Counter[tuple[Any, ...]]:
    engaged = set((await session.scalars(select(Engagement.request_id))).all())
    return Counter(
        (names[post.network_id], _value(post.support_type), _value(post.status), post.id in engaged)
        for post in await _posts(session, period, PostKind.REQUEST)
    )


async def _engagements(session: AsyncSession, period: Period, names: dict[int, str]) -> Counter[tuple[Any, ...]]:
    rows = await session.execute(
        select(Engagement.id, Engagement.network_id, Engagement.state, Engagement.closed_as)
        .join(Post, Post.id == Engagement.request_id)
        .where(
            Post.state == ContentState.VISIBLE,
            Engagement.created_at >= period.since,
            Engagement.created_at < period.until,
        )
    )
    found = rows.tuples().all()
    ids = [row[0] for row in found]
    evidence: dict[tuple[int, Side], str] = {}
    lasted: dict[tuple[int, Side], str] = {}
    if ids:
        for eid, side, strength in await session.execute(
            select(EngagementOutcome.engagement_id, EngagementOutcome.side, EngagementOutcome.evidence_strength).where(
                EngagementOutcome.engagement_id.in_(ids)
            )
        ):
            evidence[(eid, side)] = _value(strength)
        for eid, side, answer in await session.execute(
            select(EngagementFollowUp.engagement_id, EngagementFollowUp.side, EngagementFollowUp.lasted).where(
                EngagementFollowUp.engagement_id.in_(ids)
            )
        ):
            lasted[(eid, side)] = _value(answer)
    return Counter(
        (
            names[network_id],
            _value(state),
            _value(closed_as),
            evidence.get((eid, Side.REQUESTER), NONE),
            evidence.get((eid, Side.OFFERER), NONE),
            lasted.get((eid, Side.REQUESTER), NONE),
            lasted.get((eid, Side.OFFERER), NONE),
        )
        for eid, network_id, state, closed_as in found
    )


async def _adoptions(session: AsyncSession, period: Period, names: dict[int, str]) -> Counter[tuple[Any, ...]]:
    rows = await session.execute(
        select(Adoption.network_id, Adoption.result, Adoption.evidence_strength)
        .join(Post, Post.id == Adoption.post_id)
        .where(
            Adoption.state == ContentState.VISIBLE,
            Post.state == ContentState.VISIBLE,
            Adoption.result.is_not(None),
            Adoption.reported_at >= period.since,
            Adoption.reported_at < period.until,
        )
    )
    return Counter((names[nid], _value(result), _value(strength)) for nid, result, strength in rows.tuples())


def _rows(table: Table, counts: Counter[tuple[Any, ...]]) -> list[Row]:
    names = [column.name for column in table.dimensions]
    return [dict(zip(names, key, strict=True)) | {"count": n} for key, n in sorted(counts.items(), key=repr)]


async def tables(session: AsyncSession, period: Period) -> dict[str, list[Row]]:
    """Every table's rows with their exact counts (before suppression): categories with none are left out."""
    names = await _networks(session)
    counted = (
        await _practices(session, period, names),
        await _requests(session, period, names),
        await _engagements(session, period, names),
        await _adoptions(session, period, names),
    )
    return {table.name: _rows(table, counts) for table, counts in zip(TABLES, counted, strict=True)}


# columns whose values people typed (a theme is its sharer's own tag): a rare one could name a trust
FREE_FORM = ("theme",)
OTHER = "other"


def suppress(rows: Iterable[Row], threshold: int = THRESHOLD) -> list[Row]:
    """Each row with its count withheld (null, `suppressed` true) when below `threshold`; a withheld row's
    typed values (`FREE_FORM`) are published as "other", so a rare tag is not published by its row."""
    out = []
    for row in rows:
        if row["count"] >= threshold:
            out.append(row | {"suppressed": False})
            continue
        typed = {name: OTHER for name in FREE_FORM if row.get(name, NONE) != NONE}
        out.append(row | typed | {"count": None, "suppressed": True})
    return out


def total(rows: Iterable[Row], threshold: int = THRESHOLD) -> int | None:
    """The table's total from the exact counts, published only when it is at least `threshold` and the
    suppressed cells together are none or at least `threshold` (else the total, less the cells shown,
    would give a suppressed count away)."""
    counts = [row["count"] for row in rows]
    hidden = sum(n for n in counts if n < threshold)
    whole = sum(counts)
    return whole if whole >= threshold and (hidden == 0 or hidden >= threshold) else None


def schema(period: Period, threshold: int = THRESHOLD) -> dict[str, Any]:
    """What the files hold: the period, the threshold, each table's columns, and what is left out."""
    return {
        "period": {"name": period.name, "from": period.start.isoformat(), "to": period.end.isoformat()},
        "threshold": threshold,
        "suppression": f"A count below {threshold} is published as null with suppressed true.",
        "tables": {
            table.name: {
                "meaning": table.meaning,
                "columns": [
                    {"name": c.name, "type": c.type, "meaning": c.meaning}
                    for c in (*table.dimensions, COUNT, SUPPRESSED)
                ],
            }
            for table in TABLES
        },
        "left_out": list(LEFT_OUT),
    }


def _csv(table: Table, rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, [c.name for c in (*table.dimensions, COUNT, SUPPRESSED)], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else str(v).lower() if isinstance(v, bool) else v for k, v in row.items()})
    return out.getvalue().encode()


def files(exact: dict[str, list[Row]], period: Period, threshold: int = THRESHOLD) -> dict[str, bytes]:
    """The published files by name: `<table>.csv` and `<table>.json` for each table, and `schema.json`."""
    written = {"schema.json": json.dumps(schema(period, threshold), indent=2).encode()}
    for table in TABLES:
        rows = suppress(exact[table.name], threshold)
        document = {"period": period.name, "threshold": threshold, "total": total(exact[table.name], threshold)}
        written[f"{table.name}.csv"] = _csv(table, rows)
        written[f"{table.name}.json"] = json.dumps(document | {"rows": rows}, indent=2).encode()
    return written


def zipped(written: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(written.items()):
            archive.writestr(name, content)
    return buffer.getvalue()
