"""Browser pages. For now the landing page, which says what the commons is and lists its networks."""

from __future__ import annotations

from pathlib import Path

from litestar import get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from network import networks
from network.enums import REGION_LABELS, NetworkKind
from server.deps import Db, Viewer

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)


@get("/", summary="Landing page", include_in_schema=False)
async def home(db: Db, viewer: Viewer) -> Template:
    directory = await networks.directory(db, viewer)
    regional = [n for n in directory if n.kind is NetworkKind.REGIONAL]
    other = [n for n in directory if n.kind is not NetworkKind.REGIONAL]
    return Template(
        template_name="home.html",
        context={"viewer": viewer, "regional": regional, "other": other, "region_labels": REGION_LABELS},
    )
