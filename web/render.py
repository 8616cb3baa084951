"""What every page shares: the signed-in person, their unread count (and a platform admin's open engagement
flags), the CSRF token, the layout.

Pages call `page(...)` instead of building `Template` themselves, so the header (with the
live unread badge) and the form token are always there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from sqlalchemy.ext.asyncio import AsyncSession

from network.engagements import flags
from network.enums import REGION_LABELS
from network.models import Person
from network.people import notifications

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Jinja with autoescaping (Litestar's default for .html) and our few filters."""

    def setup(engine: JinjaTemplateEngine) -> None:
        engine.engine.globals["region_labels"] = REGION_LABELS
        engine.engine.filters["label"] = lambda value: str(getattr(value, "value", value)).replace("_", " ")

    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=setup)


async def page(
    template: str,
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    unread = await notifications.unread_count(db, viewer) if viewer else 0
    flags_open = await flags.open_count(db) if viewer is not None and viewer.is_admin else 0
    return Template(
        template_name=template,
        context={"viewer": viewer, "unread": unread, "flags_open": flags_open, "path": request.url.path, **context},
        status_code=status_code,
    )
