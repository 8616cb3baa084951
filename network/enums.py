"""The domain's closed vocabularies (docs/design.md §1).

Stored as their string values, so the database reads the same as the API.
"""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    MULTI_ACADEMY_TRUST = "multi_academy_trust"
    SINGLE_ACADEMY_TRUST = "single_academy_trust"
    DIOCESE = "diocese"
    LOCAL_AUTHORITY = "local_authority"
    FEDERATION = "federation"
    OTHER_GROUP = "other_group"
    REGULATOR = "regulator"
    GOVERNMENT = "government"

    @property
    def observer_only(self) -> bool:
        """Regulators and government may at most observe a sector-run network."""
        return self in (OrgKind.REGULATOR, OrgKind.GOVERNMENT)


class OrgStatus(StrEnum):
    """Whether an organisation still runs: the register marks closed groups closed, never deletes them."""

    OPEN = "open"
    CLOSED = "closed"


class Affiliation(StrEnum):
    """Whether a person may act for their organisation (docs/design.md §3.9): verified by a confirmed
    address at one of its verified domains or by one of its approvers; until then waiting."""

    VERIFIED = "verified"
    WAITING = "waiting"  # asked; an approver (or, with none, a platform admin) decides
    DECLINED = "declined"  # an approver said no, with a reason; the person may ask again
    REMOVED = "removed"  # an approver removed them; their past posts stay attributed

    @property
    def may_act(self) -> bool:
        return self is Affiliation.VERIFIED


class NetworkKind(StrEnum):
    REGIONAL = "regional"
    THEMATIC = "thematic"
    NATIONAL = "national"


class Region(StrEnum):
    """England's nine regions."""

    NORTH_EAST = "north_east"
    NORTH_WEST = "north_west"
    YORKSHIRE_AND_THE_HUMBER = "yorkshire_and_the_humber"
    EAST_MIDLANDS = "east_midlands"
    WEST_MIDLANDS = "west_midlands"
    EAST_OF_ENGLAND = "east_of_england"
    LONDON = "london"
    SOUTH_EAST = "south_east"
    SOUTH_WEST = "south_west"

    @property
    def label(self) -> str:
        return REGION_LABELS[self]


REGION_LABELS = {
    Region.NORTH_EAST: "North East",
    Region.NORTH_WEST: "North West",
    Region.YORKSHIRE_AND_THE_HUMBER: "Yorkshire and the Humber",
    Region.EAST_MIDLANDS: "East Midlands",
    Region.WEST_MIDLANDS: "West Midlands",
    Region.EAST_OF_ENGLAND: "East of England",
    Region.LONDON: "London",
    Region.SOUTH_EAST: "South East",
    Region.SOUTH_WEST: "South West",
}


class Visibility(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    HIDDEN = "hidden"


class JoinPolicy(StrEnum):
    OPEN = "open"
    REQUEST = "request"
    INVITE = "invite"


class Role(StrEnum):
    MEMBER = "member"
    LEAD = "lead"
    OBSERVER = "observer"


class MemberState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    MUTED = "muted"
    SUSPENDED = "suspended"
    BANNED = "banned"


class FollowLevel(StrEnum):
    ALL = "all"
    REQUESTS_ONLY = "requests_only"
    MENTIONS = "mentions"
    MUTED = "muted"


class DigestFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class PostKind(StrEnum):
    PRACTICE = "practice"
    REQUEST = "request"


class Phase(StrEnum):
    EARLY_YEARS = "early_years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SPECIAL = "special"
    ALTERNATIVE_PROVISION = "alternative_provision"
    POST_16 = "post_16"


class EvidenceStrength(StrEnum):
    ANECDOTAL = "anecdotal"
    INTERNAL_DATA = "internal_data"
    COMPARISON = "comparison"
    EXTERNAL_EVALUATION = "external_evaluation"


class SupportType(StrEnum):
    ADVICE = "advice"
    VISIT = "visit"
    RESOURCES = "resources"
    PEER_REVIEW = "peer_review"
    PARTNERSHIP = "partnership"


class Urgency(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class RequestStatus(StrEnum):
    OPEN = "open"
    IN_DISCUSSION = "in_discussion"
    MATCHED = "matched"
    CLOSED = "closed"


class ContentState(StrEnum):
    """Whether a post or reply is shown; moderation (and pre-moderation) move it."""

    VISIBLE = "visible"
    HELD = "held"
    HIDDEN = "hidden"
    REMOVED = "removed"


class ReactionKind(StrEnum):
    USEFUL = "useful"
    TRIED_IT = "tried_it"


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class FlagReason(StrEnum):
    """Why a member flags content. Personal data comes first in the queue."""

    PERSONAL_DATA = "personal_data"  # pupil or staff data
    CHARTER = "charter"  # breaks a clause of the charter (the flag names it)
    INAPPROPRIATE = "inappropriate"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    OTHER = "other"
    WATCHED_WORD = "watched_word"  # raised by the network's own filters, not by a person


class TargetType(StrEnum):
    POST = "post"
    REPLY = "reply"
    MEMBER = "member"
    NETWORK = "network"  # settings, watched words, charter, invitations
    APPEAL = "appeal"
    ADOPTION = "adoption"  # an adoption record (network/adoption/)


class Decision(StrEnum):
    """Every action the transparency log records."""

    # on a post or reply
    DISMISS = "dismiss"  # the flags were not upheld; the content stays
    APPROVE = "approve"  # held content is published
    HIDE = "hide"
    RESTORE = "restore"  # hidden content is shown again
    REMOVE = "remove"
    EDIT = "edit"
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    # on a member
    MUTE = "mute"
    SUSPEND = "suspend"
    BAN = "ban"
    LIFT = "lift"
    APPROVE_JOIN = "approve_join"
    DECLINE_JOIN = "decline_join"
    REMOVE_MEMBER = "remove_member"
    SET_ROLE = "set_role"
    # on the network
    SETTINGS = "settings"
    WATCH_WORD = "watch_word"
    UNWATCH_WORD = "unwatch_word"
    CHARTER = "charter"
    INVITE = "invite"
    # on an appeal
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_OVERTURNED = "appeal_overturned"


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the decision stands
    OVERTURNED = "overturned"  # the decision is undone


class ScreenAction(StrEnum):
    """What a watched word does to text that contains it."""

    BLOCK = "block"
    HOLD = "hold"
    FLAG = "flag"


# support engagements (docs/design.md §3.12)
class EngagementState(StrEnum):
    PROPOSED = "proposed"  # opened by an accepted offer; the plan is being agreed
    ACTIVE = "active"  # both sides agreed the same version of the plan
    CLOSED = "closed"


class ClosedAs(StrEnum):
    COMPLETED = "completed"  # both sides wrote their outcome
    STOPPED_EARLY = "stopped_early"  # either side stopped it, with a reason


class Side(StrEnum):
    REQUESTER = "requester"  # the organisation that asked for help
    OFFERER = "offerer"  # the organisation whose offer was accepted

    @property
    def other(self) -> Side:
        return Side.OFFERER if self is Side.REQUESTER else Side.REQUESTER


class OutcomeEvidence(StrEnum):
    """How a side knows what changed: a practice's evidence strengths, and "none yet"."""

    NONE_YET = "none_yet"
    ANECDOTAL = "anecdotal"
    INTERNAL_DATA = "internal_data"
    COMPARISON = "comparison"
    EXTERNAL_EVALUATION = "external_evaluation"

    @property
    def for_practice(self) -> EvidenceStrength | None:
        """The practice's evidence strength when the outcome is shared as a practice ("none yet": none)."""
        return None if self is OutcomeEvidence.NONE_YET else EvidenceStrength(self.value)


class Again(StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class Lasted(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    TOO_EARLY_TO_SAY = "too_early_to_say"


class EngagementFlagStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"  # the platform admin found nothing to act on
    REMOVED = "removed"  # the message was removed
