"""The one list of event kinds (network/event_kinds.py): each has an audience and a payload shape,
the audience rules read it, and docs/protocol.md's table of event data describes exactly these kinds
with the keys each promises."""

from __future__ import annotations

import re
from pathlib import Path

from network import audience, event_kinds
from network.event_kinds import SPECS, EventKind

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def _event_table() -> dict[str, str]:
    """kind → the data column of its row, from the protocol document's "Event data" table."""
    text = PROTOCOL.read_text()
    section = text.split("### Event data", 1)[1].split("\n### ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        kinds_cell, data_cell = line.strip("|").split("|", 1)
        for kind in re.findall(r"`([a-z_]+\.[a-z_]+)`", kinds_cell):
            rows[kind] = data_cell
    return rows


def test_every_kind_has_an_audience_and_a_payload_shape() -> None:
    assert set(SPECS) == set(EventKind)
    known = {
        event_kinds.CONTENT,
        event_kinds.HELD,
        event_kinds.READERS,
        event_kinds.MEMBERS,
        event_kinds.LEADS,
        event_kinds.PARTIES,
    }
    assert {spec.audience for spec in SPECS.values()} <= known


def test_the_audience_rules_cover_every_kind_once() -> None:
    decided = [*audience.CONTENT_KINDS, *audience.HELD_KINDS, *audience.AUDIENCES]
    assert sorted(decided) == sorted(EventKind)
    assert set(EventKind) >= event_kinds.MOVES and set(EventKind) >= event_kinds.MEMBERSHIP
    assert {k for k, spec in SPECS.items() if spec.audience == event_kinds.PARTIES} >= event_kinds.REGROUPING


def test_the_protocol_document_describes_exactly_these_kinds_and_their_keys() -> None:
    table = _event_table()
    assert set(table) == {kind.value for kind in EventKind}, sorted(set(table) ^ {k.value for k in EventKind})
    for kind, spec in SPECS.items():
        for key in spec.payload:
            assert f"`{key}`" in table[kind], f"docs/protocol.md does not say a {kind} event carries `{key}`"


def test_a_payload_missing_a_promised_key_is_named() -> None:
    assert event_kinds.missing(EventKind.POST_HIDDEN, {"post_id": 1}) == ["state"]
    assert event_kinds.missing(EventKind.POST_HIDDEN, {"post_id": 1, "state": "hidden"}) == []
    assert event_kinds.missing(EventKind.NETWORK_DESCRIBED, {}) == []


def test_the_pages_scripts_name_only_kinds_that_exist() -> None:
    """The browser's scripts handle events by kind name: each they name is one of these (a renamed kind
    would otherwise leave a page silently deaf)."""
    static = Path(__file__).resolve().parents[2] / "web" / "static"
    named: set[str] = set()
    for script in static.glob("*.js"):
        text = script.read_text()
        named |= set(re.findall(r'kind [!=]== "([a-z_]+\.[a-z_]+)"', text))
        for stem, alternatives in re.findall(r"/\^([a-z_]+)\\\.\(([a-z_|]+)\)\$/", text):
            named |= {f"{stem}.{alternative}" for alternative in alternatives.split("|")}
    assert named, "no kind names found: the pattern no longer matches the scripts"
    assert named <= {kind.value for kind in EventKind}, sorted(named - {kind.value for kind in EventKind})
