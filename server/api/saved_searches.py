"""A person's saved searches: `/api/v1/me/saved-searches` (docs/design.md §3.11)."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from network.search import saved
from network.search.saved import SavedSearchChange, SavedSearchInput, SavedSearchList, SavedSearchView
from server.deps import Db, Me


class SavedSearchController(Controller):
    path = "/me/saved-searches"
    tags = ["saved searches"]

    @get("/", summary="My saved searches, oldest first (at most 50; one page)")
    async def list_saved(self, db: Db, person: Me) -> SavedSearchList:
        return SavedSearchList(items=[saved.view(s) for s in await saved.list_saved(db, person)])

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Save a search: its words, its filters, a name, and whether new posts matching it are told to me",
        description=(
            '`q` is read as the search reads it (words by their stem, `"a phrase"`, `-word` left out); one '
            "that cannot be searched is refused with the reason. `filters` take the search's parameter names "
            "(`network` by slug, `kind`, `theme`, `phase`, `evidence`, `status`, `organisation`, and `since`, "
            "`until` and `sort`, which the search page uses but alerts do not). With `alerts` on (the "
            "default), each new post you may read that matches it is told in your notifications, and by "
            "email when you are away unless you turned that off. The name defaults to the query."
        ),
    )
    async def create_saved(self, db: Db, person: Me, data: JSONBody[SavedSearchInput]) -> SavedSearchView:
        return saved.view(await saved.create(db, person, data))

    @patch("/{saved_id:int}", summary="Rename one of my saved searches, or turn its alerts on or off")
    async def change_saved(
        self, db: Db, person: Me, saved_id: FromPath[int], data: JSONBody[SavedSearchChange]
    ) -> SavedSearchView:
        return saved.view(await saved.change(db, person, saved_id, data))

    @delete("/{saved_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Delete one of my saved searches")
    async def delete_saved(self, db: Db, person: Me, saved_id: FromPath[int]) -> None:
        await saved.remove(db, person, saved_id)
