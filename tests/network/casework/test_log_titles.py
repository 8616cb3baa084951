"""Which log readers are told the title of the content an entry concerns: the rule walked directly, column by
column of the permission table (docs/design.md §4.1, §4.3), for each state of a post and of a reply.

The expected answers are typed out here, not derived from the module's own checks.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from network.access import Access
from network.casework.log_titles import NOTHING, Concerned, concerned
from network.enums import ContentState, MemberState, Role, Visibility
from network.models import Network, Person, Post, Reply
from network.permissions import Viewer

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
AUTHOR, READER = 10, 11

# who reads what (§4.1 and §4.3): the network's readers see shown content, leads and platform admins all of it,
# an author their own held or hidden content (not removed); the rest read nothing of the network
COLUMNS: dict[str, tuple[Viewer, int]] = {
    "member": (Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.ACTIVE), READER),
    "author": (Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.ACTIVE), AUTHOR),
    "observer": (Viewer(signed_in=True, role=Role.OBSERVER, state=MemberState.ACTIVE), READER),
    "lead": (Viewer(signed_in=True, role=Role.LEAD, state=MemberState.ACTIVE), READER),
    "platform admin": (Viewer(signed_in=True, is_admin=True), READER),
    "signed in, not a member": (Viewer(signed_in=True), READER),
    "suspended": (Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.SUSPENDED), READER),
    "banned author": (Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.BANNED), AUTHOR),
    "regulator, not observing": (Viewer(signed_in=True, observer_only=True), READER),
    "anonymous": (Viewer.anonymous(), 0),
}
SEES_SHOWN = {"member", "author", "observer", "lead", "platform admin"}
SEES_ALL = {"lead", "platform admin"}


def access(column: str, visibility: Visibility = Visibility.MEMBERS, network_id: int = 1) -> Access:
    viewer, person_id = COLUMNS[column]
    network = Network(id=network_id, slug="n", name="N", visibility=visibility)
    person = Person(id=person_id, display_name="P", is_admin=viewer.is_admin) if viewer.signed_in else None
    return Access(network=network, person=person, membership=None, viewer=viewer, now=NOW)


def post(state: ContentState = ContentState.VISIBLE, network_id: int = 1) -> Post:
    return Post(id=63, network_id=network_id, author_id=AUTHOR, state=state, title="Phonics catch-up")


def reply(state: ContentState) -> Reply:
    return Reply(id=7, post_id=63, author_id=AUTHOR, state=state)


def sees(column: str, state: ContentState) -> bool:
    if state is ContentState.VISIBLE:
        return column in SEES_SHOWN
    if column in SEES_ALL:
        return True
    return column == "author" and state is not ContentState.REMOVED


@pytest.mark.parametrize("state", list(ContentState))
@pytest.mark.parametrize("column", list(COLUMNS))
def test_a_post_is_named_for_those_who_may_read_it(column: str, state: ContentState) -> None:
    told = concerned(access(column), post(state))
    if sees(column, state):
        assert told == Concerned("Phonics catch-up", "/posts/63")
    else:
        assert told == NOTHING and told.title is None and told.link is None


@pytest.mark.parametrize("reply_state", list(ContentState))
@pytest.mark.parametrize("post_state", list(ContentState))
@pytest.mark.parametrize("column", list(COLUMNS))
def test_a_reply_is_named_by_its_post_and_linked_only_where_it_is_seen(
    column: str, post_state: ContentState, reply_state: ContentState
) -> None:
    told = concerned(access(column), post(post_state), reply(reply_state))
    if not sees(column, post_state):
        assert told == NOTHING
    elif sees(column, reply_state):
        assert told == Concerned("Phonics catch-up", "/posts/63#reply-7")
    else:  # the post is theirs to read, the reply is not there for them
        assert told == Concerned("Phonics catch-up", "/posts/63")


def test_a_public_networks_shown_post_is_named_for_any_signed_in_reader_but_not_a_regulator() -> None:
    assert concerned(access("signed in, not a member", Visibility.PUBLIC), post()).title == "Phonics catch-up"
    assert concerned(access("regulator, not observing", Visibility.PUBLIC), post()) == NOTHING
    assert concerned(access("anonymous", Visibility.HIDDEN), post()) == NOTHING


def test_content_of_another_network_or_none_is_never_named() -> None:
    assert concerned(access("lead"), post(network_id=2)) == NOTHING
    assert concerned(access("lead"), None) == NOTHING
    other = Reply(id=8, post_id=64, author_id=AUTHOR, state=ContentState.VISIBLE)
    assert concerned(access("lead"), post(), other) == NOTHING
