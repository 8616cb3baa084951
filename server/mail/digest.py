"""What goes in a person's digest: read once per run for every network, chosen per person.

`gather` reads, once per run, each network's visible posts of the period, its open requests still
without an offer, and its practices found most useful in the period. `choose` (no I/O) picks, for
one person, what they may read now and asked to hear of: networks they are a member of and may read
(docs/design.md §4.1, the same `allowed` as every other channel), at their follow level's sections
(network/people/mail_settings.py), from after their last digest, without their own posts, and open
requests that name their phases or themes (all of them if they chose none) and that their own
organisation did not make. A digest with nothing new in it is not sent.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import viewer_for
from network.enums import ContentState, OfferStatus, PostKind, ReactionKind, RequestStatus
from network.models import Membership, Network, Offer, Organisation, Person, Post, Reaction
from network.people import mail_settings
from network.permissions import Action, allowed
from server.mail.letters import Line, Section, line
from server.settings import Settings

PER_SECTION = 8  # items shown per section of one network; the rest are counted, with a link
WAITING_PER_NETWORK = 40  # open requests without an offer kept per network (newest first), before choosing
USEFUL_PER_NETWORK = 5


@dataclass(frozen=True, slots=True)
class Item:
    post_id: int
    network_id: int
    kind: PostKind
    title: str
    author_id: int
    organisation_id: int
    organisation: str
    created_at: datetime
    phases: tuple[str, ...]
    themes: tuple[str, ...]
    useful: int = 0
    text: str = ""  # a waiting request's title and body, lower-cased, to match the reader's interests


@dataclass(slots=True)
class NetworkContent:
    network: Network
    new: list[Item] = field(default_factory=list)  # newest first
    waiting: list[Item] = field(default_factory=list)  # open requests without an offer, newest first
    useful: list[Item] = field(default_factory=list)  # most useful first


_FIELDS = (
    Post.id,
    Post.network_id,
    Post.kind,
    Post.title,
    Post.author_id,
    Post.organisation_id,
    Organisation.name,
    Post.created_at,
    Post.phases,
    Post.themes,
)


def _item(row: tuple[object, ...], useful: int = 0, text: str = "") -> Item:
    post_id, network_id, kind, title, author_id, org_id, org, created, phases, themes = row
    return Item(
        int(post_id),  # type: ignore[call-overload]
        int(network_id),  # type: ignore[call-overload]
        PostKind(str(kind)),
        str(title),
        int(author_id),  # type: ignore[call-overload]
        int(org_id),  # type: ignore[call-overload]
        str(org),
        created,  # type: ignore[arg-type]
        tuple(phases or ()),  # type: ignore[arg-type]
        tuple(themes or ()),  # type: ignore[arg-type]
        useful,
        text,
    )


async def gather(session: AsyncSession, since: datetime, now: datetime) -> dict[int, NetworkContent]:
    """Every network's candidates for digests of posts since `since` (three queries, whatever the size)."""
    content = {n.id: NetworkContent(n) for n in (await session.execute(select(Network))).scalars()}
    visible = and_(Post.state == ContentState.VISIBLE, Post.created_at <= now)
    new = await session.execute(
        select(*_FIELDS)
        .join(Organisation, Organisation.id == Post.organisation_id)
        .where(visible, Post.created_at >= since)
        .order_by(Post.id.desc())
    )
    for row in new.tuples():
        item = _item(row)
        content[item.network_id].new.append(item)
    offered = exists().where(Offer.post_id == Post.id, Offer.status.in_((OfferStatus.OPEN, OfferStatus.ACCEPTED)))
    # newest first, a bounded number per network: a window function keeps it one query on both databases
    rank = func.row_number().over(partition_by=Post.network_id, order_by=Post.id.desc()).label("rank")
    waiting = (
        select(*_FIELDS, Post.body, rank)
        .join(Organisation, Organisation.id == Post.organisation_id)
        .where(visible, Post.kind == PostKind.REQUEST, Post.status == RequestStatus.OPEN, ~offered)
        .subquery()
    )
    for row in (await session.execute(select(waiting).where(waiting.c.rank <= WAITING_PER_NETWORK))).tuples():
        *fields, body, _ = row
        item = _item(tuple(fields), text=f"{fields[3]}\n{body}".lower())  # fields[3]: the title
        content[item.network_id].waiting.append(item)
    count = func.count(Reaction.id).label("useful")
    useful = await session.execute(
        select(*_FIELDS, count)
        .join(Reaction, Reaction.post_id == Post.id)
        .join(Organisation, Organisation.id == Post.organisation_id)
        .where(
            visible,
            Post.kind == PostKind.PRACTICE,
            Reaction.kind == ReactionKind.USEFUL,
            Reaction.created_at >= since,
        )
        .group_by(*_FIELDS)
        .order_by(count.desc(), Post.id.desc())
    )
    for row in useful.tuples():
        item = _item(row[:-1], int(row[-1]))
        bucket = content[item.network_id].useful
        if len(bucket) < USEFUL_PER_NETWORK:
            bucket.append(item)
    return content


def interests(person: Person) -> re.Pattern[str] | None:
    """What a waiting request must name to be in the person's phases or themes (None: every one). A
    request names its phase and theme in its own words, so they are looked for in its title and body
    as whole words: "secondary", "early years", "attendance"."""
    wanted = [p.replace("_", " ").replace("post 16", "post-16") for p in person.interest_phases]
    wanted += [t.lower() for t in person.interest_themes]
    if not wanted:
        return None
    return re.compile("|".join(r"\b" + re.escape(word.lower()) for word in wanted))


_HEADINGS = {
    mail_settings.NEW_PRACTICES: "New practice in {}",
    mail_settings.NEW_REQUESTS: "New requests in {}",
    mail_settings.WAITING_REQUESTS: "Open requests in {} still waiting for an offer",
    mail_settings.USEFUL_PRACTICES: "Practice found most useful in {} this period",
}


@dataclass(frozen=True, slots=True)
class _Fresh:
    """A network's posts since a moment, by kind, with how many each author wrote."""

    practices: list[Item]
    requests: list[Item]
    ids: frozenset[int]
    authors: Counter[tuple[PostKind, int]]


class RunCache:
    """What one run shares between the digests it makes: each item's line, and each network's posts since
    a moment (most people's digests start at the same one). Thousands of digests show the same few
    hundred items, so each is made once, and a person's sections cost the same however busy the week."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lines: dict[tuple[str, int], Line] = {}
        self._fresh: dict[tuple[int, datetime], _Fresh] = {}

    def line(self, section: str, item: Item) -> Line:
        key = (section, item.post_id)
        made = self._lines.get(key)
        if made is None:
            link = Markup('“<a href="/posts/{}">{}</a>”').format(item.post_id, item.title)
            if section == mail_settings.USEFUL_PRACTICES:
                marks = "1 member" if item.useful == 1 else f"{item.useful} members"
                sentence = Markup("{} from {} ({} found it useful)").format(link, item.organisation, marks)
            else:
                sentence = Markup("{} from {}").format(link, item.organisation)
            made = self._lines[key] = line(self._settings, sentence)
        return made

    def fresh(self, content: NetworkContent, since: datetime) -> _Fresh:
        key = (content.network.id, since)
        found = self._fresh.get(key)
        if found is None:
            new = [i for i in content.new if i.created_at >= since]
            found = self._fresh[key] = _Fresh(
                [i for i in new if i.kind is PostKind.PRACTICE],
                [i for i in new if i.kind is PostKind.REQUEST],
                frozenset(i.post_id for i in new),
                Counter((i.kind, i.author_id) for i in new),
            )
        return found


def _others(items: list[Item], person_id: int, mine: int) -> tuple[list[Item], int]:
    """The first items not by this person (enough to show), and how many there are in all."""
    shown = []
    for item in items:
        if item.author_id != person_id:
            shown.append(item)
            if len(shown) == PER_SECTION:
                break
    return shown, len(items) - mine


def _section(network: Network, name: str, shown: list[Item], total: int, cache: RunCache) -> Section:
    rest = total - len(shown)
    more = f"And {rest} more: see {network.name} on the site." if rest > 0 else ""
    lines = [cache.line(name, item) for item in shown]
    return Section(_HEADINGS[name].format(network.name), lines, more, name != mail_settings.WAITING_REQUESTS)


def choose(
    person: Person,
    memberships: list[Membership],
    content: dict[int, NetworkContent],
    since: datetime,
    now: datetime,
    cache: RunCache,
) -> list[Section]:
    """The digest's sections for this person. Sent only when one of them is news: requests still
    waiting for an offer are a reminder beside the news, never a digest of their own."""
    sections: list[Section] = []
    wanted_words = interests(person)
    for membership in sorted(memberships, key=lambda m: content[m.network_id].network.name):
        network_content = content.get(membership.network_id)
        if network_content is None:
            continue
        network = network_content.network
        if not allowed(Action.READ, network.visibility, viewer_for(person, membership), now):
            continue
        fresh = cache.fresh(network_content, since)
        for name in mail_settings.digest_sections(membership.follow_level):
            if name == mail_settings.NEW_PRACTICES:
                mine = fresh.authors[(PostKind.PRACTICE, person.id)]
                shown, total = _others(fresh.practices, person.id, mine)
            elif name == mail_settings.NEW_REQUESTS:
                mine = fresh.authors[(PostKind.REQUEST, person.id)]
                shown, total = _others(fresh.requests, person.id, mine)
            elif name == mail_settings.WAITING_REQUESTS:
                shown = [
                    i
                    for i in network_content.waiting
                    if i.organisation_id != person.organisation_id
                    and i.post_id not in fresh.ids
                    and (wanted_words is None or wanted_words.search(i.text))
                ]
                shown, total = shown[:PER_SECTION], len(shown)
            else:
                shown = [i for i in network_content.useful if i.author_id != person.id]
                total = len(shown)
            if shown:
                sections.append(_section(network, name, shown, total, cache))
    return sections
