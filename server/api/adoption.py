"""Adoption records: an organisation trying another's practice, and its report (docs/design.md §3.13)."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.adoption import service
from network.adoption.views import (
    AdoptionEdit,
    AdoptionInput,
    AdoptionList,
    AdoptionRevisionView,
    AdoptionView,
    ReportInput,
    adoption_view,
)
from network.content import posts
from server.deps import Db, Me


class MyAdoption(msgspec.Struct):
    """One of my organisation's records, with its practice's title and whether its report is due."""

    adoption: AdoptionView
    title: str
    report_due: bool


class PostAdoptionController(Controller):
    path = "/posts/{post_id:int}/adoptions"
    tags = ["adoptions"]

    @get(
        "/",
        summary="A practice's adoption records and the summary of what trying organisations report",
        description="Records you may see (a hidden one only by the leads and its organisation); the summary "
        "counts the shown ones, in words: never a score, rank or grade.",
    )
    async def list_adoptions(self, db: Db, person: Me, post_id: FromPath[int]) -> AdoptionList:
        access, post_ = await posts.open_post(db, post_id, person)
        return await service.list_for_post(db, access, post_)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Record that your organisation is trying this practice",
        description="One record per organisation per practice (a second is a 409 naming the first, which its "
        "people update instead); not on your own organisation's practice (403).",
    )
    async def record(self, db: Db, person: Me, post_id: FromPath[int], data: JSONBody[AdoptionInput]) -> AdoptionView:
        access, post_ = await posts.open_post(db, post_id, person)
        return adoption_view(await service.record(db, access, post_, data))


class AdoptionController(Controller):
    path = "/adoptions"
    tags = ["adoptions"]

    @get("/{adoption_id:int}", summary="One adoption record, with its report")
    async def detail(self, db: Db, person: Me, adoption_id: FromPath[int]) -> AdoptionView:
        _access, _post, adoption = await service.open_adoption(db, adoption_id, person)
        return adoption_view(adoption)

    @patch("/{adoption_id:int}", summary="Update a record (its organisation's people; the previous version is kept)")
    async def update(
        self, db: Db, person: Me, adoption_id: FromPath[int], data: JSONBody[AdoptionEdit]
    ) -> AdoptionView:
        access, post_, adoption = await service.open_adoption(db, adoption_id, person)
        return adoption_view(await service.update_record(db, access, post_, adoption, data))

    @post(
        "/{adoption_id:int}/report",
        status_code=HTTP_200_OK,
        summary="Report how it went: did it work, how do you know, what would you tell the next trust",
        description="Any time after recording, asked or not; sending it again edits it (the previous version is "
        "kept). The practice's author is told of the first report.",
    )
    async def report(self, db: Db, person: Me, adoption_id: FromPath[int], data: JSONBody[ReportInput]) -> AdoptionView:
        access, post_, adoption = await service.open_adoption(db, adoption_id, person)
        return adoption_view(await service.report(db, access, post_, adoption, data))

    @get("/{adoption_id:int}/revisions", summary="A record's earlier versions, newest first")
    async def revisions(self, db: Db, person: Me, adoption_id: FromPath[int]) -> list[AdoptionRevisionView]:
        _access, _post, adoption = await service.open_adoption(db, adoption_id, person)
        return await service.revisions(db, adoption)


class MyAdoptionController(Controller):
    path = "/me/adoptions"
    tags = ["me", "adoptions"]

    @get("/", summary="My organisation's adoption records, those with a report due first")
    async def mine(self, db: Db, person: Me) -> list[MyAdoption]:
        return [MyAdoption(view, title, due) for view, title, due in await service.ours(db, person)]
