"""Joining with an invitation link or with answers to the network's join questions.

`GET /networks/{slug}/join[?invitation=TOKEN]` is the page an invitation link opens: it says which
network and offers a form (the POST is network_pages.join, which takes the invitation). The same page
asks the network's join questions when the join will wait for a lead (joining by request, or an
observer from a regulator or government) and shows a refused request again, with the answers kept and
the message beside each unanswered question. The invitation is only read here; joining takes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import membership_of
from network.enums import JoinPolicy, Visibility
from network.errors import NotFound
from network.models import Network, Person
from network.people import accounts, networks
from network.people.membership import invitation_problem
from server.deps import Db, Viewer
from web.forms import sign_in_first
from web.render import page
from web.shared import network_not_found


def asks_questions(network: Network, person: Person | None, invited: bool) -> bool:
    """Whether joining will wait for a lead, who reads the answers to the network's questions."""
    if not network.join_questions or invited or person is None:
        return False
    return network.join_policy is JoinPolicy.REQUEST or accounts.observer_only(person)


@dataclass(frozen=True)
class JoinForm:
    """The join form: its button, the questions to answer (if any), and a refused attempt's answers and messages."""

    slug: str
    name: str
    button: str
    back: str  # where to come back to: "join" (this page) or "network" (the network's home)
    questions: list[str] = field(default_factory=list)
    invitation: str = ""
    answers: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def answer(self, n: int) -> str:
        return self.answers[n] if n < len(self.answers) else ""

    def error(self, n: int) -> str:
        return self.errors.get(f"answers.{n}", "")


def join_button(network: Network, person: Person | None, invited: bool) -> str:
    if invited:
        return "Accept the invitation"
    if person is not None and accounts.observer_only(person):
        return "Ask to observe"
    return "Join" if network.join_policy is JoinPolicy.OPEN else "Request to join"


def join_form(
    network: Network, person: Person | None, *, back: str, invitation: str = "", invited: bool = False
) -> JoinForm:
    return JoinForm(
        slug=network.slug,
        name=network.name,
        button=join_button(network, person, invited),
        back=back,
        questions=list(network.join_questions) if asks_questions(network, person, invited) else [],
        invitation=invitation if invited else "",
    )


async def render_join(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    network: Network,
    *,
    invitation: str = "",
    answers: list[str] | None = None,
    error: str = "",
    fields: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    """The join page; with `error`, a refused join shown again with what was typed."""
    existing = await membership_of(db, network.id, viewer.id)
    genuine, problem = await invitation_problem(db, network, viewer, invitation) if invitation else (False, None)
    invited = genuine and problem is None
    if existing is None and network.visibility is Visibility.HIDDEN and not genuine:
        # a hidden network is only confirmed to the holder of one of its invitations
        return await network_not_found(request, db, viewer, f"No network '{network.slug}'.")
    form = replace(
        join_form(network, viewer, back="join", invitation=invitation, invited=invited),
        answers=answers or [],
        errors=fields or {},
    )
    closed = network.join_policy is JoinPolicy.INVITE and not invited
    return await page(
        "partials/settings_join.html",
        request,
        db,
        viewer,
        status_code=status,
        network=network,
        join=form,
        member=existing,
        problem=problem,
        closed=closed,
        error=error,
    )


@get("/networks/{slug:str}/join", summary="Join a network (an invitation link opens this)", include_in_schema=False)
async def join_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str], invitation: FromQuery[str] = ""
) -> Response[Any]:
    if viewer is None:
        query = f"?{urlencode({'invitation': invitation})}" if invitation else ""
        return sign_in_first(f"/networks/{quote(slug)}/join{query}")
    try:
        network = await networks.get_by_slug(db, slug)
    except NotFound as exc:
        return await network_not_found(request, db, viewer, exc.message)
    return await render_join(request, db, viewer, network, invitation=invitation[:100])


handlers = [join_page]
