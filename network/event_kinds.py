"""Every kind of event a network's log carries: its name on the wire, who receives it, and the keys
its payload always has.

One list, so a kind cannot be appended that no one decided the audience of, the tests enumerate
every kind, and docs/protocol.md's table of event data is checked against it
(tests/network/test_event_kinds.py). `network/audience.py` reads the audiences from here;
`network/activity.py` refuses a payload that lacks a key its kind promises.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    NETWORK_CREATED = "network.created"
    NETWORK_DESCRIBED = "network.described"
    NETWORK_UPDATED = "network.updated"
    CHARTER_CHANGED = "charter.changed"
    POST_CREATED = "post.created"
    POST_UPDATED = "post.updated"
    POST_RESTORED = "post.restored"
    POST_HELD = "post.held"
    POST_HIDDEN = "post.hidden"
    POST_REMOVED = "post.removed"
    POST_REDACTED = "post.redacted"
    REPLY_CREATED = "reply.created"
    REPLY_UPDATED = "reply.updated"
    REPLY_RESTORED = "reply.restored"
    REPLY_HELD = "reply.held"
    REPLY_HIDDEN = "reply.hidden"
    REPLY_REMOVED = "reply.removed"
    REPLY_REDACTED = "reply.redacted"
    REACTION_CHANGED = "reaction.changed"
    OFFER_MADE = "offer.made"
    OFFER_ACCEPTED = "offer.accepted"
    OFFER_DECLINED = "offer.declined"
    OFFER_WITHDRAWN = "offer.withdrawn"
    MEMBER_JOINED = "member.joined"
    MEMBER_UPDATED = "member.updated"
    MEMBER_LEFT = "member.left"
    MEMBER_ASKED = "member.asked"
    MEMBER_REQUEST_CLOSED = "member.request_closed"
    DECISION_LOGGED = "decision.logged"
    APPEAL_FILED = "appeal.filed"
    QUEUE_CHANGED = "queue.changed"
    QUEUE_NOTED = "queue.noted"
    ENGAGEMENT_OPENED = "engagement.opened"
    ENGAGEMENT_UPDATED = "engagement.updated"
    ENGAGEMENT_MESSAGE = "engagement.message"
    ENGAGEMENT_CHECK_IN = "engagement.check_in"
    ENGAGEMENT_OUTCOME = "engagement.outcome"
    ENGAGEMENT_CLOSED = "engagement.closed"
    ENGAGEMENT_FOLLOW_UP = "engagement.follow_up"
    ENGAGEMENT_LISTED = "engagement.listed"
    ADOPTION_RECORDED = "adoption.recorded"
    ADOPTION_UPDATED = "adoption.updated"
    ADOPTION_REPORTED = "adoption.reported"
    ADOPTION_HIDDEN = "adoption.hidden"


# who receives a kind (network/audience.py says what each word means)
CONTENT = "content"  # readers while the content it is about is shown; else the leads and who still sees it
HELD = "held"  # content waiting for a lead: the leads and its author
READERS, MEMBERS, LEADS = "readers", "members", "leads"
# the named people of the engagement the event is about (the event's `audience_group_id`)
PARTIES = "parties"


@dataclass(frozen=True, slots=True)
class Spec:
    audience: str
    payload: tuple[str, ...]  # keys every payload of the kind has


SPECS: dict[EventKind, Spec] = {
    EventKind.NETWORK_CREATED: Spec(READERS, ("slug", "charter")),
    EventKind.NETWORK_DESCRIBED: Spec(READERS, ()),  # any of description, visibility, join_policy
    EventKind.NETWORK_UPDATED: Spec(LEADS, ("settings",)),
    EventKind.CHARTER_CHANGED: Spec(READERS, ("version", "body", "clauses")),
    EventKind.POST_CREATED: Spec(CONTENT, ("post",)),
    EventKind.POST_UPDATED: Spec(CONTENT, ("post",)),
    EventKind.POST_RESTORED: Spec(CONTENT, ("post",)),
    EventKind.POST_HELD: Spec(HELD, ("post",)),
    EventKind.POST_HIDDEN: Spec(READERS, ("post_id", "state")),
    EventKind.POST_REMOVED: Spec(READERS, ("post_id", "state")),
    EventKind.POST_REDACTED: Spec(READERS, ("post_id",)),
    EventKind.REPLY_CREATED: Spec(CONTENT, ("reply", "reply_count")),
    EventKind.REPLY_UPDATED: Spec(CONTENT, ("reply", "reply_count")),
    EventKind.REPLY_RESTORED: Spec(CONTENT, ("reply", "reply_count")),
    EventKind.REPLY_HELD: Spec(HELD, ("reply",)),
    EventKind.REPLY_HIDDEN: Spec(READERS, ("reply_id", "post_id", "reply_count")),
    EventKind.REPLY_REMOVED: Spec(READERS, ("reply_id", "post_id", "reply_count")),
    EventKind.REPLY_REDACTED: Spec(READERS, ("reply_id", "post_id")),
    EventKind.REACTION_CHANGED: Spec(CONTENT, ("post_id", "reactions")),
    EventKind.OFFER_MADE: Spec(CONTENT, ("offer",)),
    EventKind.OFFER_ACCEPTED: Spec(CONTENT, ("offer",)),
    EventKind.OFFER_DECLINED: Spec(CONTENT, ("offer",)),
    EventKind.OFFER_WITHDRAWN: Spec(CONTENT, ("offer",)),
    EventKind.MEMBER_JOINED: Spec(MEMBERS, ("member",)),
    EventKind.MEMBER_UPDATED: Spec(MEMBERS, ("member",)),
    EventKind.MEMBER_LEFT: Spec(MEMBERS, ("person_id",)),
    EventKind.MEMBER_ASKED: Spec(LEADS, ("member",)),
    EventKind.MEMBER_REQUEST_CLOSED: Spec(LEADS, ("person_id",)),
    EventKind.DECISION_LOGGED: Spec(READERS, ("entry",)),
    EventKind.APPEAL_FILED: Spec(READERS, ("decision_id", "appeal_id")),
    EventKind.QUEUE_CHANGED: Spec(LEADS, ("entry", "open_count")),
    EventKind.QUEUE_NOTED: Spec(LEADS, ("entry_id", "notes", "note")),
    EventKind.ENGAGEMENT_OPENED: Spec(PARTIES, ("engagement",)),
    EventKind.ENGAGEMENT_UPDATED: Spec(PARTIES, ("engagement",)),
    EventKind.ENGAGEMENT_MESSAGE: Spec(PARTIES, ("engagement_id", "message")),
    EventKind.ENGAGEMENT_CHECK_IN: Spec(PARTIES, ("engagement_id", "check_in")),
    EventKind.ENGAGEMENT_OUTCOME: Spec(PARTIES, ("engagement_id", "outcome")),
    EventKind.ENGAGEMENT_CLOSED: Spec(PARTIES, ("engagement",)),
    EventKind.ENGAGEMENT_FOLLOW_UP: Spec(PARTIES, ("engagement_id", "follow_up")),
    EventKind.ENGAGEMENT_LISTED: Spec(READERS, ("engagement", "listed")),
    # an adoption record is content about its practice: for readers while both are shown (network/adoption/)
    EventKind.ADOPTION_RECORDED: Spec(CONTENT, ("adoption", "post_id", "summary")),
    EventKind.ADOPTION_UPDATED: Spec(CONTENT, ("adoption", "post_id", "summary")),
    EventKind.ADOPTION_REPORTED: Spec(CONTENT, ("adoption", "post_id", "summary")),
    EventKind.ADOPTION_HIDDEN: Spec(READERS, ("adoption_id", "post_id", "state", "summary")),
}

# kinds that say content left or came back to the readers' view: earlier events about it are re-decided
MOVES = frozenset(
    {
        EventKind.POST_HIDDEN,
        EventKind.POST_REMOVED,
        EventKind.POST_RESTORED,
        EventKind.REPLY_HIDDEN,
        EventKind.REPLY_REMOVED,
        EventKind.REPLY_RESTORED,
        EventKind.ADOPTION_HIDDEN,
    }
)
# kinds after which the member they name is read again by the live hub (a join, a role or state, leaving)
MEMBERSHIP = frozenset(
    {
        EventKind.MEMBER_JOINED,
        EventKind.MEMBER_UPDATED,
        EventKind.MEMBER_LEFT,
        EventKind.MEMBER_ASKED,
        EventKind.MEMBER_REQUEST_CLOSED,
    }
)
# kinds after which every live subscriber is read again (the network's visibility may have changed)
NETWORK_WIDE = frozenset({EventKind.NETWORK_UPDATED})
# kinds that may change who is named in an engagement: the people their payload names as `regrouped`
# (added or dropped) are read again by the live hub
REGROUPING = frozenset({EventKind.ENGAGEMENT_OPENED, EventKind.ENGAGEMENT_UPDATED})


def missing(kind: EventKind, payload: dict[str, object]) -> list[str]:
    """The keys this kind promises that the payload lacks."""
    return [key for key in SPECS[kind].payload if key not in payload]
