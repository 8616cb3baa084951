"""Platform admins and people's accounts: disabling one ends its sessions for good."""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import FromPath

from network.people import accounts
from network.views import MeView, me_view
from server.deps import Db, Me


class AdminPeopleController(Controller):
    path = "/admin/people"
    tags = ["admin"]

    @post("/{person_id:int}/disable", status_code=200, summary="Disable an account (platform admins)")
    async def disable(self, db: Db, person: Me, person_id: FromPath[int]) -> MeView:
        """Its sessions end for good and its sockets close; its API tokens stop working until it is
        enabled again."""
        return me_view(await accounts.change_active(db, person, person_id, False))

    @post("/{person_id:int}/enable", status_code=200, summary="Enable a disabled account (platform admins)")
    async def enable(self, db: Db, person: Me, person_id: FromPath[int]) -> MeView:
        """The person signs in again: no session from before it was disabled comes back."""
        return me_view(await accounts.change_active(db, person, person_id, True))
