"""The charter service on a plain session: clauses, versions a lead publishes, and what changed between two."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.models import Event
from network.access import Access, open_network
from network.enums import Decision, TargetType
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.governance import charter
from network.models import CharterVersion, Network, Person
from network.moderation.models import DecisionRecord
from tests.conftest import ApiClient, World

AMENDED = """Our rules.

1. Share practice honestly.
2. Never post personal data about pupils; describe cohorts,
   not individuals.
3. Be kind.
"""


async def as_(session: AsyncSession, client: ApiClient, slug: str) -> Access:
    """What `client` may do in the network, as a service is handed it."""
    return await open_network(session, slug, await session.get(Person, client.id))


def version(body: str, number: int = 1) -> CharterVersion:
    return CharterVersion(network_id=1, version=number, body=body, note="")


def test_clauses_are_the_top_level_numbered_lines_with_their_continuations() -> None:
    body = (
        "Preamble, not a clause.\n\n1. First\n2) Second, which\n   carries on here\n\nA closing paragraph.\n10. Tenth"
    )
    assert charter.parse_clauses(body) == ["First", "Second, which carries on here", "Tenth"]
    # an unindented line ends a clause; a blank line ends it too
    assert charter.parse_clauses("1. One\nnot part of it\n2. Two\n\n   nor this") == ["One", "Two"]
    assert charter.parse_clauses("No numbered lines at all.\n- a bullet") == []
    assert charter.parse_clauses(charter.DEFAULT_CHARTER)[1].startswith("Never post personal data")


def test_a_charter_without_numbered_clauses_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        charter.check_charter("We are nice to each other.")
    assert "body" in refused.value.fields
    assert charter.check_charter("1. Be kind") == ["Be kind"]


def test_the_diff_is_line_by_line_and_clause_by_clause() -> None:
    old = version("Intro\n\n1. Alpha\n2. Beta\n3. Gamma\n", 1)
    new = version("Intro\n\n1. Alpha\n2. Beta, amended\n", 2)
    changed = charter.diff(old, new)
    assert (changed.from_version, changed.to_version) == (1, 2)
    assert [(line.op, line.text) for line in changed.lines] == [
        (" ", "Intro"),
        (" ", ""),
        (" ", "1. Alpha"),
        ("-", "2. Beta"),
        ("-", "3. Gamma"),
        ("+", "2. Beta, amended"),
    ]
    assert [(c.number, c.change, c.before, c.after) for c in changed.clauses] == [
        (1, "same", "Alpha", "Alpha"),
        (2, "changed", "Beta", "Beta, amended"),
        (3, "removed", "Gamma", None),
    ]
    grown = charter.diff(new, version(new.body + "3. Delta\n", 3))
    assert [(c.number, c.change) for c in grown.clauses] == [(1, "same"), (2, "same"), (3, "added")]
    assert [line.op for line in grown.lines if line.op != " "] == ["+"]


async def test_a_lead_publishes_the_next_version_and_it_is_logged_and_told(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    async with db() as session:
        access = await as_(session, lead, slug)
        first = await charter.current_charter(session, access.network.id)
        assert first is not None and first.version == 1
        published = await charter.amend(session, access, AMENDED, "  Shorter rules  ")
        assert (published.version, published.note, published.author_id) == (2, "Shorter rules", lead.id)
        await session.commit()
        network_id = access.network.id

    async with db() as session:
        current = await charter.current_charter(session, network_id)
        assert current is not None and current.version == 2 and current.body == AMENDED
        assert [v.version for v in await charter.charter_history(session, network_id)] == [2, 1]
        assert (await charter.get_version(session, network_id, 1)).body == first.body
        with pytest.raises(NotFound):
            await charter.get_version(session, network_id, 3)

        view = charter.charter_view(current)
        assert view.clauses == [
            "Share practice honestly.",
            "Never post personal data about pupils; describe cohorts, not individuals.",
            "Be kind.",
        ]
        assert "<ol>" in view.body_html and "Be kind." in view.body_html

        # the transparency log names the version, and members hear of it live
        charter_entries = select(DecisionRecord).where(
            DecisionRecord.network_id == network_id, DecisionRecord.action == Decision.CHARTER
        )
        entry = (await session.execute(charter_entries)).scalar_one()
        assert (entry.action, entry.target_type, entry.target_id) == (Decision.CHARTER, TargetType.NETWORK, 2)
        assert entry.reason == "Shorter rules" and entry.actor_id == lead.id
        events = select(Event.kind, Event.payload).where(Event.network_id == network_id).order_by(Event.seq)
        kinds = (await session.execute(events)).all()
        told = [payload for kind, payload in kinds if kind == "charter.changed"]
        assert len(told) == 1 and told[0]["version"] == 2 and told[0]["clauses"] == view.clauses


async def test_refusals_leave_the_charter_as_it_was(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    async with db() as session:
        network_id = (await session.execute(select(Network.id).where(Network.slug == slug))).scalar_one()
        current = await charter.current_charter(session, network_id)
        assert current is not None

        with pytest.raises(Forbidden):  # only a lead amends the charter
            await charter.amend(session, await as_(session, member, slug), AMENDED, "")
        as_lead = await as_(session, lead, slug)
        with pytest.raises(Conflict) as unchanged:  # the same text (but for surrounding blanks) is no new version
            await charter.amend(session, as_lead, "\n" + current.body + "  \n", "again")
        assert "version 1" in unchanged.value.message
        with pytest.raises(Invalid):
            await charter.amend(session, as_lead, "No clauses here.", "")
        await session.commit()

    async with db() as session:
        assert [v.version for v in await charter.charter_history(session, network_id)] == [1]
        charter_entries = select(DecisionRecord.id).where(
            DecisionRecord.network_id == network_id, DecisionRecord.action == Decision.CHARTER
        )
        assert (await session.execute(charter_entries)).first() is None


async def test_versions_number_on_from_the_newest(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    async with db() as session:
        access = await as_(session, lead, slug)
        for n in range(2, 5):
            published = await charter.amend(session, access, f"1. Rule number {n}\n", f"v{n}")
            assert published.version == n
        await session.commit()
        newest, *_, oldest = await charter.charter_history(session, access.network.id)
        assert (newest.version, newest.body, oldest.version) == (4, "1. Rule number 4\n", 1)
        changed = charter.diff(await charter.get_version(session, access.network.id, 2), newest)
        assert [(c.change, c.before, c.after) for c in changed.clauses] == [
            ("changed", "Rule number 2", "Rule number 4")
        ]
