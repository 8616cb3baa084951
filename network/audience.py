"""Who may receive an event of a network's log: decided where it is appended, checked where it is sent.

Every channel applies one permission table (docs/design.md §4.4), and the live stream is one of them: an event goes only
to those who may see what it says, live and on replay. Each kind has an audience:

- `readers`: whoever may read the network's posts (and so its transparency log);
- `members`: whoever may see the member list (members, observers, leads);
- `leads`: whoever may moderate it;
- `withheld`: an event about content that readers could once see and that is now out of their
  view (hidden, held again): the leads, and the one person who still sees that content (its author);
- `person`: one person only;
- `parties`: the named people of one engagement (the event's `audience_group_id`), while they may
  read the network (docs/design.md §3.12): the subscriber's standing carries the engagements it
  is named in, loaded by the caller.

An event about content (a post, a reply, an offer, a reaction, an adoption record) is for readers only while everything
it is about is shown; otherwise it is for the leads and the one person who may still see all of it,
as the API answers the same request. When content is hidden, held again or shown again, the audience
of every earlier event about it is decided again (`network/withholding.py`), so a replay from an old
cursor sends no one what they could no longer fetch. No I/O here: the callers load the facts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from network import event_kinds
from network.enums import ContentState, Visibility
from network.permissions import Action, Viewer, allowed

READERS = event_kinds.READERS
MEMBERS = event_kinds.MEMBERS
LEADS = event_kinds.LEADS
WITHHELD = "withheld"
PERSON = "person"
PARTIES = event_kinds.PARTIES

# Each kind's audience comes from its entry in network/event_kinds.py.
# events about the content they carry: for readers while it is shown (see `for_content`)
CONTENT_KINDS = frozenset(k for k, spec in event_kinds.SPECS.items() if spec.audience == event_kinds.CONTENT)
# content waiting for a lead (held by the network's filters or pre-moderation): for the leads and its
# author, for good; when a lead approves it, a `post.created` / `reply.created` tells the readers
HELD_KINDS = frozenset(k for k, spec in event_kinds.SPECS.items() if spec.audience == event_kinds.HELD)
# every other kind, and who receives it
AUDIENCES: Mapping[str, str] = {
    k: spec.audience
    for k, spec in event_kinds.SPECS.items()
    if spec.audience not in (event_kinds.CONTENT, event_kinds.HELD)
}
# kinds that say content left or came back to the readers' view: earlier events about it are re-decided
MOVES = event_kinds.MOVES


@dataclass(frozen=True, slots=True)
class Shown:
    """One piece of content an event is about, as the audience rule needs it."""

    state: ContentState
    author_id: int


@dataclass(frozen=True, slots=True)
class Audience:
    to: str
    person_id: int | None = None
    group_id: int | None = None  # for `parties`: the engagement


def for_content(items: Iterable[Shown]) -> Audience:
    """The audience of an event about these pieces of content (a post, and a reply of it).

    Readers while every piece is shown. Otherwise the leads, and the one person who may see every
    piece: the author of a hidden or held piece sees it (a removed one, only leads), so with two
    pieces out of view by different authors (or one removed) it is the leads alone.
    """
    allowed_person: int | None = None
    restricted = False
    for item in items:
        if item.state is ContentState.VISIBLE:
            continue
        who = item.author_id if item.state is not ContentState.REMOVED else None
        if restricted and who != allowed_person:
            who = None
        restricted, allowed_person = True, who
    if not restricted:
        return Audience(READERS)
    if allowed_person is None:
        return Audience(LEADS)
    return Audience(WITHHELD, allowed_person)


def of_kind(kind: str) -> Audience:
    """The audience of an event that is not about content. A kind not in the table goes to the leads
    alone, so a new kind never reaches anyone it should not before someone decides its audience."""
    return Audience(AUDIENCES.get(kind, LEADS))


def subject_of(payload: Mapping[str, Any]) -> int | None:
    """The post an event is about, where it is about one: what `network/withholding.py` looks events up by."""
    for key in ("post", "reply", "offer"):
        inner = payload.get(key)
        if isinstance(inner, Mapping):
            value = inner.get("id") if key == "post" else inner.get("post_id")
            if isinstance(value, int):
                return value
    value = payload.get("post_id")
    return value if isinstance(value, int) else None


def reply_of(payload: Mapping[str, Any]) -> int | None:
    """The reply an event is about, if any."""
    reply = payload.get("reply")
    if isinstance(reply, Mapping) and isinstance(reply.get("id"), int):
        return int(reply["id"])
    value = payload.get("reply_id")
    return value if isinstance(value, int) else None


def adoption_of(payload: Mapping[str, Any]) -> int | None:
    """The adoption record an event is about, if any (network/adoption/)."""
    adoption = payload.get("adoption")
    if isinstance(adoption, Mapping) and isinstance(adoption.get("id"), int):
        return int(adoption["id"])
    return None


def may_receive(
    audience: str,
    audience_person_id: int | None,
    person_id: int,
    viewer: Viewer,
    visibility: Visibility,
    now: datetime,
    *,
    group_id: int | None = None,
    groups: Collection[int] = (),
) -> bool:
    """Whether this person, as `viewer` of a network of this visibility, receives an event with this audience.
    `groups`: the engagements the person is named in (and still of that side's organisation)."""
    if audience_person_id is not None and audience_person_id == person_id and allowed_any(viewer, visibility, now):
        return True
    if audience == PARTIES:  # the named people alone: not the leads, not the platform admins
        return group_id is not None and group_id in groups and allowed(Action.READ, visibility, viewer, now)
    if audience == READERS:
        return allowed(Action.READ, visibility, viewer, now)
    if audience == MEMBERS:
        return allowed(Action.SEE_MEMBERS, visibility, viewer, now)
    if audience in (LEADS, WITHHELD):
        return allowed(Action.MODERATE, visibility, viewer, now)
    return False  # `person`, for someone else


def allowed_any(viewer: Viewer, visibility: Visibility, now: datetime) -> bool:
    """A person named by an event still receives it only while they may read the network at all
    (an author suspended from it receives nothing of it)."""
    return allowed(Action.READ, visibility, viewer, now)
