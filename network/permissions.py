"""Who may do what in a network: docs/design.md §4.1 as one pure function.

No I/O here. Callers load the facts (is the viewer signed in, an admin, their membership
role, state and its end time) into a `Viewer` and ask `allowed(action, visibility, viewer, now)`.
Services call it before every read or write; tests walk the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from network.enums import MemberState, Role, Visibility


class Action(StrEnum):
    READ = "read"  # list and read posts and the transparency log; for hidden networks, also know it exists
    SEE_MEMBERS = "see_members"  # the member list (and who joins, leaves or is sanctioned)
    CONTRIBUTE = "contribute"  # post, reply, offer, react
    FLAG = "flag"
    MODERATE = "moderate"  # moderate, approve joins, set roles, edit the charter
    EXPORT = "export"


@dataclass(frozen=True, slots=True)
class Viewer:
    """What the rules need to know about the person asking."""

    signed_in: bool
    is_admin: bool = False
    role: Role | None = None  # None: not a member of this network
    state: MemberState | None = None
    until: datetime | None = None  # end of a mute or suspension
    observer_only: bool = False  # of a regulator or government organisation
    unverified: bool = False  # not (yet, or no longer) verified to act for their organisation (§3.9)

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls(signed_in=False)


ANONYMOUS = Viewer.anonymous()


def effective_state(state: MemberState | None, until: datetime | None, now: datetime) -> MemberState | None:
    """A mute or suspension whose time has passed counts as active again."""
    if state in (MemberState.MUTED, MemberState.SUSPENDED) and until is not None and until <= now:
        return MemberState.ACTIVE
    return state


def _column(viewer: Viewer, now: datetime) -> str:
    """The table column a viewer falls in: anon, outsider, pending, member, muted, excluded, observer,
    lead, or outside_observer (a regulator's or government's person who is not the network's observer)."""
    column = _membership_column(viewer, now)
    if viewer.observer_only and column in ("outsider", "pending"):
        return "outside_observer"  # they read a network only as its listed observer
    return column


def _membership_column(viewer: Viewer, now: datetime) -> str:
    if not viewer.signed_in:
        return "anon"
    state = effective_state(viewer.state, viewer.until, now)
    if viewer.role is None or state is None:
        return "outsider"
    if state is MemberState.PENDING:
        return "pending"
    if state in (MemberState.SUSPENDED, MemberState.BANNED):
        return "excluded"
    if viewer.role is Role.OBSERVER:
        return "observer"
    if state is MemberState.MUTED:
        return "muted"
    if viewer.role is Role.LEAD:
        return "lead"
    return "member"


_READ_MEMBERS_ONLY = frozenset({"member", "muted", "observer", "lead"})
# a public network's posts: every signed-in person but those suspended or banned from it, and
# people of regulators and government who are not its observers (docs/design.md §4.2)
_READ_PUBLIC = frozenset({"outsider", "pending", *_READ_MEMBERS_ONLY})

_TABLE: dict[Action, frozenset[str]] = {
    Action.SEE_MEMBERS: _READ_MEMBERS_ONLY,
    Action.CONTRIBUTE: frozenset({"member", "lead"}),
    Action.FLAG: frozenset({"member", "muted", "lead"}),
    Action.MODERATE: frozenset({"lead"}),
    Action.EXPORT: frozenset({"lead"}),
}


# what a person who is not verified for their organisation may not do, whatever their membership
_ACTS = frozenset({Action.CONTRIBUTE, Action.FLAG})


def allowed(action: Action, visibility: Visibility, viewer: Viewer, now: datetime) -> bool:
    if viewer.unverified and action in _ACTS:
        return False  # nothing they do may read as their organisation's until it vouches for them
    column = _column(viewer, now)
    if action in (Action.READ, Action.SEE_MEMBERS, Action.MODERATE) and viewer.is_admin:
        # the platform's operators can see what they run; their acts inside a network always
        # appear, named, in its log
        return True
    if action is Action.READ:
        if visibility is Visibility.PUBLIC:
            return column in _READ_PUBLIC
        return column in _READ_MEMBERS_ONLY
    return column in _TABLE[action]


def can_list_network(visibility: Visibility, viewer: Viewer, now: datetime) -> bool:
    """Whether a network appears in a directory listing.

    Anonymous visitors see public and members-only networks in the directory (a landing page
    may show them; bodies need sign-in). Hidden networks are shown only to those who may read them.
    """
    if visibility is Visibility.HIDDEN:
        return allowed(Action.READ, visibility, viewer, now)
    return True
