"""A network's settings and watched words, set by its leads (each change is in the transparency log).

The log names a watched word's action but not the word itself: a list of what is watched would
tell a spammer what to avoid. Leads see the words here.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import Access
from network.enums import Decision, TargetType
from network.errors import Conflict, Invalid, NotFound
from network.event_kinds import EventKind
from network.governance import transparency
from network.inputs import SettingsInput, WatchedWordInput
from network.moderation.models import WatchedWord
from network.moderation.screening import check_pattern
from network.moderation.views import SettingsView, settings_view
from network.permissions import Action
from network.views import to_payload

_LABELS = {
    "premod_posts": "new members' posts approved first",
    "slow_mode_seconds": "slow mode (seconds)",
    "guard_personal_data": "hold posts that look like pupil data",
    "name_leads_in_log": "name leads in this log",
    "join_questions": "join questions",
    "description": "description",
    "visibility": "visibility",
    "join_policy": "join policy",
    "engagement_follow_up_weeks": "weeks before an engagement's follow-up",
    "adoption_follow_up_weeks": "weeks before an adoption's report is asked for",
}


# the settings every reader of the network sees (its page and GET /networks/{slug}); the rest are the leads'
PUBLIC_SETTINGS = ("description", "visibility", "join_policy")


def get_settings(access: Access) -> SettingsView:
    access.require(Action.MODERATE)
    return settings_view(access.network)


async def update_settings(session: AsyncSession, access: Access, data: SettingsInput) -> SettingsView:
    access.require(Action.MODERATE)
    network = access.network
    given = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET and k != "reason"}
    if "join_questions" in given:
        given["join_questions"] = [q.strip() for q in given["join_questions"] if q.strip()]
    if "description" in given:
        given["description"] = given["description"].strip()
    changed: dict[str, Any] = {k: v for k, v in given.items() if getattr(network, k) != v}
    if not changed:
        raise Conflict("Nothing changed: these are the settings as they stand.")
    before = {k: msgspec.to_builtins(getattr(network, k)) for k in changed}
    for name, value in changed.items():
        setattr(network, name, value)
    await session.flush()
    after = {k: msgspec.to_builtins(v) for k, v in changed.items()}
    await transparency.record(
        session,
        access,
        Decision.SETTINGS,
        TargetType.NETWORK,
        label="changed " + ", ".join(_LABELS[k] for k in changed),
        reason=data.reason,
        details={"before": before, "after": after},
    )
    await activity.record(
        session, network, EventKind.NETWORK_UPDATED, {"settings": to_payload(settings_view(network))}, access.person
    )
    public = {k: v for k, v in after.items() if k in PUBLIC_SETTINGS}
    if public:  # what every reader sees of the network changed: they hear of it too
        await activity.record(session, network, EventKind.NETWORK_DESCRIBED, public, access.person)
    return settings_view(network)


async def watched_words(session: AsyncSession, access: Access) -> list[WatchedWord]:
    access.require(Action.MODERATE)
    result = await session.execute(
        select(WatchedWord).where(WatchedWord.network_id == access.network.id).order_by(WatchedWord.id)
    )
    return list(result.scalars())


async def add_word(session: AsyncSession, access: Access, data: WatchedWordInput) -> WatchedWord:
    access.require(Action.MODERATE)
    pattern = data.pattern.strip()
    problem = check_pattern(pattern, data.is_regex)
    if problem:
        raise Invalid(problem, fields={"pattern": problem})
    existing = await session.execute(
        select(WatchedWord.id).where(
            WatchedWord.network_id == access.network.id,
            WatchedWord.pattern == pattern,
            WatchedWord.is_regex == data.is_regex,
        )
    )
    if existing.first() is not None:
        raise Conflict("That word is already watched; remove it first to change its action.")
    word = WatchedWord(
        network_id=access.network.id,
        pattern=pattern,
        is_regex=data.is_regex,
        action=data.action,
        message=data.message.strip(),
        created_by_id=access.person.id if access.person else None,
        created_at=clock.now(),
    )
    session.add(word)
    await session.flush()
    await transparency.record(
        session,
        access,
        Decision.WATCH_WORD,
        TargetType.NETWORK,
        target_id=word.id,
        label=f"a watched {'pattern' if word.is_regex else 'word'} ({word.action.value})",
        details={"pattern": pattern},
    )
    return word


async def remove_word(session: AsyncSession, access: Access, word_id: int) -> None:
    access.require(Action.MODERATE)
    word = await session.get(WatchedWord, word_id)
    if word is None or word.network_id != access.network.id:
        raise NotFound(f"No watched word {word_id} in this network.")
    label = f"a watched {'pattern' if word.is_regex else 'word'} ({word.action.value})"
    await session.delete(word)
    await session.flush()
    await transparency.record(
        session,
        access,
        Decision.UNWATCH_WORD,
        TargetType.NETWORK,
        target_id=word_id,
        label=label,
        details={"pattern": word.pattern},
    )
