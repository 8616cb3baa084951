"""A network's feed page, kept encoded while nothing on it can have changed.

Most reads of a feed come from members who all see the same page, so each process keeps
recent pages as the bytes it sent. The key holds the network's event head: every change
members can see appends to the network's log (the live protocol depends on that), so a post,
reply, offer, reaction, edit, pin or moderation decision makes a new key, and a stale key is
simply never asked for again. The one thing a page shows that changes outside the log is its
authors' names and organisations, so a hit re-reads those (one statement) and is served only
if they are as they were.

Leads, and authors with their own posts awaiting review or hidden, see a feed of their own:
they are never served from here, and a page holding anything but visible posts is never kept.
Written here rather than taken from Litestar's response cache, whose key is the path with a
time-to-live: it cannot know the head moved, so it would serve a page without the post just made.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

import msgspec
from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.enums import ContentState
from network.models import Person, Post
from network.permissions import Action
from network.views import Page, PersonRef, person_ref

PAGES = 256
"""Pages kept per process: a page of 30 posts is about 70 KB encoded."""


@dataclass(frozen=True, slots=True)
class Entry:
    page: bytes
    authors: tuple[int, ...]
    names: bytes  # the authors' references as shown on the page, encoded


class FeedCache:
    """Encoded pages by key, least recently used dropped first."""

    def __init__(self, size: int = PAGES) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()

    def get(self, key: Hashable) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def page_key(access: Access, *parameters: Hashable) -> Hashable | None:
    """The key of the asker's page (network, event head, the request's parameters), or None
    when the asker's feed is their own (a lead also sees held and hidden posts)."""
    if access.can(Action.MODERATE):
        return None
    return (access.network.id, access.network.event_seq, *parameters)


def _names(refs: list[PersonRef]) -> bytes:
    return msgspec.json.encode(sorted(refs, key=lambda r: r.id))


def entry_for(page: Page, encoded: bytes) -> Entry | None:
    """What to keep of a page just computed: nothing if it holds a post only some may see."""
    if not page.items or any(item.state is not ContentState.VISIBLE for item in page.items):
        return None
    refs = {item.author.id: item.author for item in page.items}
    return Entry(encoded, tuple(sorted(refs)), _names(list(refs.values())))


# Built once, with bound parameters (see network/people/accounts.py's _LIVE_TOKEN for why). For an
# anonymous reader person_id is NULL, which no author_id equals: they have no posts of their own.
_AUTHORS_AND_OWN_UNPUBLISHED = select(
    Person,
    exists().where(
        Post.network_id == bindparam("network_id"),
        Post.author_id == bindparam("person_id"),
        Post.state.in_((ContentState.HELD, ContentState.HIDDEN)),
    ),
).where(Person.id.in_(bindparam("authors", expanding=True)))


async def still_shown(session: AsyncSession, access: Access, entry: Entry) -> bool:
    """Whether a kept page is what the asker would be shown now: its authors' names unchanged,
    and the asker has no unpublished posts of their own in the network (one statement)."""
    person_id = access.person.id if access.person is not None else None
    params = {"authors": list(entry.authors), "network_id": access.network.id, "person_id": person_id}
    result = await session.execute(_AUTHORS_AND_OWN_UNPUBLISHED, params)
    rows = result.all()
    if not rows or rows[0][1]:
        return False
    return _names([person_ref(row[0]) for row in rows]) == entry.names
