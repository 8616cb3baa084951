"""A network's settings and watched words on a plain session: leads only, each change logged (a watched
word's action, never the word), refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.models import Event
from network.access import Access, open_network
from network.enums import Decision, JoinPolicy, ScreenAction, Visibility
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.governance import settings
from network.inputs import SettingsInput, WatchedWordInput
from network.models import Network, Person
from network.moderation.models import DecisionRecord, WatchedWord
from network.moderation.views import log_entry_view
from tests.conftest import ApiClient, World


async def as_(session: AsyncSession, client: ApiClient, slug: str) -> Access:
    """What `client` may do in the network, as a service is handed it."""
    return await open_network(session, slug, await session.get(Person, client.id))


async def network_id(db: async_sessionmaker[AsyncSession], slug: str) -> int:
    async with db() as session:
        return int((await session.execute(select(Network.id).where(Network.slug == slug))).scalar_one())


async def logged(db: async_sessionmaker[AsyncSession], slug: str, *actions: Decision) -> list[DecisionRecord]:
    async with db() as session:
        network = (await session.execute(select(Network).where(Network.slug == slug))).scalar_one()
        rows = await session.execute(
            select(DecisionRecord)
            .where(DecisionRecord.network_id == network.id, DecisionRecord.action.in_(actions))
            .order_by(DecisionRecord.id)
        )
        return list(rows.scalars())


async def events(db: async_sessionmaker[AsyncSession], slug: str, *kinds: str) -> list[dict[str, Any]]:
    nid = await network_id(db, slug)
    async with db() as session:
        rows = await session.execute(
            select(Event.payload).where(Event.network_id == nid, Event.kind.in_(kinds)).order_by(Event.seq)
        )
        return [dict(p) for p in rows.scalars()]


def word(pattern: str, action: ScreenAction = ScreenAction.HOLD, **extra: Any) -> WatchedWordInput:
    return WatchedWordInput(pattern=pattern, action=action, **extra)


async def test_a_lead_watches_words_and_the_log_names_the_action_not_the_word(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    async with db() as session:
        access = await as_(session, lead, slug)
        plain = await settings.add_word(session, access, word("  Hammersmith  ", message="  Please do not.  "))
        pattern = await settings.add_word(
            session, access, word(r"\bpupil [A-Z]{1,3}\b", ScreenAction.BLOCK, is_regex=True)
        )
        # the same text as a pattern is another entry
        await settings.add_word(session, access, word("Hammersmith", ScreenAction.FLAG, is_regex=True))
        assert (plain.pattern, plain.message, plain.created_by_id) == ("Hammersmith", "Please do not.", lead.id)
        listed = await settings.watched_words(session, access)
        assert [(w.pattern, w.is_regex, w.action) for w in listed] == [
            ("Hammersmith", False, ScreenAction.HOLD),
            (r"\bpupil [A-Z]{1,3}\b", True, ScreenAction.BLOCK),
            ("Hammersmith", True, ScreenAction.FLAG),
        ]
        await session.commit()
        pattern_id = pattern.id

    entries = await logged(db, slug, Decision.WATCH_WORD)
    assert [e.label for e in entries] == [
        "a watched word (hold)",
        "a watched pattern (block)",
        "a watched pattern (flag)",
    ]
    async with db() as session:
        network = (await session.execute(select(Network).where(Network.slug == slug))).scalar_one()
        for entry in entries:  # what readers of the log see, and what went out live, holds no word
            shown = str(log_entry_view(entry, network))
            assert "Hammersmith" not in shown and "pupil" not in shown
    told = str(await events(db, slug, "decision.logged"))
    assert "Hammersmith" not in told and "pupil [A-Z]" not in told

    async with db() as session:
        access = await as_(session, lead, slug)
        await settings.remove_word(session, access, pattern_id)
        await session.commit()
        assert [w.pattern for w in await settings.watched_words(session, access)] == ["Hammersmith", "Hammersmith"]
    (unwatched,) = await logged(db, slug, Decision.UNWATCH_WORD)
    assert (unwatched.label, unwatched.target_id) == ("a watched pattern (block)", pattern_id)


@pytest.mark.parametrize(
    ("pattern", "is_regex", "says"),
    [
        ("   ", False, "empty"),
        ("x" * 201, False, "limit"),
        ("(unclosed", True, "not a valid regular expression"),
        ("(a+)+", True, "nested repetition"),
        ("[a-z]+ing", True, "bounded repeat"),
        ("a?", True, "empty text"),
    ],
)
async def test_a_word_that_cannot_be_watched_is_refused_with_why(
    world: World, db: async_sessionmaker[AsyncSession], pattern: str, is_regex: bool, says: str
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    async with db() as session:
        access = await as_(session, lead, slug)
        with pytest.raises(Invalid) as refused:
            await settings.add_word(session, access, word(pattern, is_regex=is_regex))
        assert says in refused.value.message and refused.value.fields["pattern"] == refused.value.message
        assert await settings.watched_words(session, access) == []
    assert await logged(db, slug, Decision.WATCH_WORD) == []


async def test_watched_words_refusals(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    other_lead = await world.person()
    other = await world.network(other_lead)
    member = await world.member(slug)
    async with db() as session:
        access = await as_(session, lead, slug)
        kept = await settings.add_word(session, access, word("Hammersmith"))
        elsewhere = await settings.add_word(session, await as_(session, other_lead, other), word("Fulham"))
        await session.commit()

        with pytest.raises(Conflict):  # the same word again (whatever its action): remove it first
            await settings.add_word(session, access, word(" Hammersmith ", ScreenAction.BLOCK))
        with pytest.raises(NotFound):  # another network's word is not this network's to remove
            await settings.remove_word(session, access, elsewhere.id)
        with pytest.raises(NotFound):
            await settings.remove_word(session, access, 10**9)

        as_member = await as_(session, member, slug)
        with pytest.raises(Forbidden):
            await settings.watched_words(session, as_member)
        with pytest.raises(Forbidden):
            await settings.add_word(session, as_member, word("Chelsea"))
        with pytest.raises(Forbidden):
            await settings.remove_word(session, as_member, kept.id)
        await session.rollback()

    async with db() as session:
        words = (await session.execute(select(WatchedWord.pattern).order_by(WatchedWord.id))).scalars().all()
    assert words == ["Hammersmith", "Fulham"]


async def test_a_lead_changes_settings_and_readers_hear_only_of_what_they_see(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    async with db() as session:
        access = await as_(session, lead, slug)
        before = settings.get_settings(access)
        view = await settings.update_settings(
            session,
            access,
            SettingsInput(
                premod_posts=3,
                join_questions=["  Which trust are you from?  ", "   ", "Why join?"],
                reason="  Spam  ",
            ),
        )
        assert view.premod_posts == 3 and view.join_questions == ["Which trust are you from?", "Why join?"]
        assert view.description == before.description and view.visibility == before.visibility
        await session.commit()

    (entry,) = await logged(db, slug, Decision.SETTINGS)
    assert entry.label == "changed new members' posts approved first, join questions"
    assert entry.reason == "Spam"
    assert entry.details == {
        "before": {"premod_posts": before.premod_posts, "join_questions": before.join_questions},
        "after": {"premod_posts": 3, "join_questions": ["Which trust are you from?", "Why join?"]},
    }
    (updated,) = await events(db, slug, "network.updated")  # to the leads: the whole settings
    assert updated["settings"]["premod_posts"] == 3
    assert await events(db, slug, "network.described") == []  # nothing readers see changed

    async with db() as session:
        access = await as_(session, lead, slug)
        await settings.update_settings(
            session,
            access,
            SettingsInput(description="  Trusts in the north west  ", join_policy=JoinPolicy.REQUEST, premod_posts=3),
        )
        await session.commit()
    (described,) = await events(db, slug, "network.described")  # to every reader: only what they see
    assert {k: v for k, v in described.items() if k not in ("at", "actor_id")} == {
        "description": "Trusts in the north west",
        "join_policy": "request",
    }


async def test_settings_refusals_change_nothing(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    async with db() as session:
        as_member = await as_(session, member, slug)
        with pytest.raises(Forbidden):
            settings.get_settings(as_member)
        with pytest.raises(Forbidden):
            await settings.update_settings(session, as_member, SettingsInput(visibility=Visibility.HIDDEN))
        access = await as_(session, lead, slug)
        current = settings.get_settings(access)
        with pytest.raises(Conflict):  # the settings as they stand, or no setting at all, change nothing
            await settings.update_settings(
                session, access, SettingsInput(visibility=current.visibility, description=f" {current.description} ")
            )
        with pytest.raises(Conflict):
            await settings.update_settings(session, access, SettingsInput(reason="Just because"))
        await session.commit()
    assert await logged(db, slug, Decision.SETTINGS) == []
    assert await events(db, slug, "network.updated", "network.described") == []
    async with db() as session:
        network = (await session.execute(select(Network).where(Network.slug == slug))).scalar_one()
        assert network.visibility is current.visibility
