"""What callers may send to the domain, with the limits every caller shares.

These msgspec structs are the API's request bodies (Litestar validates them and answers 400
with the field at fault) and what the web forms convert their fields into, so a limit is
written once. Rules that need the database or several fields live in the services.

Every one of them is an `Input`, which refuses (422, naming the field) what no database column
holds: text with a NUL character, which PostgreSQL rejects and SQLite would store, and integers
beyond 64 bits, which neither database takes as a parameter.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from network.enums import (
    Again,
    AppealStatus,
    Decision,
    EvidenceStrength,
    FlagReason,
    FollowLevel,
    JoinPolicy,
    Lasted,
    MemberState,
    NetworkKind,
    OrgKind,
    OutcomeEvidence,
    Phase,
    PostKind,
    ReactionKind,
    Region,
    Role,
    ScreenAction,
    SupportType,
    TargetType,
    Urgency,
    Visibility,
)
from network.errors import Invalid

INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # a signed 64-bit integer: what SQLite and PostgreSQL take
INT32_MAX = 2**31 - 1  # the most a column declared Integer holds on PostgreSQL (versions, sequence numbers)
NUL = "\x00"
NUL_PROBLEM = "Text may not contain NUL characters (\\u0000); remove them and send it again."
INT_PROBLEM = f"Out of range: numbers here run from {INT_MIN} to {INT_MAX}."


def fault(value: object) -> str | None:
    """What no database column holds in `value` (a field's value, lists' items included), or None."""
    if isinstance(value, str):
        return NUL_PROBLEM if NUL in value else None
    if isinstance(value, int) and not isinstance(value, bool):
        return None if INT_MIN <= value <= INT_MAX else INT_PROBLEM
    if isinstance(value, list | tuple | set | frozenset):
        return next((found for item in value if (found := fault(item)) is not None), None)
    return None  # nested structs are Inputs and checked themselves; enums, dates, bools hold no surprise


class Input(msgspec.Struct, forbid_unknown_fields=True):
    """A request body or form's fields, refused with 422 (naming the field) when a value cannot be stored.

    msgspec runs `__post_init__` after decoding and passes on exceptions other than ValueError and
    TypeError, so the refusal reaches the problem renderer as a domain error, never a 500.
    """

    def __post_init__(self) -> None:
        for attribute, name in zip(self.__struct_fields__, self.__struct_encode_fields__, strict=True):
            found = fault(getattr(self, attribute))
            if found is not None:
                raise Invalid(f"'{name}': {found}", fields={name: found})


Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=200)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
OrgName = Annotated[str, msgspec.Meta(min_length=2, max_length=200)]
Slug = Annotated[str, msgspec.Meta(min_length=2, max_length=64, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Body = Annotated[str, msgspec.Meta(min_length=1, max_length=40_000)]
Short = Annotated[str, msgspec.Meta(max_length=500)]
Long = Annotated[str, msgspec.Meta(max_length=20_000)]
Reason = Annotated[str, msgspec.Meta(max_length=1_000)]
Theme = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]*$")]
Url = Annotated[str, msgspec.Meta(max_length=2_000, pattern=r"^https?://\S+$")]


class OrganisationInput(Input):
    name: OrgName
    kind: OrgKind


class PasswordChange(Input):
    current_password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    new_password: Password


class EmailChange(Input):
    new_email: Email
    current_password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class NameChange(Input):
    display_name: Name


# How the register (Get Information about Schools) and Companies House write their identifiers.
GIAS_UID_PATTERN = r"^[0-9]{1,20}$"
GIAS_ID_PATTERN = r"^[A-Za-z0-9]{1,20}$"
COMPANY_NUMBER_PATTERN = r"^[A-Z0-9]{8}$"
UKPRN_PATTERN = r"^1[0-9]{7}$"
GiasUid = Annotated[str, msgspec.Meta(pattern=GIAS_UID_PATTERN)]
GiasId = Annotated[str, msgspec.Meta(pattern=GIAS_ID_PATTERN)]
CompanyNumber = Annotated[str, msgspec.Meta(pattern=COMPANY_NUMBER_PATTERN)]
Ukprn = Annotated[str, msgspec.Meta(pattern=UKPRN_PATTERN)]
DomainName = Annotated[str, msgspec.Meta(min_length=1, max_length=254)]  # its form is checked by the service


class NewOrganisationInput(Input):
    """A platform admin's new organisation, of any kind, with what is known of it."""

    name: OrgName
    kind: OrgKind
    region: Region | None = None
    gias_group_uid: GiasUid | None = None
    gias_group_id: GiasId | None = None
    companies_house_number: CompanyNumber | None = None
    ukprn: Ukprn | None = None
    domains: Annotated[list[DomainName], msgspec.Meta(max_length=20)] = []


class DomainInput(Input):
    domain: DomainName


class RegisterInput(Input):
    email: Email
    password: Password
    display_name: Name
    organisation: OrganisationInput


class NetworkInput(Input):
    slug: Slug
    name: Name
    kind: NetworkKind
    visibility: Visibility
    join_policy: JoinPolicy
    lead_email: Email
    region: Region | None = None
    description: Annotated[str, msgspec.Meta(max_length=2_000)] = ""
    charter: Annotated[str, msgspec.Meta(max_length=20_000)] | None = None


class Resource(Input):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    url: Url


class PostInput(Input):
    """A new practice or request. Only kind, title and body are required."""

    kind: PostKind
    title: Title
    body: Body
    # practice
    summary: Short = ""
    phases: Annotated[list[Phase], msgspec.Meta(max_length=7)] = []
    setting: Short = ""
    what_we_did: Long = ""
    what_we_stopped: Long = ""
    impact: Long = ""
    evidence_strength: EvidenceStrength | None = None
    themes: Annotated[list[Theme], msgspec.Meta(max_length=8)] = []
    resources: Annotated[list[Resource], msgspec.Meta(max_length=20)] = []
    # request
    support_type: SupportType | None = None
    urgency: Urgency | None = None


class PostEdit(Input, omit_defaults=True):
    """A partial edit: absent fields keep their value."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    body: Body | msgspec.UnsetType = msgspec.UNSET
    summary: Short | msgspec.UnsetType = msgspec.UNSET
    phases: Annotated[list[Phase], msgspec.Meta(max_length=7)] | msgspec.UnsetType = msgspec.UNSET
    setting: Short | msgspec.UnsetType = msgspec.UNSET
    what_we_did: Long | msgspec.UnsetType = msgspec.UNSET
    what_we_stopped: Long | msgspec.UnsetType = msgspec.UNSET
    impact: Long | msgspec.UnsetType = msgspec.UNSET
    evidence_strength: EvidenceStrength | msgspec.UnsetType | None = msgspec.UNSET
    themes: Annotated[list[Theme], msgspec.Meta(max_length=8)] | msgspec.UnsetType = msgspec.UNSET
    resources: Annotated[list[Resource], msgspec.Meta(max_length=20)] | msgspec.UnsetType = msgspec.UNSET
    support_type: SupportType | msgspec.UnsetType | None = msgspec.UNSET
    urgency: Urgency | msgspec.UnsetType | None = msgspec.UNSET
    reason: Short = ""  # kept with the revision, whose column holds 500 characters


class ReplyInput(Input):
    body: Body


class ReactionInput(Input):
    kind: ReactionKind


class OfferInput(Input):
    message: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]


class CloseInput(Input):
    outcome: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]


class MemberChange(Input):
    role: Role | None = None
    state: MemberState | None = None
    until: datetime | None = None
    reason: Reason = ""


class FollowInput(Input):
    level: FollowLevel


class CharterInput(Input):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    note: Short = ""


Clause = Annotated[int, msgspec.Meta(ge=1, le=999)]
Note = Annotated[str, msgspec.Meta(max_length=2_000)]
Answer = Annotated[str, msgspec.Meta(max_length=1_000)]
Question = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class FlagInput(Input):
    reason: FlagReason
    note: Note = ""
    clause: Clause | None = None


class ContentEdit(Input):
    """A lead's edit of someone's content, as part of an `edit` decision."""

    title: Title | None = None
    body: Body | None = None


class DecisionInput(Input):
    target_type: TargetType
    target_id: Annotated[int, msgspec.Meta(ge=1)]
    action: Decision
    reason: Annotated[str, msgspec.Meta(max_length=1_000)] = ""  # needed but for approve and dismiss
    clause: Clause | None = None
    until: datetime | None = None
    edit: ContentEdit | None = None


class QueueNoteInput(Input):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=2_000)]


class AppealInput(Input):
    decision_id: Annotated[int, msgspec.Meta(ge=1)]
    statement: Annotated[str, msgspec.Meta(min_length=1, max_length=5_000)]


class AppealDecisionInput(Input):
    outcome: AppealStatus
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2_000)]


class SettingsInput(Input, omit_defaults=True):
    """A partial change to a network's settings: absent fields keep their value."""

    premod_posts: Annotated[int, msgspec.Meta(ge=0, le=50)] | msgspec.UnsetType = msgspec.UNSET
    slow_mode_seconds: Annotated[int, msgspec.Meta(ge=0, le=86_400)] | msgspec.UnsetType = msgspec.UNSET
    guard_personal_data: bool | msgspec.UnsetType = msgspec.UNSET
    name_leads_in_log: bool | msgspec.UnsetType = msgspec.UNSET
    join_questions: Annotated[list[Question], msgspec.Meta(max_length=5)] | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=2_000)] | msgspec.UnsetType = msgspec.UNSET
    visibility: Visibility | msgspec.UnsetType = msgspec.UNSET
    join_policy: JoinPolicy | msgspec.UnsetType = msgspec.UNSET
    engagement_follow_up_weeks: Annotated[int, msgspec.Meta(ge=1, le=104)] | msgspec.UnsetType = msgspec.UNSET
    adoption_follow_up_weeks: Annotated[int, msgspec.Meta(ge=1, le=104)] | msgspec.UnsetType = msgspec.UNSET
    reason: Reason = ""


class WatchedWordInput(Input):
    pattern: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    action: ScreenAction
    is_regex: bool = False
    message: Annotated[str, msgspec.Meta(max_length=300)] = ""


# support engagements (docs/design.md §3.12)
PersonId = Annotated[int, msgspec.Meta(ge=1)]
Version = Annotated[int, msgspec.Meta(ge=1, le=INT32_MAX)]
SpaceText = Annotated[str, msgspec.Meta(max_length=20_000)]


class PlanEdit(Input, omit_defaults=True):
    """A change to an engagement's plan, made from `version` (or the `If-Match` header's): absent fields
    keep their value. `unlisted` is the asker's own side's choice; `add_people` and `drop_people` name
    people of the asker's own organisation."""

    version: Version | None = None
    title: Title | msgspec.UnsetType = msgspec.UNSET
    aims: SpaceText | msgspec.UnsetType = msgspec.UNSET
    activities: SpaceText | msgspec.UnsetType = msgspec.UNSET
    starts_on: date | msgspec.UnsetType | None = msgspec.UNSET
    expected_end_on: date | msgspec.UnsetType | None = msgspec.UNSET
    next_check_in_on: date | msgspec.UnsetType | None = msgspec.UNSET
    unlisted: bool | msgspec.UnsetType = msgspec.UNSET
    add_people: Annotated[list[PersonId], msgspec.Meta(max_length=20)] = []
    drop_people: Annotated[list[PersonId], msgspec.Meta(max_length=20)] = []


class EngagementMessageInput(Input):
    body: Body


class CheckInInput(Input):
    progress: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    next_check_in_on: date | None = None


class OutcomeInput(Input):
    what_changed: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    evidence_strength: OutcomeEvidence
    work_together_again: Again
    for_whom: SpaceText = ""
    how_we_know: SpaceText = ""
    do_differently: SpaceText = ""


class FollowUpInput(Input):
    lasted: Lasted
    note: SpaceText = ""


class StopInput(Input):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=5_000)]


class EngagementFlagInput(Input):
    reason: FlagReason
    note: Note = ""


class EngagementFlagDecision(Input):
    """A platform admin's decision on a flag raised in an engagement's space."""

    remove: bool  # remove the message (else the flag is dismissed)
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1_000)]
