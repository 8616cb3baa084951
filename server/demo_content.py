"""Demo content for Improvement Commons: fictional trusts, people, networks and posts.

The content itself is in `demo_content.toml` beside this module. It is some two thousand lines of prose,
which reads, reviews and diffs better as a data file than as constructor calls, and editing a post should
not mean editing code. This module reads the file once, at import, into the frozen records below; data it
cannot read fails the import with a message naming the record and the field. No other I/O: the seeding
code (server/demo.py) turns these records into database rows.

Every organisation, person and school named is invented; emails are on example.org. Nothing is pupil data.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from network.enums import (
    Again,
    EvidenceStrength,
    JoinPolicy,
    Lasted,
    NetworkKind,
    OrgKind,
    OutcomeEvidence,
    Phase,
    PostKind,
    ReactionKind,
    Region,
    SupportType,
    Urgency,
    Visibility,
)

DEMO_PASSWORD = "commons-demo-2026"

CONTENT_FILE = Path(__file__).with_name("demo_content.toml")


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: OrgKind
    domains: tuple[str, ...] = ()  # verified email domains (on example.org.uk: nothing real is implied)
    approvers: tuple[str, ...] = ()  # person keys: who approves the people who ask to act for it


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    display_name: str
    organisation: str  # organisation key
    is_admin: bool = False
    waiting: bool = False  # signed up, waiting for the organisation's approvers (docs/design.md §3.9)


@dataclass(frozen=True)
class DemoNetwork:
    slug: str
    name: str
    kind: NetworkKind
    region: Region | None
    description: str
    visibility: Visibility
    join_policy: JoinPolicy
    charter: str  # markdown: a short preamble, then a numbered list of clauses
    leads: tuple[str, ...]  # person keys
    members: tuple[str, ...]  # person keys, active members (not leads)
    observers: tuple[str, ...] = ()  # person keys, regulator or government organisations only


@dataclass(frozen=True)
class DemoReply:
    author: str  # person key
    body: str  # markdown


@dataclass(frozen=True)
class DemoOffer:
    author: str  # person key
    message: str
    accepted: bool = False


@dataclass(frozen=True)
class DemoOutcome:
    """One side's outcome of an engagement; its author is of that side."""

    author: str  # person key
    what_changed: str
    evidence_strength: OutcomeEvidence
    work_together_again: Again
    for_whom: str = ""
    how_we_know: str = ""
    do_differently: str = ""


@dataclass(frozen=True)
class DemoFollowUp:
    author: str  # person key
    lasted: Lasted
    note: str = ""


@dataclass(frozen=True)
class DemoEngagement:
    """What became of a request's accepted offer (docs/design.md §3.12): the plan both sides agreed, the
    thread, check-ins and, when closed, both outcomes, the follow-ups and the outcome shared as a practice.
    Weeks count back from the day the demo is seeded."""

    aims: str
    activities: str
    started_weeks_ago: int
    runs_weeks: int  # the expected end, from the start
    title: str = ""  # "" keeps the request's title
    closed_weeks_ago: int = 0  # closed that long ago when it has both outcomes
    named: tuple[str, ...] = ()  # colleagues each side names besides those the offer named (person keys)
    messages: tuple[DemoReply, ...] = ()
    check_ins: tuple[DemoReply, ...] = ()
    outcomes: tuple[DemoOutcome, ...] = ()
    follow_ups: tuple[DemoFollowUp, ...] = ()
    shared_by: str = ""  # the person (key) who shares their side's outcome as a practice

    @property
    def closed(self) -> bool:
        return len(self.outcomes) == 2


@dataclass(frozen=True)
class DemoPost:
    network: str  # network slug
    author: str  # person key
    kind: PostKind
    title: str
    body: str  # markdown
    # practice fields (kind == PRACTICE)
    summary: str = ""
    phases: tuple[Phase, ...] = ()
    setting: str = ""
    what_we_did: str = ""
    what_we_stopped: str = ""
    impact: str = ""
    evidence_strength: EvidenceStrength | None = None
    themes: tuple[str, ...] = ()
    resources: tuple[tuple[str, str], ...] = ()  # (title, url)
    # request fields (kind == REQUEST)
    support_type: SupportType | None = None
    urgency: Urgency | None = None
    closed_outcome: str = ""  # non-empty: the request is closed with this outcome
    replies: tuple[DemoReply, ...] = ()
    offers: tuple[DemoOffer, ...] = ()
    reactions: tuple[tuple[str, ReactionKind], ...] = ()  # (person key, kind)
    engagement: DemoEngagement | None = None  # a request with an accepted offer: what became of it


@dataclass(frozen=True)
class DemoContent:
    """Everything in the content file, in the file's order."""

    organisations: tuple[DemoOrganisation, ...]
    people: tuple[DemoPerson, ...]
    sign_ins: tuple[tuple[str, str], ...]  # (person key, what the sign-in shows a newcomer)
    networks: tuple[DemoNetwork, ...]
    posts: tuple[DemoPost, ...]


class DemoContentError(ValueError):
    """The content file cannot be read; the message names the file, the record and the field."""


# ---- reading -------------------------------------------------------------------------------------

_E = TypeVar("_E", bound=StrEnum)


def _describe(value: object) -> str:
    for kind, name in ((bool, "a boolean"), (str, "a string"), (int, "an integer"), (float, "a number")):
        if isinstance(value, kind):
            return name
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _Table:
    """One TOML table being read into a record.

    Each value is checked as it is taken, and `close` rejects any field left untaken, so a misspelt
    field fails instead of silently becoming its default.
    """

    def __init__(self, data: object, path: str, source: str) -> None:
        self._source = source
        self._path = path
        if not isinstance(data, dict):
            raise self._fail(path, f"expected a table, found {_describe(data)}")
        self._data: dict[str, object] = data
        self._taken: set[str] = set()

    def _at(self, field: str) -> str:
        return f"{self._path}.{field}" if self._path else field

    def _fail(self, where: str, message: str) -> DemoContentError:
        return DemoContentError(f"{self._source}: {where}: {message}")

    def _take(self, field: str, required: bool) -> object:
        self._taken.add(field)
        if field not in self._data and required:
            raise self._fail(self._at(field), "missing")
        return self._data.get(field)

    def _string(self, value: object, where: str) -> str:
        if not isinstance(value, str):
            raise self._fail(where, f"expected a string, found {_describe(value)}")
        return value

    def _member(self, value: object, where: str, enum: type[_E]) -> _E:
        text = self._string(value, where)
        try:
            return enum(text)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise self._fail(where, f"{text!r} is not one of {allowed}") from None

    def _array(self, field: str) -> list[object]:
        value = self._take(field, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(self._at(field), f"expected an array, found {_describe(value)}")
        return value

    def text(self, field: str, default: str | None = None) -> str:
        """A string; required unless a default is given."""
        value = self._take(field, required=default is None)
        if value is None and default is not None:
            return default
        return self._string(value, self._at(field))

    def flag(self, field: str) -> bool:
        """A boolean, false when absent."""
        value = self._take(field, required=False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self._fail(self._at(field), f"expected true or false, found {_describe(value)}")
        return value

    def number(self, field: str, default: int | None = None) -> int:
        """A whole number from 0 up; required unless a default is given."""
        value = self._take(field, required=default is None)
        if value is None and default is not None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self._fail(self._at(field), f"expected a whole number from 0, found {_describe(value)}")
        return value

    def table(self, field: str) -> _Table | None:
        """A table, or None when absent."""
        value = self._take(field, required=False)
        return None if value is None else _Table(value, self._at(field), self._source)

    def choice(self, field: str, enum: type[_E]) -> _E:
        """A required enum member, written as its value."""
        return self._member(self._take(field, required=True), self._at(field), enum)

    def optional_choice(self, field: str, enum: type[_E]) -> _E | None:
        value = self._take(field, required=False)
        return None if value is None else self._member(value, self._at(field), enum)

    def texts(self, field: str, *, required: bool = False) -> tuple[str, ...]:
        """An array of strings; empty when absent, unless required."""
        if required:
            self._take(field, required=True)
        items = self._array(field)
        return tuple(self._string(item, f"{self._at(field)}[{index}]") for index, item in enumerate(items))

    def choices(self, field: str, enum: type[_E]) -> tuple[_E, ...]:
        items = self._array(field)
        return tuple(self._member(item, f"{self._at(field)}[{index}]", enum) for index, item in enumerate(items))

    def keyed_choices(self, field: str, enum: type[_E]) -> tuple[tuple[str, _E], ...]:
        """A table from keys to enum members, as (key, member) pairs in the file's order."""
        value = self._take(field, required=False)
        if value is None:
            return ()
        table = _Table(value, self._at(field), self._source)
        return tuple((key, table.choice(key, enum)) for key in list(table._data))

    def tables(self, field: str, *, required: bool = False) -> list[_Table]:
        """An array of tables; empty when absent, unless required."""
        if required:
            self._take(field, required=True)
        items = self._array(field)
        return [_Table(item, f"{self._at(field)}[{index}]", self._source) for index, item in enumerate(items)]

    def close(self) -> None:
        for field in self._data:
            if field not in self._taken:
                raise self._fail(self._at(field), "unknown field")


def _charter(preamble: str, clauses: tuple[str, ...]) -> str:
    """A charter in markdown: the preamble, then the clauses, numbered."""
    numbered = "\n".join(f"{number}. {text}" for number, text in enumerate(clauses, start=1))
    return f"{preamble}\n\n{numbered}\n"


def _organisation(table: _Table) -> DemoOrganisation:
    organisation = DemoOrganisation(
        key=table.text("key"),
        name=table.text("name"),
        kind=table.choice("kind", OrgKind),
        domains=table.texts("domains"),
        approvers=table.texts("approvers"),
    )
    table.close()
    return organisation


def _person(table: _Table) -> DemoPerson:
    person = DemoPerson(
        key=table.text("key"),
        email=table.text("email"),
        display_name=table.text("display_name"),
        organisation=table.text("organisation"),
        is_admin=table.flag("is_admin"),
        waiting=table.flag("waiting"),
    )
    table.close()
    return person


def _sign_in(table: _Table) -> tuple[str, str]:
    sign_in = (table.text("person"), table.text("role"))
    table.close()
    return sign_in


def _network(table: _Table, common_clauses: tuple[str, ...]) -> DemoNetwork:
    network = DemoNetwork(
        slug=table.text("slug"),
        name=table.text("name"),
        kind=table.choice("kind", NetworkKind),
        region=table.optional_choice("region", Region),
        description=table.text("description"),
        visibility=table.choice("visibility", Visibility),
        join_policy=table.choice("join_policy", JoinPolicy),
        charter=_charter(table.text("charter_preamble"), (*table.texts("charter_clauses"), *common_clauses)),
        leads=table.texts("leads", required=True),
        members=table.texts("members", required=True),
        observers=table.texts("observers"),
    )
    table.close()
    return network


def _reply(table: _Table) -> DemoReply:
    reply = DemoReply(author=table.text("author"), body=table.text("body"))
    table.close()
    return reply


def _offer(table: _Table) -> DemoOffer:
    offer = DemoOffer(author=table.text("author"), message=table.text("message"), accepted=table.flag("accepted"))
    table.close()
    return offer


def _outcome(table: _Table) -> DemoOutcome:
    outcome = DemoOutcome(
        author=table.text("author"),
        what_changed=table.text("what_changed"),
        evidence_strength=table.choice("evidence_strength", OutcomeEvidence),
        work_together_again=table.choice("work_together_again", Again),
        for_whom=table.text("for_whom", ""),
        how_we_know=table.text("how_we_know", ""),
        do_differently=table.text("do_differently", ""),
    )
    table.close()
    return outcome


def _follow_up(table: _Table) -> DemoFollowUp:
    follow_up = DemoFollowUp(
        author=table.text("author"), lasted=table.choice("lasted", Lasted), note=table.text("note", "")
    )
    table.close()
    return follow_up


def _engagement(table: _Table | None) -> DemoEngagement | None:
    if table is None:
        return None
    engagement = DemoEngagement(
        aims=table.text("aims"),
        activities=table.text("activities"),
        started_weeks_ago=table.number("started_weeks_ago"),
        runs_weeks=table.number("runs_weeks"),
        title=table.text("title", ""),
        closed_weeks_ago=table.number("closed_weeks_ago", 0),
        named=table.texts("named"),
        messages=tuple(_reply(message) for message in table.tables("messages")),
        check_ins=tuple(_reply(check_in) for check_in in table.tables("check_ins")),
        outcomes=tuple(_outcome(outcome) for outcome in table.tables("outcomes")),
        follow_ups=tuple(_follow_up(follow_up) for follow_up in table.tables("follow_ups")),
        shared_by=table.text("shared_by", ""),
    )
    table.close()
    return engagement


def _resource(table: _Table) -> tuple[str, str]:
    resource = (table.text("title"), table.text("url"))
    table.close()
    return resource


def _post(table: _Table) -> DemoPost:
    post = DemoPost(
        network=table.text("network"),
        author=table.text("author"),
        kind=table.choice("kind", PostKind),
        title=table.text("title"),
        body=table.text("body"),
        summary=table.text("summary", ""),
        phases=table.choices("phases", Phase),
        setting=table.text("setting", ""),
        what_we_did=table.text("what_we_did", ""),
        what_we_stopped=table.text("what_we_stopped", ""),
        impact=table.text("impact", ""),
        evidence_strength=table.optional_choice("evidence_strength", EvidenceStrength),
        themes=table.texts("themes"),
        resources=tuple(_resource(resource) for resource in table.tables("resources")),
        support_type=table.optional_choice("support_type", SupportType),
        urgency=table.optional_choice("urgency", Urgency),
        closed_outcome=table.text("closed_outcome", ""),
        replies=tuple(_reply(reply) for reply in table.tables("replies")),
        offers=tuple(_offer(offer) for offer in table.tables("offers")),
        reactions=table.keyed_choices("reactions", ReactionKind),
        engagement=_engagement(table.table("engagement")),
    )
    table.close()
    return post


def parse(data: Mapping[str, object], source: str = CONTENT_FILE.name) -> DemoContent:
    """The content from a parsed TOML document; `source` names the file in error messages."""
    root = _Table(dict(data), "", source)
    common_clauses = root.texts("common_charter_clauses")
    content = DemoContent(
        organisations=tuple(_organisation(table) for table in root.tables("organisations", required=True)),
        people=tuple(_person(table) for table in root.tables("people", required=True)),
        sign_ins=tuple(_sign_in(table) for table in root.tables("sign_ins", required=True)),
        networks=tuple(_network(table, common_clauses) for table in root.tables("networks", required=True)),
        posts=tuple(_post(table) for table in root.tables("posts", required=True)),
    )
    root.close()
    return content


def load(text: str, source: str = CONTENT_FILE.name) -> DemoContent:
    """The content from TOML text; `source` names the file in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DemoContentError(f"{source}: {exc}") from exc
    return parse(data, source)


_CONTENT = load(CONTENT_FILE.read_text(encoding="utf-8"))

ORGANISATIONS: tuple[DemoOrganisation, ...] = _CONTENT.organisations
PEOPLE: tuple[DemoPerson, ...] = _CONTENT.people
SIGN_INS: tuple[tuple[str, str], ...] = _CONTENT.sign_ins
"""The sign-ins `commons demo` prints: one of each kind of person a newcomer may want to try."""
NETWORKS: tuple[DemoNetwork, ...] = _CONTENT.networks
POSTS: tuple[DemoPost, ...] = _CONTENT.posts
