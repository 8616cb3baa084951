"""A network's charter: versioned markdown whose top-level numbered list holds its clauses.

A lead's amendment locks the current version's row and then reads the current version again, so
two leads publishing at once take turns: the second compares with, and numbers after, the first.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock, markdown
from network.access import Access
from network.enums import Decision, TargetType
from network.errors import Conflict, Invalid, NotFound
from network.event_kinds import EventKind
from network.governance import transparency
from network.locking import lock_row
from network.models import CharterVersion, Person
from network.permissions import Action
from network.views import CharterDiff, CharterView, ClauseChange, DiffLine, to_payload

_CLAUSE = re.compile(r"^(\d{1,3})[.)]\s+(.+)$")

DEFAULT_CHARTER = """This network is run by its members, for its members: school trusts and other groups \
that run schools, sharing what works and helping each other improve.

1. Share practice honestly, including what did not work and how strong the evidence is.
2. Never post personal data about pupils, families or staff; describe cohorts, not individuals.
3. Respond to requests for help in good faith; offers are free unless agreed otherwise.
4. Disagree with ideas, not people; be courteous and constructive.
5. Leads moderate in the open: every action is logged with its reason and can be appealed.
6. Regulators and government may observe but do not post, flag or moderate.
"""


def parse_clauses(body: str) -> list[str]:
    """The numbered clauses, in order (continuation lines are joined to their clause)."""
    clauses: list[str] = []
    in_clause = False
    for line in body.splitlines():
        match = _CLAUSE.match(line)
        if match:
            clauses.append(match.group(2).strip())
            in_clause = True
        elif in_clause and line.startswith((" ", "\t")) and line.strip():
            clauses[-1] += " " + line.strip()
        else:
            in_clause = False
    return clauses


def check_charter(body: str) -> list[str]:
    clauses = parse_clauses(body)
    if not clauses:
        raise Invalid(
            "A charter needs numbered clauses (lines starting '1. ', '2. ' …).",
            fields={"body": "Add at least one numbered clause."},
        )
    return clauses


async def current_charter(session: AsyncSession, network_id: int) -> CharterVersion | None:
    result = await session.execute(
        select(CharterVersion)
        .where(CharterVersion.network_id == network_id)
        .order_by(CharterVersion.version.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def charter_history(session: AsyncSession, network_id: int) -> list[CharterVersion]:
    result = await session.execute(
        select(CharterVersion).where(CharterVersion.network_id == network_id).order_by(CharterVersion.version.desc())
    )
    return list(result.scalars())


async def add_version(
    session: AsyncSession, network_id: int, body: str, author: Person | None, note: str = ""
) -> CharterVersion:
    check_charter(body)
    current = await current_charter(session, network_id)
    version = CharterVersion(
        network_id=network_id,
        version=(current.version + 1) if current else 1,
        body=body,
        note=note.strip(),
        author_id=author.id if author else None,
        created_at=clock.now(),
    )
    session.add(version)
    await session.flush()
    return version


async def amend(session: AsyncSession, access: Access, body: str, note: str) -> CharterVersion:
    """A lead publishes a new charter version; members see it live and in the history."""
    access.require(Action.MODERATE)
    assert access.person is not None
    current = await current_charter(session, access.network.id)
    if current is not None:
        # wait for an amendment in progress, then read what it published (READ COMMITTED sees it now)
        await lock_row(session, CharterVersion, current.id)
        current = await current_charter(session, access.network.id)
    if current is not None and current.body.strip() == body.strip():
        raise Conflict(
            f"That is the charter as it stands (version {current.version}); change it to publish a new version.",
            fields={"body": "Unchanged."},
        )
    try:
        async with session.begin_nested():
            version = await add_version(session, access.network.id, body, access.person, note)
    except IntegrityError as exc:  # a first charter published at the same moment: there was no row to wait on
        raise Conflict("Another lead published a charter version just now; read it, then amend it.") from exc
    await activity.record(session, access.network, EventKind.CHARTER_CHANGED, charter_payload(version), access.person)
    await transparency.record(
        session,
        access,
        Decision.CHARTER,
        TargetType.NETWORK,
        target_id=version.version,
        label=f"charter version {version.version}",
        reason=version.note,
    )
    return version


def charter_view(version: CharterVersion) -> CharterView:
    """The version as GET /networks/{slug}/charter shows it."""
    return CharterView(
        version=version.version,
        body=version.body,
        body_html=markdown.render(version.body),
        clauses=parse_clauses(version.body),
        note=version.note,
        created_at=version.created_at,
    )


def charter_payload(version: CharterVersion) -> dict[str, Any]:
    """The same, for an event's payload."""
    return to_payload(charter_view(version))


async def get_version(session: AsyncSession, network_id: int, number: int) -> CharterVersion:
    result = await session.execute(
        select(CharterVersion).where(CharterVersion.network_id == network_id, CharterVersion.version == number)
    )
    version = result.scalar_one_or_none()
    if version is None:
        raise NotFound(f"No charter version {number}.")
    return version


def diff(old: CharterVersion, new: CharterVersion) -> CharterDiff:
    """Line by line (as a unified diff reads) and clause by clause (as flags and decisions cite them)."""
    a, b = old.body.splitlines(), new.body.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [DiffLine(" ", text) for text in a[i1:i2]]
        else:
            lines += [DiffLine("-", text) for text in a[i1:i2]]
            lines += [DiffLine("+", text) for text in b[j1:j2]]
    before, after = parse_clauses(old.body), parse_clauses(new.body)
    clauses = []
    for n in range(max(len(before), len(after))):
        was = before[n] if n < len(before) else None
        now = after[n] if n < len(after) else None
        change = "added" if was is None else "removed" if now is None else "same" if was == now else "changed"
        clauses.append(ClauseChange(number=n + 1, change=change, before=was, after=now))
    return CharterDiff(from_version=old.version, to_version=new.version, lines=lines, clauses=clauses)
