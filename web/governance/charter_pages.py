"""A network's charter in the browser: its numbered clauses, its history, what changed between versions,
and, for its leads, a form that publishes a new version.

Each clause has the anchor `#clause-N`, so the log, flags and decisions can point at the clause they cite.
The diff page (`/charter/diff?from=N&to=M`) lists the lines added and removed, labelled in words (not by
colour alone), and says clause by clause what changed. Anyone who may read the network reads its charter;
publishing is the leads' (network.charter.amend), and a refused version comes back with the text kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from network import markdown
from network.access import Access, open_network
from network.errors import DomainError, NotFound
from network.governance import charter
from network.inputs import CharterInput
from network.models import CharterVersion, Person
from network.people import profiles
from server.deps import Db, Viewer
from web.forms import post_action, read_form, sign_in_first
from web.render import page
from web.shared import (
    NO_TROUBLE,
    Trouble,
    field_errors,
    network_nav,
    network_not_found,
    refused,
    when,
)

_CLAUSE = re.compile(r"^(\d{1,3})[.)]\s+(.+)$")  # as network.charter reads a clause


def _nested(html: str, top: int) -> str:
    """Sanitised HTML with its headings moved under the page's (network.markdown.nest_headings)."""
    return markdown.nest_headings(html, top)


@dataclass(frozen=True)
class CharterParts:
    """A charter body cut into what comes before its clauses, the clauses (as HTML), and what follows."""

    preamble: str
    clauses: list[str]
    closing: str


def charter_parts(body: str) -> CharterParts:
    before: list[str] = []
    after: list[str] = []
    in_clause = seen = False
    for line in body.splitlines():
        if _CLAUSE.match(line):
            in_clause = seen = True
        elif in_clause and line.startswith((" ", "\t")) and line.strip():
            continue
        else:
            in_clause = False
            (after if seen else before).append(line)
    return CharterParts(
        preamble=_nested(markdown.render("\n".join(before)), 3) if "".join(before).strip() else "",
        clauses=[_nested(markdown.render(text), 4) for text in charter.parse_clauses(body)],
        closing=_nested(markdown.render("\n".join(after)), 3) if "".join(after).strip() else "",
    )


@dataclass(frozen=True)
class VersionRow:
    version: CharterVersion
    author: Person | None


async def _history(db: AsyncSession, network_id: int) -> list[VersionRow]:
    versions = await charter.charter_history(db, network_id)
    people = await profiles.people_by_id(db, {v.author_id for v in versions if v.author_id is not None})
    return [VersionRow(v, people.get(v.author_id) if v.author_id else None) for v in versions]


def _here(slug: str) -> str:
    return f"/networks/{quote(slug)}/charter"


async def render_charter(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    access: Access,
    *,
    number: int | None = None,
    published: int | None = None,
    trouble: Trouble = NO_TROUBLE,
) -> Response[Any]:
    history = await _history(db, access.network.id)
    current = history[0].version if history else None
    shown = current
    if number is not None and current is not None and number != current.version:
        shown = await charter.get_version(db, access.network.id, number)  # NotFound: the caller's 404 page
    return await page(
        "charter.html",
        request,
        db,
        viewer,
        status_code=trouble.status,
        network=access.network,
        nav=await network_nav(db, access, "charter"),
        history=history,
        current=current,
        shown=shown,
        parts=charter_parts(shown.body) if shown else None,
        published=published,
        trouble=trouble,
        lead=access.is_lead,
        when=when,
    )


@get("/networks/{slug:str}/charter", summary="A network's charter and its history", include_in_schema=False)
async def charter_page(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    slug: FromPath[str],
    version: FromQuery[str] = "",
    published: FromQuery[str] = "",
) -> Response[Any]:
    try:
        access = await open_network(db, slug, viewer)
        number = int(version) if version.isdigit() else None
        done = int(published) if published.isdigit() else None
        return await render_charter(request, db, viewer, access, number=number, published=done)
    except NotFound as exc:
        return await network_not_found(request, db, viewer, exc.message)


@post("/networks/{slug:str}/charter", summary="Publish a new charter version (leads)", include_in_schema=False)
async def amend_charter(request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]) -> Response[Any]:
    if viewer is None:
        return sign_in_first(_here(slug))
    try:
        access = await open_network(db, slug, viewer)
    except NotFound as exc:
        return await network_not_found(request, db, viewer, exc.message)
    if not access.is_lead:
        nav = await network_nav(db, access, "charter")
        message = "Only a lead of this network may publish a new version of its charter."
        return await refused(request, db, viewer, title="Charter", message=message, nav=nav)
    form = await read_form(request)
    typed = {"body": str(form.get("body", "")), "note": str(form.get("note", ""))}
    errors = field_errors(CharterInput, typed)
    if "body" in errors and not typed["body"].strip():
        errors["body"] = "Write the charter: numbered clauses, one per line starting '1. ', '2. ' …"
    if errors:
        trouble = Trouble("charter", "The new version could not be published.", 422, errors, typed)
        return await render_charter(request, db, viewer, access, trouble=trouble)

    async def show(exc: DomainError) -> Response[Any]:
        again = await open_network(db, slug, viewer)
        return await render_charter(request, db, viewer, again, trouble=Trouble.of("charter", exc, typed))

    return await post_action(
        db,
        lambda: charter.amend(db, access, typed["body"], typed["note"]),
        then=lambda made: f"{_here(slug)}?published={made.version}#charter-heading",
        refused=show,
    )


@dataclass(frozen=True)
class DiffLine:
    label: str  # Added, Removed, Unchanged
    css: str
    text: str


def diff_lines(lines: list[Any]) -> list[DiffLine]:
    words = {"+": ("Added", "diff-add"), "-": ("Removed", "diff-del"), " ": ("Unchanged", "diff-same")}
    shown = []
    for line in lines:
        if line.op == " " and not line.text.strip():
            continue  # a blank line between paragraphs that stayed blank says nothing
        label, css = words.get(line.op, ("Unchanged", "diff-same"))
        shown.append(DiffLine(label, css, line.text))
    return shown


CHANGE_WORDS = {"added": "Added", "removed": "Removed", "changed": "Changed", "same": "Unchanged"}


@get("/networks/{slug:str}/charter/diff", summary="What changed between two charter versions", include_in_schema=False)
async def charter_diff(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    slug: FromPath[str],
    from_version: Annotated[str, QueryParameter(name="from")] = "",
    to_version: Annotated[str, QueryParameter(name="to")] = "",
) -> Response[Any]:
    try:
        access = await open_network(db, slug, viewer)
        history = await _history(db, access.network.id)
        if not history:
            raise NotFound("This network has no charter yet.")
        current = history[0].version
        error = ""
        new_number = int(to_version) if to_version.isdigit() else current.version
        old_number = int(from_version) if from_version.isdigit() else max(1, new_number - 1)
        if (from_version and not from_version.isdigit()) or (to_version and not to_version.isdigit()):
            error = "Choose the versions to compare from the lists."
        old = await charter.get_version(db, access.network.id, old_number)
        new = await charter.get_version(db, access.network.id, new_number)
    except NotFound as exc:
        return await network_not_found(request, db, viewer, exc.message)
    result = charter.diff(old, new)
    changed = [c for c in result.clauses if c.change != "same"]
    return await page(
        "partials/charter_diff.html",
        request,
        db,
        viewer,
        status_code=400 if error else 200,
        network=access.network,
        nav=await network_nav(db, access, "charter"),
        history=history,
        old=old,
        new=new,
        lines=diff_lines(result.lines),
        changed=changed,
        unchanged=[c.number for c in result.clauses if c.change == "same"],
        change_words=CHANGE_WORDS,
        error=error,
        when=when,
    )


handlers = [charter_page, amend_charter, charter_diff]
