"""Network permissions against the table in docs/design.md §4.1.

The expected values below are typed out from the design's table, not derived from the
implementation, so a rule that drifts from the design fails here with the cell's id.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from network.enums import MemberState, Role, Visibility
from network.permissions import Action, Viewer, allowed, can_list_network, effective_state

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
FUTURE = NOW + timedelta(days=3)
PAST = NOW - timedelta(days=3)

# The table's columns as viewers (docs/design.md §4.1 lists suspended and banned apart).
COLUMNS: dict[str, Viewer] = {
    "anon": Viewer(signed_in=False),
    "not_member": Viewer(signed_in=True),
    "pending": Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.PENDING),
    "member": Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.ACTIVE),
    "muted": Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.MUTED, until=FUTURE),
    "suspended": Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.SUSPENDED, until=FUTURE),
    "banned": Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.BANNED),
    "observer": Viewer(signed_in=True, role=Role.OBSERVER, state=MemberState.ACTIVE),
    "lead": Viewer(signed_in=True, role=Role.LEAD, state=MemberState.ACTIVE),
}

# docs/design.md §4.1, row by row. Order of each tuple:
# anon, not_member, pending, member, muted, suspended, banned, observer, lead
_ORDER = ("anon", "not_member", "pending", "member", "muted", "suspended", "banned", "observer", "lead")
Y, N = True, False
TABLE: dict[str, tuple[bool, ...]] = {
    "read-public": (N, Y, Y, Y, Y, N, N, Y, Y),
    "read-members": (N, N, N, Y, Y, N, N, Y, Y),
    "read-hidden": (N, N, N, Y, Y, N, N, Y, Y),
    "see-members": (N, N, N, Y, Y, N, N, Y, Y),
    "contribute": (N, N, N, Y, N, N, N, N, Y),
    "flag": (N, N, N, Y, Y, N, N, N, Y),
    "moderate": (N, N, N, N, N, N, N, N, Y),
    "export": (N, N, N, N, N, N, N, N, Y),
}

_READ_ROWS = {
    "read-public": Visibility.PUBLIC,
    "read-members": Visibility.MEMBERS,
    "read-hidden": Visibility.HIDDEN,
}
_OTHER_ROWS = {
    "see-members": Action.SEE_MEMBERS,
    "contribute": Action.CONTRIBUTE,
    "flag": Action.FLAG,
    "moderate": Action.MODERATE,
    "export": Action.EXPORT,
}


def _cells() -> list:
    cells = []
    for row, visibility in _READ_ROWS.items():
        for column, expected in zip(_ORDER, TABLE[row], strict=True):
            cells.append(pytest.param(Action.READ, visibility, column, expected, id=f"read-{visibility}-{column}"))
    for row, action in _OTHER_ROWS.items():
        for visibility in Visibility:
            for column, expected in zip(_ORDER, TABLE[row], strict=True):
                cells.append(pytest.param(action, visibility, column, expected, id=f"{action}-{visibility}-{column}"))
    return cells


def test_table_covers_every_column_and_action():
    assert set(_ORDER) == set(COLUMNS)
    assert len(TABLE) == 8
    assert all(len(cells) == len(_ORDER) for cells in TABLE.values())
    assert set(_OTHER_ROWS.values()) | {Action.READ} == set(Action)


@pytest.mark.parametrize(("action", "visibility", "column", "expected"), _cells())
def test_table(action: Action, visibility: Visibility, column: str, expected: bool):
    assert allowed(action, visibility, COLUMNS[column], NOW) is expected


# --- time ---------------------------------------------------------------------------------


def test_lapsed_mute_counts_as_active_member_and_may_contribute():
    viewer = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.MUTED, until=PAST)
    assert allowed(Action.CONTRIBUTE, Visibility.MEMBERS, viewer, NOW) is True


def test_current_mute_may_not_contribute():
    viewer = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.MUTED, until=FUTURE)
    assert allowed(Action.CONTRIBUTE, Visibility.MEMBERS, viewer, NOW) is False


def test_lapsed_suspension_may_read_members_network():
    viewer = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.SUSPENDED, until=PAST)
    assert allowed(Action.READ, Visibility.MEMBERS, viewer, NOW) is True


def test_indefinite_suspension_may_not_read_members_network():
    viewer = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.SUSPENDED, until=None)
    assert allowed(Action.READ, Visibility.MEMBERS, viewer, NOW) is False


def test_ban_never_lapses():
    viewer = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.BANNED, until=PAST)
    assert allowed(Action.READ, Visibility.MEMBERS, viewer, NOW) is False


# --- observers ----------------------------------------------------------------------------

OBSERVER = COLUMNS["observer"]


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.HIDDEN])
def test_observer_may_read(visibility: Visibility):
    assert allowed(Action.READ, visibility, OBSERVER, NOW) is True


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("action", [Action.CONTRIBUTE, Action.FLAG, Action.MODERATE, Action.EXPORT])
def test_observer_may_do_nothing_else(action: Action, visibility: Visibility):
    assert allowed(action, visibility, OBSERVER, NOW) is False


def test_pending_observer_may_not_read_members_network():
    viewer = Viewer(signed_in=True, role=Role.OBSERVER, state=MemberState.PENDING)
    assert allowed(Action.READ, Visibility.MEMBERS, viewer, NOW) is False


# docs/design.md §4.2: a person of a regulator or government organisation reads a network, public ones
# included, only as its listed observer.
@pytest.mark.parametrize(
    "viewer",
    [
        pytest.param(Viewer(signed_in=True, observer_only=True), id="not-a-member"),
        pytest.param(
            Viewer(signed_in=True, role=Role.OBSERVER, state=MemberState.PENDING, observer_only=True),
            id="asking-to-observe",
        ),
    ],
)
@pytest.mark.parametrize("visibility", list(Visibility))
def test_regulator_reads_only_as_listed_observer(viewer: Viewer, visibility: Visibility):
    assert allowed(Action.READ, visibility, viewer, NOW) is False
    assert allowed(Action.SEE_MEMBERS, visibility, viewer, NOW) is False


@pytest.mark.parametrize("visibility", list(Visibility))
def test_listed_regulator_observer_reads(visibility: Visibility):
    viewer = Viewer(signed_in=True, role=Role.OBSERVER, state=MemberState.ACTIVE, observer_only=True)
    assert allowed(Action.READ, visibility, viewer, NOW) is True
    assert allowed(Action.CONTRIBUTE, visibility, viewer, NOW) is False


def test_lapsed_suspension_reads_a_public_network_again():
    viewer = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.SUSPENDED, until=PAST)
    assert allowed(Action.READ, Visibility.PUBLIC, viewer, NOW) is True


# --- platform admin -----------------------------------------------------------------------

ADMIN = Viewer(signed_in=True, is_admin=True)


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("action", [Action.READ, Action.SEE_MEMBERS, Action.MODERATE])
def test_admin_may_read_and_moderate(action: Action, visibility: Visibility):
    assert allowed(action, visibility, ADMIN, NOW) is True


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("action", [Action.CONTRIBUTE, Action.FLAG, Action.EXPORT])
def test_admin_may_not_contribute_flag_or_export(action: Action, visibility: Visibility):
    assert allowed(action, visibility, ADMIN, NOW) is False


# --- directory listing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "listed"),
    [(Visibility.PUBLIC, True), (Visibility.MEMBERS, True), (Visibility.HIDDEN, False)],
)
def test_anonymous_listing(visibility: Visibility, listed: bool):
    assert can_list_network(visibility, COLUMNS["anon"], NOW) is listed


def test_member_sees_hidden_network_listed():
    assert can_list_network(Visibility.HIDDEN, COLUMNS["member"], NOW) is True


def test_pending_does_not_see_hidden_network_listed():
    assert can_list_network(Visibility.HIDDEN, COLUMNS["pending"], NOW) is False


# --- effective_state ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "until", "expected"),
    [
        pytest.param(MemberState.MUTED, PAST, MemberState.ACTIVE, id="muted-lapsed"),
        pytest.param(MemberState.SUSPENDED, PAST, MemberState.ACTIVE, id="suspended-lapsed"),
        pytest.param(MemberState.MUTED, FUTURE, MemberState.MUTED, id="muted-current"),
        pytest.param(MemberState.SUSPENDED, FUTURE, MemberState.SUSPENDED, id="suspended-current"),
        pytest.param(MemberState.MUTED, None, MemberState.MUTED, id="muted-indefinite"),
        pytest.param(MemberState.SUSPENDED, None, MemberState.SUSPENDED, id="suspended-indefinite"),
        pytest.param(MemberState.BANNED, PAST, MemberState.BANNED, id="banned-past-until"),
        pytest.param(MemberState.BANNED, None, MemberState.BANNED, id="banned"),
        pytest.param(MemberState.PENDING, PAST, MemberState.PENDING, id="pending-past-until"),
        pytest.param(MemberState.ACTIVE, None, MemberState.ACTIVE, id="active"),
        pytest.param(None, None, None, id="none"),
        pytest.param(None, PAST, None, id="none-past-until"),
    ],
)
def test_effective_state(state: MemberState | None, until: datetime | None, expected: MemberState | None):
    assert effective_state(state, until, NOW) is expected


# --- not verified for one's organisation (docs/design.md §3.9) -------------------------------


# An unverified person keeps every read their membership gives (the read rows of the table) and loses
# every act: no contributing and no flagging, in any column, on any visibility.
@pytest.mark.parametrize("column", _ORDER)
@pytest.mark.parametrize("visibility", list(Visibility))
def test_an_unverified_person_reads_as_their_column_and_acts_in_none(column: str, visibility: Visibility):
    base = COLUMNS[column]
    unverified = Viewer(
        signed_in=base.signed_in, role=base.role, state=base.state, until=base.until, unverified=base.signed_in
    )
    for action in (Action.READ, Action.SEE_MEMBERS, Action.MODERATE, Action.EXPORT):
        assert allowed(action, visibility, unverified, NOW) is allowed(action, visibility, base, NOW), action
    assert allowed(Action.CONTRIBUTE, visibility, unverified, NOW) is False
    assert allowed(Action.FLAG, visibility, unverified, NOW) is False
