"""What a digest picks for one person (`server.mail.digest.choose`, no I/O), against the permission
table (docs/design.md §4.1, typed out again here) and the follow levels (§3.10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from network.enums import Affiliation, FollowLevel, MemberState, OrgKind, PostKind, Role, Visibility
from network.models import Membership, Network, Organisation, Person
from server.mail import digest
from tests.conftest import make_settings

NOW = datetime(2026, 12, 7, 7, tzinfo=UTC)
SINCE = NOW - timedelta(days=7)
FUTURE = NOW + timedelta(days=3)

# column → (role, state); whether a digest shows the network's news, per visibility, typed from §4.1's
# "read" rows (a pending request follows nothing, so the run never reads one: not a column here)
COLUMNS = {
    "member": (Role.MEMBER, MemberState.ACTIVE),
    "muted": (Role.MEMBER, MemberState.MUTED),
    "suspended": (Role.MEMBER, MemberState.SUSPENDED),
    "banned": (Role.MEMBER, MemberState.BANNED),
    "observer": (Role.OBSERVER, MemberState.ACTIVE),
    "lead": (Role.LEAD, MemberState.ACTIVE),
}
Y, N = True, False
TABLE = {  # member, muted, suspended, banned, observer, lead
    Visibility.PUBLIC: (Y, Y, N, N, Y, Y),
    Visibility.MEMBERS: (Y, Y, N, N, Y, Y),
    Visibility.HIDDEN: (Y, Y, N, N, Y, Y),
}


def person(kind: OrgKind = OrgKind.MULTI_ACADEMY_TRUST, **kw: object) -> Person:
    org = Organisation(id=1, name="Cobalt Vale Academies", kind=kind)
    values: dict[str, object] = {
        "id": 7,
        "organisation_id": 1,
        "organisation": org,
        "affiliation": Affiliation.VERIFIED,
        "interest_phases": [],
        "interest_themes": [],
        "is_admin": False,
    }
    return Person(**(values | kw))


def item(post_id: int, kind: PostKind, *, author: int = 99, days_ago: float = 1, **kw: object) -> digest.Item:
    """A post by someone else (person 99, unless `author`) of another organisation (2)."""
    values: dict[str, object] = {
        "post_id": post_id,
        "network_id": 10,
        "kind": kind,
        "title": f"Post {post_id}",
        "author_id": author,
        "organisation_id": 2,
        "organisation": "Brightwater Learning Partnership",
        "created_at": NOW - timedelta(days=days_ago),
        "phases": (),
        "themes": (),
    }
    return digest.Item(**(values | kw))  # type: ignore[arg-type]


def content(visibility: Visibility = Visibility.PUBLIC) -> dict[int, digest.NetworkContent]:
    network = Network(id=10, name="North West", visibility=visibility)
    practice, request = item(1, PostKind.PRACTICE), item(2, PostKind.REQUEST)
    waiting = item(3, PostKind.REQUEST, days_ago=30, text="help with attendance in our secondary schools")
    useful = item(4, PostKind.PRACTICE, days_ago=3, useful=5)
    return {10: digest.NetworkContent(network, new=[practice, request, useful], waiting=[waiting], useful=[useful])}


def membership(role: Role, state: MemberState, level: FollowLevel = FollowLevel.ALL) -> Membership:
    until = FUTURE if state in (MemberState.MUTED, MemberState.SUSPENDED) else None
    return Membership(network_id=10, person_id=7, role=role, state=state, until=until, follow_level=level)


def chosen(who: Person, memberships: list[Membership], visibility: Visibility = Visibility.PUBLIC) -> str:
    cache = digest.RunCache(make_settings("sqlite+aiosqlite://", "var"))  # type: ignore[arg-type]
    sections = digest.choose(who, memberships, content(visibility), SINCE, NOW, cache)
    return "\n".join(f"{s.heading}: " + " | ".join(i.text for i in s.items) for s in sections)


@pytest.mark.parametrize("visibility", list(TABLE))
@pytest.mark.parametrize("column", list(COLUMNS))
def test_a_digest_shows_a_network_only_to_those_the_table_lets_read_it(visibility: Visibility, column: str) -> None:
    role, state = COLUMNS[column]
    shown = chosen(person(), [membership(role, state)], visibility)
    expected = TABLE[visibility][list(COLUMNS).index(column)]
    assert ("Post 1" in shown) is expected, shown


def test_a_regulator_who_is_not_the_networks_observer_reads_nothing_of_it() -> None:
    regulator = person(OrgKind.REGULATOR)
    assert chosen(regulator, [membership(Role.MEMBER, MemberState.PENDING)]) == ""
    assert "Post 1" in chosen(regulator, [membership(Role.OBSERVER, MemberState.ACTIVE)])


def test_follow_levels_choose_the_sections() -> None:
    every = chosen(person(), [membership(Role.MEMBER, MemberState.ACTIVE, FollowLevel.ALL)])
    assert "New practice in North West: “Post 1”" in every and "New requests in North West: “Post 2”" in every
    assert "still waiting for an offer: “Post 3”" in every and "most useful" in every
    requests = chosen(person(), [membership(Role.MEMBER, MemberState.ACTIVE, FollowLevel.REQUESTS_ONLY)])
    assert "New practice" not in requests and "Post 2" in requests and "Post 3" in requests and "Post 4" in requests
    mentions = chosen(person(), [membership(Role.MEMBER, MemberState.ACTIVE, FollowLevel.MENTIONS)])
    assert mentions.startswith("Practice found most useful in North West this period: “Post 4”")
    assert "(5 members found it useful)" in mentions
    assert chosen(person(), [membership(Role.MEMBER, MemberState.ACTIVE, FollowLevel.MUTED)]) == ""


def test_own_posts_and_own_organisations_requests_are_not_news() -> None:
    mine = person(id=99)  # the author of every post
    shown = chosen(mine, [membership(Role.MEMBER, MemberState.ACTIVE)])
    assert "Post 1" not in shown and "Post 2" not in shown and "Post 4" not in shown
    colleague = person(organisation_id=2)  # the requesting organisation's own
    assert "Post 3" not in chosen(colleague, [membership(Role.MEMBER, MemberState.ACTIVE)])


def test_waiting_requests_follow_the_chosen_phases_and_themes() -> None:
    member = [membership(Role.MEMBER, MemberState.ACTIVE)]
    assert "Post 3" in chosen(person(interest_phases=["secondary"]), member)
    assert "Post 3" not in chosen(person(interest_phases=["primary"]), member)
    assert "Post 3" in chosen(person(interest_phases=["primary"], interest_themes=["Attendance"]), member)
    assert "Post 3" not in chosen(person(interest_themes=["phonics"]), member)


def test_only_what_came_since_the_last_digest_is_new() -> None:
    cache = digest.RunCache(make_settings("sqlite+aiosqlite://", "var"))  # type: ignore[arg-type]
    later = NOW - timedelta(hours=12)  # the last digest was built after posts 1, 2 and 4 came
    sections = digest.choose(person(), [membership(Role.MEMBER, MemberState.ACTIVE)], content(), later, NOW, cache)
    assert [s.news for s in sections] == [False, True]  # the waiting request, and the week's most useful


def test_a_busy_network_shows_a_few_and_counts_the_rest_without_the_readers_own() -> None:
    network = Network(id=10, name="North West", visibility=Visibility.PUBLIC)
    new = [item(n, PostKind.PRACTICE, author=7 if n < 2 else 99) for n in range(12)]
    busy = {10: digest.NetworkContent(network, new=new)}
    cache = digest.RunCache(make_settings("sqlite+aiosqlite://", "var"))  # type: ignore[arg-type]
    (section,) = digest.choose(person(), [membership(Role.MEMBER, MemberState.ACTIVE)], busy, SINCE, NOW, cache)
    assert len(section.items) == digest.PER_SECTION
    assert "Post 0" not in section.items[0].text and "Post 2" in section.items[0].text
    assert section.more == "And 2 more: see North West on the site."  # 10 by others, 8 shown
