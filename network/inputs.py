"""What callers may send to the domain, with the limits every caller shares.

These msgspec structs are the API's request bodies (Litestar validates them and answers 400
with the field at fault) and what the web forms convert their fields into, so a limit is
written once. Rules that need the database or several fields live in the services.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from network.enums import (
    AppealStatus,
    Decision,
    EvidenceStrength,
    FlagReason,
    FollowLevel,
    JoinPolicy,
    MemberState,
    NetworkKind,
    OrgKind,
    Phase,
    PostKind,
    ReactionKind,
    Region,
    Role,
    SupportType,
    TargetType,
    Urgency,
    Visibility,
)
from network.screening import ScreenAction

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


class OrganisationInput(msgspec.Struct, forbid_unknown_fields=True):
    name: OrgName
    kind: OrgKind


class RegisterInput(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    display_name: Name
    organisation: OrganisationInput


class NetworkInput(msgspec.Struct, forbid_unknown_fields=True):
    slug: Slug
    name: Name
    kind: NetworkKind
    visibility: Visibility
    join_policy: JoinPolicy
    lead_email: Email
    region: Region | None = None
    description: Annotated[str, msgspec.Meta(max_length=2_000)] = ""
    charter: Annotated[str, msgspec.Meta(max_length=20_000)] | None = None


class Resource(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    url: Url


class PostInput(msgspec.Struct, forbid_unknown_fields=True):
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


class PostEdit(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
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
    reason: Reason = ""


class ReplyInput(msgspec.Struct, forbid_unknown_fields=True):
    body: Body


class ReactionInput(msgspec.Struct, forbid_unknown_fields=True):
    kind: ReactionKind


class OfferInput(msgspec.Struct, forbid_unknown_fields=True):
    message: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]


class CloseInput(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]


class MemberChange(msgspec.Struct, forbid_unknown_fields=True):
    role: Role | None = None
    state: MemberState | None = None
    until: datetime | None = None
    reason: Reason = ""


class FollowInput(msgspec.Struct, forbid_unknown_fields=True):
    level: FollowLevel


class CharterInput(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
    note: Short = ""


Clause = Annotated[int, msgspec.Meta(ge=1, le=999)]
Note = Annotated[str, msgspec.Meta(max_length=2_000)]
Answer = Annotated[str, msgspec.Meta(max_length=1_000)]
Question = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class FlagInput(msgspec.Struct, forbid_unknown_fields=True):
    reason: FlagReason
    note: Note = ""
    clause: Clause | None = None


class ContentEdit(msgspec.Struct, forbid_unknown_fields=True):
    """A lead's edit of someone's content, as part of an `edit` decision."""

    title: Title | None = None
    body: Body | None = None


class DecisionInput(msgspec.Struct, forbid_unknown_fields=True):
    target_type: TargetType
    target_id: Annotated[int, msgspec.Meta(ge=1)]
    action: Decision
    reason: Annotated[str, msgspec.Meta(max_length=1_000)]
    clause: Clause | None = None
    until: datetime | None = None
    edit: ContentEdit | None = None


class QueueNoteInput(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=2_000)]


class AppealInput(msgspec.Struct, forbid_unknown_fields=True):
    decision_id: Annotated[int, msgspec.Meta(ge=1)]
    statement: Annotated[str, msgspec.Meta(min_length=1, max_length=5_000)]


class AppealDecisionInput(msgspec.Struct, forbid_unknown_fields=True):
    outcome: AppealStatus
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2_000)]


class SettingsInput(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A partial change to a network's settings: absent fields keep their value."""

    premod_posts: Annotated[int, msgspec.Meta(ge=0, le=50)] | msgspec.UnsetType = msgspec.UNSET
    slow_mode_seconds: Annotated[int, msgspec.Meta(ge=0, le=86_400)] | msgspec.UnsetType = msgspec.UNSET
    guard_personal_data: bool | msgspec.UnsetType = msgspec.UNSET
    name_leads_in_log: bool | msgspec.UnsetType = msgspec.UNSET
    join_questions: Annotated[list[Question], msgspec.Meta(max_length=5)] | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=2_000)] | msgspec.UnsetType = msgspec.UNSET
    visibility: Visibility | msgspec.UnsetType = msgspec.UNSET
    join_policy: JoinPolicy | msgspec.UnsetType = msgspec.UNSET
    reason: Reason = ""


class WatchedWordInput(msgspec.Struct, forbid_unknown_fields=True):
    pattern: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    action: ScreenAction
    is_regex: bool = False
    message: Annotated[str, msgspec.Meta(max_length=300)] = ""
