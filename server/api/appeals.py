"""Appeals over JSON: the person a decision concerns appeals; another lead (or a platform admin) decides."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.casework import appeals
from network.inputs import AppealDecisionInput, AppealInput
from network.models import Network
from network.moderation.views import AppealView
from server.deps import Db, Me


class AppealController(Controller):
    path = "/appeals"
    tags = ["appeals"]

    @post("/", status_code=HTTP_201_CREATED, summary="Appeal a decision that concerns you (once, within 14 days)")
    async def file(self, db: Db, person: Me, data: JSONBody[AppealInput]) -> AppealView:
        appeal = await appeals.file(db, person, data)
        network = await db.get(Network, appeal.network_id)
        assert network is not None
        return await appeals.describe(db, appeal, network)

    @get("/", summary="Your appeals, and the open ones you may decide")
    async def list_appeals(
        self,
        db: Db,
        person: Me,
        decided: Annotated[bool, QueryParameter(description="Include decided ones")] = False,
    ) -> list[AppealView]:
        return await appeals.list_for(db, person, open_only=not decided)

    @get("/{appeal_id:int}", summary="One appeal (the appellant, the network's leads, platform admins)")
    async def detail(self, db: Db, person: Me, appeal_id: FromPath[int]) -> AppealView:
        return await appeals.get(db, person, appeal_id)

    @post("/{appeal_id:int}/decide", status_code=HTTP_200_OK, summary="Uphold or overturn (not the lead who acted)")
    async def decide(
        self, db: Db, person: Me, appeal_id: FromPath[int], data: JSONBody[AppealDecisionInput]
    ) -> AppealView:
        appeal = await appeals.decide(db, person, appeal_id, data)
        network = await db.get(Network, appeal.network_id)
        assert network is not None
        return await appeals.describe(db, appeal, network)
