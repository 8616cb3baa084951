"""What pages share: dates in words, the network's section links, refusals shown beside forms.

The governance pages (web/governance/), appeals and the review queue (web/casework/) and a network's home and join
pages (web/people/) each build on these, so a refusal looks and reads the same on all of them.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec
from litestar import Request
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.errors import DomainError
from network.governance import transparency
from network.models import Person
from network.moderation import review_queue
from web.render import page


def when(moment: datetime | None) -> str:
    """A date and time as people read it: 3 March 2025, 14:05 UTC."""
    if moment is None:
        return ""
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def day(moment: datetime | None) -> str:
    """A date as people read it: 3 March 2025 (UTC)."""
    return f"{moment.day} {moment:%B %Y}" if moment else ""


# ---- the network's sections ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkNav:
    """The links under a network's name: Feed · Charter · Log, and for its leads Queue (open count) · Settings."""

    slug: str
    name: str
    current: str  # feed, charter, log, queue, settings
    log: bool  # the reader may read the transparency log
    lead: bool
    queue_open: int = 0


async def network_nav(db: AsyncSession, access: Access, current: str) -> NetworkNav:
    lead = access.is_lead
    return NetworkNav(
        slug=access.network.slug,
        name=access.network.name,
        current=current,
        log=transparency.may_read_log(access),
        lead=lead,
        queue_open=await review_queue.open_count(db, access.network.id) if lead else 0,
    )


# ---- refusals beside their form ----------------------------------------------------------------------------------


@dataclass
class Trouble:
    """A refusal to show on a page: which form it belongs to, the message, messages per field, what was typed."""

    form: str
    message: str
    status: int = 422
    fields: dict[str, str] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, form: str, exc: DomainError, typed: dict[str, Any] | None = None) -> Trouble:
        return cls(form, exc.message, exc.status, dict(exc.fields), typed or {})

    def on(self, form: str, name: str = "") -> str:
        """The message for field `name` of `form` (or for the form as a whole), if this trouble is about it."""
        if self.form != form:
            return ""
        if name:
            return self.fields.get(name, "")
        return self.message

    def value(self, form: str, name: str, default: Any = "") -> Any:
        """What was typed into `name` when `form` was refused, else `default` (the value as it stands)."""
        if self.form == form and name in self.typed:
            return self.typed[name]
        return default


NO_TROUBLE = Trouble(form="", message="", status=200)


def explain(error: msgspec.ValidationError, typed: Any) -> str:
    """msgspec's message for one field, said for the person filling in the form."""
    text = str(error)
    if "length >= 1" in text:
        return "Fill this in."
    if match := re.search(r"`(str|array)` of length <= (\d+)", text):
        if match[1] == "array":
            return f"Give at most {match[2]}."
        size = len(typed) if isinstance(typed, str) else 0
        return f"Keep this to {int(match[2]):,} characters or fewer (you have {size:,})."
    if "Expected `int`" in text:
        return "Enter a whole number."
    if "Invalid enum value" in text:
        return "Choose one of the options given."
    if "Expected `str` matching regex" in text:
        return "This is not in the expected form."
    return "This is not valid."


def field_errors(schema: type[msgspec.Struct], values: dict[str, Any]) -> dict[str, str]:
    """Each field of `values` checked on its own against its type in `schema` (msgspec stops at the first)."""
    hints = typing.get_type_hints(schema, include_extras=True)
    errors: dict[str, str] = {}
    for name, value in values.items():
        try:
            msgspec.convert(value, hints[name], strict=False)
        except msgspec.ValidationError as exc:
            errors[name] = explain(exc, value)
    return errors


# ---- pages for what cannot be shown --------------------------------------------------------------------------------


async def network_not_found(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None, message: str
) -> Template:
    """The network 404 page: it never says whether a network exists, only that the reader cannot see it."""
    return await page("partials/feed_not_found.html", request, db, viewer, status_code=404, message=message)


async def not_found(request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None, message: str) -> Template:
    """The 404 page for a decision or an appeal the reader may not see."""
    return await page("partials/post_not_found.html", request, db, viewer, status_code=404, message=message)


async def refused(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    *,
    title: str,
    message: str,
    status: int = 403,
    nav: NetworkNav | None = None,
) -> Template:
    """A page that is not for this reader (a member opening the settings), saying why and where to go."""
    return await page(
        "partials/settings_refused.html", request, db, viewer, status_code=status, title=title, message=message, nav=nav
    )
