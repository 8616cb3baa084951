"""PostgreSQL's choice of path for a search's branches: from the GIN index for a rare word, down the newest
rows for a common one; either way the same results (network/search/planning.py)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.models import Person
from network.search import planning, service
from network.search.filters import SearchFilters, Sort
from network.search.query import parse
from tests.conftest import World


@pytest.fixture
def postgres_only(backend: str) -> None:
    if backend != "postgres":
        pytest.skip("the planner's choice is PostgreSQL's; FTS5 always starts from its index")


async def test_a_rare_word_starts_from_the_index_a_common_one_from_the_newest(
    postgres_only: None, db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = planning.Sample(rows=1_000_000, shares={"pupil": 0.9, "attend": 0.2, "oraci": 0.01}, unseen=0.0005)
    monkeypatch.setattr(planning, "_kept", {t: (time.monotonic() + 60, sample) for t in ("posts", "replies")})
    async with db() as session:
        assert await planning.from_index(session, parse("pupils")) == (False, False)
        assert await planning.from_index(session, parse("attendance")) == (False, False)  # 20% > 3.9%
        assert await planning.from_index(session, parse("oracy")) == (True, True)  # 1% < 3.9%
        assert await planning.from_index(session, parse("pupils oracy")) == (True, True)  # its rarest word
        assert await planning.from_index(session, parse("quillwort")) == (True, True)  # not in the sample
    monkeypatch.setattr(planning, "_kept", {t: (time.monotonic() + 60, None) for t in ("posts", "replies")})
    async with db() as session:  # never analysed: the planner decides alone
        assert await planning.from_index(session, parse("oracy")) == (False, False)


async def test_either_path_finds_the_same(
    postgres_only: None, world: World, db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    for n in range(6):
        post = await world.practice(lead, slug, title=f"Coaching triad {n}", body="coaching " * (n + 1))
        await lead.post(f"/posts/{post['id']}/replies", json={"body": f"More coaching, round {n}"})

    async def ids(first: bool, sort: Sort) -> list[tuple[str, int]]:
        async def choose(_session: AsyncSession, _query: object) -> tuple[bool, bool]:
            return first, first

        monkeypatch.setattr(planning, "from_index", choose)
        async with db() as session:
            person = await session.get(Person, lead.id)
            page = await service.search(session, person, "coaching", SearchFilters(sort=sort))
        return [(h.match, h.reply.id if h.reply else h.post.id) for h in page.items]

    for sort in (Sort.RELEVANCE, Sort.NEWEST):
        assert await ids(True, sort) == await ids(False, sort) != []


async def test_a_search_plans_each_statement_for_its_own_values_in_its_own_transaction_only(
    postgres_only: None, world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    """A prepared statement's generic plan ignores the scope's values (docs/design.md §3.11): the search
    asks for custom plans and no parallel workers, and only for its own transaction."""
    from sqlalchemy import text

    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Coaching triads")
    settings = text("SELECT current_setting('plan_cache_mode'), current_setting('max_parallel_workers_per_gather')")
    async with db() as session:
        before = (await session.execute(settings)).one()
        person = await session.get(Person, lead.id)
        page = await service.search(session, person, "coaching")
        assert [h.post.title for h in page.items] == ["Coaching triads"]
        assert tuple((await session.execute(settings)).one()) == ("force_custom_plan", "0")
        await session.rollback()
        assert tuple((await session.execute(settings)).one()) == tuple(before) != ("force_custom_plan", "0")
