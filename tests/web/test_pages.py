"""The landing page, rendered by the real server."""

from __future__ import annotations

import httpx

from tests.conftest import World


async def test_landing_page_lists_networks_escaped(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Reading <b>& phonics</b>")
    async with httpx.AsyncClient(base_url=world.server.url) as http:
        response = await http.get("/")
        css = await http.get("/static/commons.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="en-GB">' in page
    assert 'href="#main"' in page  # skip link
    assert "Reading &lt;b&gt;&amp; phonics&lt;/b&gt;" in page
    assert "<b>& phonics" not in page
    assert slug
    assert "<script>" not in page and "style=" not in page  # nothing inline: the CSP forbids it
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
