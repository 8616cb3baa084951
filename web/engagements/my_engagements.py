"""The engagements one is named in (`/account/engagements`, linked from the account page): what is due
first (a check-in whose date has come, a follow-up to answer, a plan waiting for one's side to agree
it), then the rest, newest first (network/engagements/listing.py `mine`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get
from litestar.response import Redirect, Template

from network import clock
from network.engagements import listing
from network.engagements.views import EngagementView
from server.deps import Db, Viewer
from web.engagements import vocabulary
from web.forms import sign_in_first
from web.render import page
from web.shared import day

PATH = "/account/engagements"


@dataclass(frozen=True)
class Entry:
    """One engagement in the list, with what it asks of the reader now ("" when nothing)."""

    engagement: EngagementView
    due: str


def due_words(view: EngagementView, today: Any) -> str:
    if vocabulary.follow_up_due(view, today):
        return "The follow-up is due: say whether the change lasted."
    if vocabulary.check_in_due(view, today):
        return "A check-in is due: record progress against the aims."
    if vocabulary.waiting_for_me(view):
        return "The plan waits for your side to agree it."
    return ""


@get(PATH, summary="The engagements you are named in", include_in_schema=False)
async def my_engagements_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    today = clock.now().date()
    entries = [Entry(view, due_words(view, today)) for view in await listing.mine(db, viewer)]
    due = [entry for entry in entries if entry.due]
    rest = [entry for entry in entries if not entry.due]
    return await page(
        "my_engagements.html", request, db, viewer, due=due, rest=rest, v=vocabulary, day=day, today=today
    )


handlers = [my_engagements_page]
