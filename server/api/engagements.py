"""Support engagements over JSON (docs/design.md §3.12): the plan, agreeing it, the private thread,
check-ins, outcomes, follow-ups, stopping early, sharing an outcome as a practice; the engagements one
is named in, a network's and a request's listed summaries; the platform admins' flags."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.access import open_network
from network.content import posts
from network.engagements import flags, lifecycle, listing, outcomes, space, thread
from network.engagements.views import (
    CheckInView,
    EngagementFlagView,
    EngagementView,
    MessageView,
    RevisionView,
    SummaryView,
    flag_view,
)
from network.enums import Side
from network.errors import Invalid
from network.inputs import (
    CheckInInput,
    EngagementFlagDecision,
    EngagementFlagInput,
    EngagementMessageInput,
    FollowUpInput,
    OutcomeInput,
    PlanEdit,
    StopInput,
)
from network.views import Page, PostView
from server.api.params import Cursor, Limit
from server.deps import Db, Me
from server.problems import PROBLEM_MEDIA_TYPE, Problem

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        max_length=40,
        description='The plan\'s version the edit was made from ("3"), if not given as `version` in the body.',
    ),
]


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise Invalid("If-Match names a version of the plan: a number.", fields={"If-Match": "A version number."})
    return int(value)


class EngagementController(Controller):
    path = "/engagements"
    tags = ["engagements"]

    @get(
        "/{engagement_id:int}",
        summary="An engagement: its plan, named people, outcomes, and what you may do",
        description="Only its named people (and a platform admin while a flag in it is open) read it; "
        "to anyone else it is not there (404).",
    )
    async def detail(self, db: Db, person: Me, engagement_id: FromPath[int]) -> EngagementView:
        return await space.describe_for(db, await space.open_engagement(db, engagement_id, person))

    @patch(
        "/{engagement_id:int}",
        summary="Change the plan, your side's listing choice or its named people",
        description="Name the version you edited (`version`, or If-Match). An edit of an earlier version is "
        "refused with 409, whose body carries the `current` plan and `yours`: nothing is written over.",
    )
    async def edit(
        self, db: Db, person: Me, engagement_id: FromPath[int], data: JSONBody[PlanEdit], if_match: IfMatch = None
    ) -> EngagementView:
        space_ = await space.open_engagement(db, engagement_id, person)
        return await lifecycle.edit_plan(db, space_, data, if_match=_version(if_match))

    @post("/{engagement_id:int}/agree", status_code=HTTP_200_OK, summary="Agree the current plan for your side")
    async def agree(self, db: Db, person: Me, engagement_id: FromPath[int]) -> EngagementView:
        return await lifecycle.agree(db, await space.open_engagement(db, engagement_id, person))

    @get("/{engagement_id:int}/revisions", summary="Every version of the plan, newest first")
    async def revisions(self, db: Db, person: Me, engagement_id: FromPath[int]) -> list[RevisionView]:
        return await thread.revisions(db, await space.open_engagement(db, engagement_id, person))

    @get("/{engagement_id:int}/messages", summary="The private thread, oldest first")
    async def messages(
        self, db: Db, person: Me, engagement_id: FromPath[int], cursor: Cursor = None, limit: Limit = 50
    ) -> Page:
        space_ = await space.open_engagement(db, engagement_id, person)
        return await thread.list_messages(db, space_, cursor=cursor, limit=limit)

    @post("/{engagement_id:int}/messages", status_code=HTTP_201_CREATED, summary="Write in the private thread")
    async def add_message(
        self, db: Db, person: Me, engagement_id: FromPath[int], data: JSONBody[EngagementMessageInput]
    ) -> MessageView:
        return await thread.add_message(db, await space.open_engagement(db, engagement_id, person), data)

    @post(
        "/{engagement_id:int}/messages/{message_id:int}/flags",
        status_code=HTTP_201_CREATED,
        summary="Flag a message of the thread for the platform admins",
    )
    async def flag_message(
        self,
        db: Db,
        person: Me,
        engagement_id: FromPath[int],
        message_id: FromPath[int],
        data: JSONBody[EngagementFlagInput],
    ) -> EngagementFlagView:
        space_ = await space.open_engagement(db, engagement_id, person)
        message = await thread.open_message(db, space_, message_id)
        return flag_view(await flags.raise_flag(db, space_, message, data))

    @get("/{engagement_id:int}/check-ins", summary="Check-ins, newest first")
    async def check_ins(self, db: Db, person: Me, engagement_id: FromPath[int]) -> list[CheckInView]:
        return await thread.list_check_ins(db, await space.open_engagement(db, engagement_id, person))

    @post("/{engagement_id:int}/check-ins", status_code=HTTP_201_CREATED, summary="Record progress against the aims")
    async def check_in(
        self, db: Db, person: Me, engagement_id: FromPath[int], data: JSONBody[CheckInInput]
    ) -> CheckInView:
        return await thread.add_check_in(db, await space.open_engagement(db, engagement_id, person), data)

    @post(
        "/{engagement_id:int}/outcomes",
        status_code=HTTP_201_CREATED,
        summary="Write your side's outcome (the second side's closes the engagement as completed)",
    )
    async def outcome(
        self, db: Db, person: Me, engagement_id: FromPath[int], data: JSONBody[OutcomeInput]
    ) -> EngagementView:
        return await outcomes.write_outcome(db, await space.open_engagement(db, engagement_id, person), data)

    @post(
        "/{engagement_id:int}/outcomes/{side:str}/share",
        status_code=HTTP_201_CREATED,
        summary="Share a side's outcome with the network as a practice (once)",
    )
    async def share(self, db: Db, person: Me, engagement_id: FromPath[int], side: FromPath[Side]) -> PostView:
        space_ = await space.open_engagement(db, engagement_id, person)
        practice = await outcomes.share(db, space_, side)
        return await posts.describe_post(db, practice, space_.network.slug)

    @post(
        "/{engagement_id:int}/follow-up",
        status_code=HTTP_201_CREATED,
        summary="Say for your side whether the change lasted",
    )
    async def follow_up(
        self, db: Db, person: Me, engagement_id: FromPath[int], data: JSONBody[FollowUpInput]
    ) -> EngagementView:
        return await outcomes.answer_follow_up(db, await space.open_engagement(db, engagement_id, person), data)

    @post("/{engagement_id:int}/stop", status_code=HTTP_200_OK, summary="Stop the engagement early, saying why")
    async def stop(self, db: Db, person: Me, engagement_id: FromPath[int], data: JSONBody[StopInput]) -> EngagementView:
        return await lifecycle.stop(db, await space.open_engagement(db, engagement_id, person), data.reason)


class EngagementListController(Controller):
    path = "/"
    tags = ["engagements"]

    @get("/me/engagements", summary="The engagements you are named in, newest first")
    async def mine(self, db: Db, person: Me) -> list[EngagementView]:
        return await listing.mine(db, person)

    @get(
        "/networks/{slug:str}/engagements",
        summary="A network's listed engagements: the summary line, organisations, title, state and dates",
    )
    async def of_network(
        self, db: Db, person: Me, slug: FromPath[str], cursor: Cursor = None, limit: Limit = 50
    ) -> Page:
        access = await open_network(db, slug, person)
        return await listing.network_summaries(db, access, cursor=cursor, limit=limit)

    @get("/posts/{post_id:int}/engagements", summary="A request's listed engagements (its summary lines)")
    async def of_request(self, db: Db, person: Me, post_id: FromPath[int]) -> list[SummaryView]:
        access, post_ = await posts.open_post(db, post_id, person)
        return await listing.request_summaries(db, access, post_)

    @get(
        "/admin/engagement-flags",
        summary="Open flags raised in engagements' spaces (platform admins)",
        responses={
            403: ResponseSpec(
                data_container=Problem,
                description="Not a platform admin.",
                media_type=PROBLEM_MEDIA_TYPE,
                generate_examples=False,
            )
        },
    )
    async def open_flags(self, db: Db, person: Me) -> list[EngagementFlagView]:
        return [flag_view(f) for f in await flags.open_flags(db, person)]

    @post(
        "/admin/engagement-flags/{flag_id:int}/decide",
        status_code=HTTP_200_OK,
        summary="Dismiss a flag raised in an engagement, or remove the message (platform admins)",
    )
    async def decide_flag(
        self, db: Db, person: Me, flag_id: FromPath[int], data: JSONBody[EngagementFlagDecision]
    ) -> EngagementFlagView:
        return flag_view(await flags.decide(db, person, flag_id, data))
