"""Browser pages. For now the landing page, which says what the commons is and lists its networks."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from network.enums import NetworkKind
from network.people import networks
from server.deps import Db, Viewer
from web.render import page


@get("/", summary="Landing page", include_in_schema=False)
async def home(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template:
    directory = await networks.directory(db, viewer)
    regional = [n for n in directory if n.kind is NetworkKind.REGIONAL]
    other = [n for n in directory if n.kind is not NetworkKind.REGIONAL]
    goodbye = viewer is None and request.query_params.get("goodbye") == "1"  # after deleting one's account
    return await page("home.html", request, db, viewer, regional=regional, other=other, goodbye=goodbye)
