"""Organisations from the register: the "all groups" extract of Get Information about Schools (GIAS).

GIAS, the Department for Education's register, lists every group of schools (trusts, federations,
sponsors) with a Group UID that never changes. Reading the extract (`parse_extract`) is pure; writing
it (`apply_extract`) loads or updates organisations in the caller's transaction:

- A row is matched by its Group UID, else by name (case aside) to an organisation that has no UID yet:
  one typed in at sign-up is adopted, not duplicated.
- The register's spelling, identifiers and status are written over ours. Its kind too, except that a
  group it files under a catch-all type ("Trust", "School sponsor", ...) keeps the kind we hold (a
  diocese that sponsors academies stays a diocese).
- "Proposed to open" counts as open (the group exists and may join); a closed group is marked
  closed with its date, never deleted: its people's posts and offers stay.
- The region comes from a "Region" column when the file has one (a value that is not one of England's
  nine regions is a bad row); the real extract has none, so a region we hold is left as it is. A
  "Group Locality" column, an address line in the real extract, sets the region only when it names one.
- Regulator and government organisations are never created or changed: only a platform admin makes
  those (a row whose name is one of theirs is reported).

A row that cannot be read or would clash is reported with its line number and skipped; the rest are
written together. A file without the extract's columns is refused whole (`NotAnExtract`). Re-reading
the same file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import REGION_LABELS, OrgKind, OrgStatus, Region
from network.errors import Invalid
from network.inputs import COMPANY_NUMBER_PATTERN, GIAS_ID_PATTERN, GIAS_UID_PATTERN, UKPRN_PATTERN
from network.models import Organisation

# our name for a column -> the headers the extract may give it (matched case and spacing aside)
COLUMNS: dict[str, tuple[str, ...]] = {
    "uid": ("Group UID",),
    "group_id": ("Group ID",),
    "name": ("Group Name",),
    "companies_house_number": ("Companies House Number",),
    "type": ("Group Type",),
    "status": ("Group Status",),
    "closed_on": ("Group Closed Date", "Closed Date"),
    "ukprn": ("UKPRN",),
    "region": ("Region", "Group Region"),
    "locality": ("Group Locality",),
}
REQUIRED = ("uid", "name", "type", "status")

# The register's group types, and the kind each becomes. A type not listed is a bad row.
GROUP_TYPES: dict[str, OrgKind] = {
    "multi-academy trust": OrgKind.MULTI_ACADEMY_TRUST,
    "single-academy trust": OrgKind.SINGLE_ACADEMY_TRUST,
    "federation": OrgKind.FEDERATION,
    "trust": OrgKind.OTHER_GROUP,
    "school sponsor": OrgKind.OTHER_GROUP,
    "umbrella trust": OrgKind.OTHER_GROUP,
    "children's centres group": OrgKind.OTHER_GROUP,
    "children's centres collaboration": OrgKind.OTHER_GROUP,
}
# The register's group statuses. "Proposed to open" counts as open.
GROUP_STATUSES: dict[str, OrgStatus] = {
    "open": OrgStatus.OPEN,
    "proposed to open": OrgStatus.OPEN,
    "open, but proposed to close": OrgStatus.OPEN,
    "closed": OrgStatus.CLOSED,
}
REGIONS: dict[str, Region] = {label.casefold(): region for region, label in REGION_LABELS.items()} | {
    region.value: region for region in Region
}
_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")


class NotAnExtract(Invalid):
    """The file is not the register's groups extract: nothing of it is read."""


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One group as the register describes it."""

    line: int
    uid: str
    name: str
    kind: OrgKind
    status: OrgStatus
    closed_on: date | None
    group_id: str | None
    companies_house_number: str | None
    ukprn: str | None
    region: Region | None


@dataclass
class Extract:
    rows: list[GroupRow]
    skipped: list[tuple[int, str]]  # (line, why)


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0  # organisations this import marked closed (each is also added or updated)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.closed} closed, {len(self.skipped)} skipped"
        )


class _BadRow(ValueError):
    pass


def decode(data: bytes) -> str:
    """The extract's text: UTF-8 (with or without a byte-order mark), else Windows-1252, as GIAS has written."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_extract(text: str) -> Extract:
    """The rows of a groups extract that can be read, and why each other row cannot. Raises
    `NotAnExtract` when the required columns are missing."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    positions = {_header_key(name): index for index, name in reversed(list(enumerate(header or [])))}
    where: dict[str, int] = {}
    for key, names in COLUMNS.items():
        found = next((positions[_header_key(n)] for n in names if _header_key(n) in positions), None)
        if found is not None:
            where[key] = found
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in where]
    if missing:
        raise NotAnExtract(
            "This is not the register's groups extract: it has no "
            + ", ".join(f"'{name}'" for name in missing)
            + " column. Download 'All group records' from Get Information about Schools.",
            fields={"file": "Missing columns: " + ", ".join(missing)},
        )
    rows: list[GroupRow] = []
    skipped: list[tuple[int, str]] = []
    first_seen: dict[str, int] = {}
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: cells[index].strip() if index < len(cells) else "" for key, index in where.items()}
        try:
            row = _row(start, values)
        except _BadRow as exc:
            skipped.append((start, str(exc)))
            continue
        if row.uid in first_seen:
            skipped.append((start, f"Group UID {row.uid} is already on line {first_seen[row.uid]}"))
            continue
        first_seen[row.uid] = start
        rows.append(row)
    return Extract(rows=rows, skipped=skipped)


def _row(line: int, values: dict[str, str]) -> GroupRow:
    uid = values["uid"]
    if not uid:
        raise _BadRow("no Group UID")
    if not re.match(GIAS_UID_PATTERN, uid):
        raise _BadRow(f"Group UID '{uid[:40]}' is not a number")
    name = " ".join(values["name"].split())
    if len(name) < 2 or len(name) > 200:
        raise _BadRow("no Group Name" if not name else "Group Name is longer than 200 characters")
    kind = GROUP_TYPES.get(values["type"].casefold())
    if kind is None:
        raise _BadRow(f"unknown Group Type '{values['type'][:60]}'")
    status = GROUP_STATUSES.get(values["status"].casefold())
    if status is None:
        raise _BadRow(f"unknown Group Status '{values['status'][:60]}'")
    closed_on = _date(values.get("closed_on", "")) if status is OrgStatus.CLOSED else None
    return GroupRow(
        line=line,
        uid=uid,
        name=name,
        kind=kind,
        status=status,
        closed_on=closed_on,
        group_id=_identifier(values.get("group_id", ""), GIAS_ID_PATTERN, "Group ID"),
        companies_house_number=_company_number(values.get("companies_house_number", "")),
        ukprn=_identifier(values.get("ukprn", ""), UKPRN_PATTERN, "UKPRN"),
        region=_region(values),
    )


def _date(text: str) -> date | None:
    if not text:
        return None
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    except ValueError:
        raise _BadRow(f"closed date '{text[:40]}' is not a date like 31-08-2023") from None


def _identifier(text: str, pattern: str, label: str) -> str | None:
    if not text:
        return None
    if not re.match(pattern, text):
        raise _BadRow(f"{label} '{text[:40]}' is not in the register's form")
    return text


def _company_number(text: str) -> str | None:
    """Companies House numbers are eight characters; a spreadsheet may have dropped leading zeros."""
    text = text.upper()
    if text.isdigit() and len(text) < 8:
        text = text.zfill(8)
    return _identifier(text, COMPANY_NUMBER_PATTERN, "Companies House Number")


def _region(values: dict[str, str]) -> Region | None:
    if values.get("region"):
        region = REGIONS.get(" ".join(values["region"].split()).casefold())
        if region is None:
            raise _BadRow(f"unknown Region '{values['region'][:60]}' (one of England's nine regions)")
        return region
    return REGIONS.get(" ".join(values.get("locality", "").split()).casefold())  # an address line otherwise


async def apply_extract(session: AsyncSession, extract: Extract) -> ImportReport:
    """Load or update the extract's organisations in the caller's transaction (see the module's rules)."""
    report = ImportReport(skipped=list(extract.skipped))
    known = list((await session.execute(select(Organisation))).scalars())
    by_uid = {org.gias_group_uid: org for org in known if org.gias_group_uid}
    by_name = {org.name.lower(): org for org in known}
    for row in extract.rows:
        org = by_uid.get(row.uid)
        namesake = by_name.get(row.name.lower())
        if org is None and namesake is not None:
            if namesake.gias_group_uid is not None:
                report.skipped.append(
                    (row.line, f"'{namesake.name}' is another group's name (Group UID {namesake.gias_group_uid})")
                )
                continue
            org = namesake  # typed in at sign-up: the register adopts it
        if org is not None and OrgKind(org.kind).observer_only:
            kind = OrgKind(org.kind).value.replace("_", " ")
            why = f"'{org.name}' is a {kind} organisation: only a platform admin changes it"
            report.skipped.append((row.line, why))
            continue
        if namesake is not None and namesake is not org:
            report.skipped.append((row.line, f"the name '{row.name}' is already '{namesake.name}''s"))
            continue
        if org is None:
            org = Organisation(name=row.name, kind=row.kind)
            _write(org, row)
            session.add(org)
            report.added += 1
            report.closed += row.status is OrgStatus.CLOSED
        else:
            was_closed = org.status is OrgStatus.CLOSED
            old_name = org.name.lower()
            if not _write(org, row):
                report.unchanged += 1
                continue
            report.updated += 1
            report.closed += row.status is OrgStatus.CLOSED and not was_closed
            by_name.pop(old_name, None)
        by_uid[row.uid] = org
        by_name[org.name.lower()] = org
    await session.flush()
    report.skipped.sort()
    return report


def _write(org: Organisation, row: GroupRow) -> bool:
    """Give `org` what the register says of it; True if anything changed."""
    wanted: dict[str, object] = {
        "name": row.name,
        "gias_group_uid": row.uid,
        "gias_group_id": row.group_id,
        "companies_house_number": row.companies_house_number,
        "ukprn": row.ukprn,
        "status": row.status,
        "closed_on": row.closed_on,
    }
    if row.kind is not OrgKind.OTHER_GROUP:  # a catch-all type keeps the kind we hold
        wanted["kind"] = row.kind
    if row.region is not None:
        wanted["region"] = row.region
    changed = False
    for attribute, value in wanted.items():
        if getattr(org, attribute, None) != value:
            setattr(org, attribute, value)
            changed = True
    return changed


async def import_extract(session: AsyncSession, text: str) -> ImportReport:
    """Read and write a groups extract in one go (`NotAnExtract` before anything is written)."""
    return await apply_extract(session, parse_extract(text))
