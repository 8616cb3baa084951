"""The compose and edit forms over plain HTTP: fields per kind, validation beside the fields with
nothing typed lost, the no-JavaScript preview, publishing, editing, and who may do either."""

from __future__ import annotations

import re

from tests.conftest import World
from tests.web.content.test_post_pages import Pages, main_of

PRACTICE_FIELDS = ("title", "summary", "body", "setting", "phases", "what_we_did", "what_we_stopped", "impact",
                   "evidence_strength", "themes", "resource_title", "resource_url")  # fmt: skip
REQUEST_FIELDS = ("support_type", "urgency")


def names_in(html: str) -> set[str]:
    return set(re.findall(r'name="([a-z_]+)"', html))


async def test_the_form_shows_the_fields_of_the_chosen_kind(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Reading & Writing")
    author = await world.member(slug)
    pages = Pages(world, author)

    practice = await pages.get(f"/networks/{slug}/new?kind=practice")
    assert practice.status_code == 200
    html = main_of(practice)
    assert set(PRACTICE_FIELDS) <= names_in(html) and not set(REQUEST_FIELDS) & names_in(html)
    assert "<h1>Share a practice with Reading &amp; Writing</h1>" in html
    assert '<input type="hidden" name="kind" value="practice">' in html
    assert f'<a href="/networks/{slug}/new?kind=practice" aria-current="page">' in html
    for name in ("title", "summary", "body", "themes"):
        assert f'<label for="f-{name}">' in html and f'id="f-{name}"' in html
    assert html.count('type="checkbox" id="f-phases-') == 7 and html.count('name="evidence_strength"') == 5
    assert '<script src="/static/compose.js" defer></script>' in practice.text
    assert 'hx-post="/compose/preview"' in html and "style=" not in html

    request = await pages.get(f"/networks/{slug}/new?kind=request")
    html = main_of(request)
    assert {"title", "body", *REQUEST_FIELDS} <= names_in(html)
    assert not {"summary", "phases", "what_we_did", "evidence_strength", "themes", "resource_url"} & names_in(html)
    assert "<h1>Ask Reading &amp; Writing for help</h1>" in html
    assert (await pages.get(f"/networks/{slug}/new?kind=nonsense")).status_code == 200  # falls back to a practice


async def test_only_those_who_may_post_get_the_form(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    hidden = await world.network(lead, visibility="hidden", join_policy="invite")
    outsider = await world.person()
    observer = await world.observer(lead, slug)
    data = {"kind": "practice", "title": "Mine", "body": "Text", "action": "publish"}

    anonymous = Pages(world)
    response = await anonymous.get(f"/networks/{slug}/new")
    assert response.status_code == 303 and response.headers["location"] == f"/signin?next=/networks/{slug}/new"
    assert (await anonymous.form(f"/networks/{slug}/new", data)).status_code == 303
    await anonymous.aclose()

    for who, message in ((Pages(world, outsider), "Join Network"), (Pages(world, observer), "Observers read")):
        page = await who.get(f"/networks/{slug}/new")
        assert page.status_code == 403 and message in page.text
        assert 'id="compose-form"' not in page.text
        refused = await who.form(f"/networks/{slug}/new", data)
        assert refused.status_code == 403
        assert "Only active members and leads of this network may post" in refused.text
        assert 'value="Mine"' in refused.text  # what was typed is kept
    gone = await Pages(world, outsider).get(f"/networks/{hidden}/new")
    assert gone.status_code == 404 and "<h1>Not found</h1>" in gone.text and "compose-form" not in gone.text
    assert (await Pages(world, outsider).form(f"/networks/{hidden}/new", data)).status_code == 404
    assert await world.count("posts") == 0


async def test_publishing_a_practice_with_every_field(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    pages = Pages(world, author)
    data = {
        "kind": "practice",
        "action": "publish",
        "title": "  Attendance mentors  ",
        "summary": "Mentors for pupils below 90%.",
        "body": "Weekly *check-ins*.",
        "setting": "Four secondaries.",
        "phases": ["secondary", "post_16"],
        "what_we_did": "Hired two mentors.",
        "what_we_stopped": "Letters home.",
        "impact": "Persistent absence down by a third.",
        "evidence_strength": "comparison",
        "themes": "Attendance,  pastoral care , ",
        "resource_title": ["Mentor handbook", "", ""],
        "resource_url": ["https://example.org/handbook", "", ""],
    }
    response = await pages.form(f"/networks/{slug}/new", data)
    assert response.status_code == 303, response.text[:3000]
    post_id = int(response.headers["location"].removeprefix("/posts/"))
    stored = (await author.get(f"/posts/{post_id}")).json()
    assert stored["kind"] == "practice" and stored["title"] == "Attendance mentors"
    assert stored["phases"] == ["secondary", "post_16"] and stored["evidence_strength"] == "comparison"
    assert stored["themes"] == ["attendance", "pastoral care"]
    assert stored["resources"] == [{"title": "Mentor handbook", "url": "https://example.org/handbook"}]
    assert stored["what_we_stopped"] == "Letters home." and stored["support_type"] is None

    request = await pages.form(
        f"/networks/{slug}/new",
        {
            "kind": "request",
            "action": "publish",
            "title": "Help with SEND audit",
            "body": "We need a peer.",
            "support_type": "peer_review",
            "urgency": "",
        },
    )
    assert request.status_code == 303
    stored = (await author.get(request.headers["location"])).json()
    assert stored["kind"] == "request" and stored["support_type"] == "peer_review" and stored["urgency"] is None
    assert stored["status"] == "open"
    assert await world.count("posts") == 2
    assert (await pages.form(f"/networks/{slug}/new", data, csrf=False)).status_code == 403
    assert await world.count("posts") == 2


async def test_validation_messages_sit_beside_the_fields_and_nothing_typed_is_lost(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    pages = Pages(world, author)
    body = "\nStarts with a blank line, has <b>tags</b> & “quotes”.\n"
    data = {
        "kind": "practice",
        "action": "publish",
        "title": "",
        "summary": "s" * 501,
        "body": body,
        "phases": ["primary", "kindergarten"],
        "evidence_strength": "gut feeling",
        "themes": "reading, <script>",
        "resource_title": ["", "Good one", "Third"],
        "resource_url": ["https://example.org/untitled", "https://example.org/good", "ftp://example.org/x"],
    }
    response = await pages.form(f"/networks/{slug}/new", data)
    assert response.status_code == 422
    html = main_of(response)
    summary = re.search(r'<div class="error-summary" id="error-summary" role="alert".*?</div>', html, re.S)
    assert summary, html[:3000]
    for anchor, text in (
        ("#f-title", "Title: Enter a title."),
        ("#f-summary", "Summary: Keep this to 500 characters or fewer (you have 501)."),
        ("#f-phases-0", "Phases: Choose one of the options given."),
        ("#f-evidence_strength-0", "Strength of evidence: Choose one of the options given."),
        ("#f-themes", "Themes: “&lt;script&gt;”: use letters, numbers, spaces and hyphens only."),
        ("#f-resource-0-title", "Resource 1, title: Give this resource a title."),
        ("#f-resource-2-url", "Resource 3, web address: Enter a web address that starts with https://"),
    ):
        assert f'<a href="{anchor}">{text}' in summary.group(0), text
    # each message beside its field, tied to it for screen readers
    title_field = (
        r'<p class="field-error" id="f-title-error">.*?Enter a title\.</p>\s*<input type="text" id="f-title" '
        r'name="title" value="" required aria-describedby="f-title-hint f-title-error" aria-invalid="true">'
    )
    assert re.search(title_field, html)
    assert 'aria-describedby="f-resource-2-url-error" aria-invalid="true"' in html
    # everything as typed
    assert ">\n\nStarts with a blank line, has &lt;b&gt;tags&lt;/b&gt; &amp; “quotes”.\n</textarea>" in html
    assert ">\n" + "s" * 501 + "</textarea>" in html
    assert 'value="primary" checked' in html
    assert 'value="reading, &lt;script&gt;"' in html
    assert 'value="https://example.org/untitled"' in html and 'value="Good one"' in html
    assert 'value="ftp://example.org/x"' in html and 'value="Third"' in html
    assert "<script>" not in html and "<b>tags</b>" not in html
    assert await world.count("posts") == 0

    # a blank title of spaces is a message too, not a 500 or a post
    spaces = await pages.form(
        f"/networks/{slug}/new", {"kind": "request", "action": "publish", "title": "   ", "body": " "}
    )
    assert spaces.status_code == 422
    assert "Title: Enter a title." in spaces.text and "What we need: Write the text of your post." in spaces.text
    assert await world.count("posts") == 0


async def test_preview_renders_sanitised_markdown_without_javascript(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    pages = Pages(world, author)
    body = "# Plan\n\n**bold** [ok](https://example.org) [bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
    data = {"kind": "practice", "action": "preview", "title": "Draft <i>title</i>", "body": body, "impact": "_Big_"}
    response = await pages.form(f"/networks/{slug}/new", data)
    assert response.status_code == 200
    html = main_of(response)
    preview = html[html.index('id="compose-preview"') :]
    assert "<h4>Plan</h4>" in preview and "<strong>bold</strong>" in preview and "<em>Big</em>" in preview
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>' in preview
    assert "<img" not in preview and 'href="javascript' not in preview and "onerror=alert(1)&gt;" in preview
    assert "<strong>Draft &lt;i&gt;title&lt;/i&gt;</strong>" in preview
    assert 'value="Draft &lt;i&gt;title&lt;/i&gt;"' in html  # the form is still filled in
    assert 'formaction="/networks/' in html and '#preview"' in html  # the button lands on the preview
    assert "error-summary" not in html
    assert await world.count("posts") == 0

    live = await pages.form("/compose/preview", {"kind": "request", "body": "*need*", "title": "T"})
    assert live.status_code == 200 and "<main" not in live.text
    assert "<h3>What we need</h3>" in live.text and "<em>need</em>" in live.text
    assert (await pages.form("/compose/preview", {"body": "x"}, csrf=False)).status_code == 403
    empty = await pages.form("/compose/preview", {"kind": "practice"})
    assert "Nothing to preview yet" in empty.text


async def test_editing_keeps_a_revision_and_refusals_keep_the_input(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    other = await world.member(slug)
    practice = await world.practice(
        author, slug, title="Old title", themes=["reading"], evidence_strength="anecdotal",
        resources=[{"title": "Guide", "url": "https://example.org/guide"}],
    )  # fmt: skip
    post_id = practice["id"]
    pages = Pages(world, author)

    form = main_of(await pages.get(f"/posts/{post_id}/edit"))
    assert "<h1>Edit this practice</h1>" in form and 'value="Old title"' in form
    assert 'value="reading"' in form and 'value="anecdotal" checked' in form
    assert 'value="Guide"' in form and 'value="https://example.org/guide"' in form
    assert 'name="reason"' in form and 'name="kind" value="practice"' in form

    fields = {"action": "publish", "title": "New title", "body": "We did this.", "themes": "reading, writing",
              "evidence_strength": "internal_data", "resource_title": ["Guide"],
              "resource_url": ["https://example.org/guide"], "reason": "Added writing"}  # fmt: skip
    bad = await pages.form(f"/posts/{post_id}/edit", fields | {"title": "t" * 201})
    assert bad.status_code == 422 and "Keep this to 200 characters or fewer (you have 201)." in bad.text
    assert 'value="' + "t" * 201 + '"' in bad.text and ">\nAdded writing</textarea>" in bad.text
    assert await world.count("post_revisions") == 0

    saved = await pages.form(f"/posts/{post_id}/edit", fields)
    assert saved.status_code == 303 and saved.headers["location"] == f"/posts/{post_id}"
    stored = (await author.get(f"/posts/{post_id}")).json()
    assert stored["title"] == "New title" and stored["themes"] == ["reading", "writing"] and stored["revision"] == 2
    assert stored["evidence_strength"] == "internal_data"
    page = main_of(await pages.get(f"/posts/{post_id}"))
    assert "Reason given: “Added writing”" in page and "Changed: title, evidence strength, themes." in page

    # another member may not edit; a lead must say why
    stranger = Pages(world, other)
    refused_page = await stranger.get(f"/posts/{post_id}/edit")
    assert refused_page.status_code == 403 and "Only the author or a lead" in refused_page.text
    refused = await stranger.form(f"/posts/{post_id}/edit", fields | {"title": "Hijacked"})
    assert (
        refused.status_code == 403 and "Only the author or a lead of this network may edit this post." in refused.text
    )
    leading = Pages(world, lead)
    no_reason = await leading.form(f"/posts/{post_id}/edit", fields | {"title": "Tidied", "reason": ""})
    assert no_reason.status_code == 422
    assert "Say why you are editing someone else&#39;s post." in no_reason.text
    assert 'id="f-reason-error"' in no_reason.text and 'value="Tidied"' in no_reason.text
    assert await world.count("post_revisions") == 1
    with_reason = await leading.form(f"/posts/{post_id}/edit", fields | {"title": "Tidied", "reason": "Charter 3"})
    assert with_reason.status_code == 303
    assert (await author.get(f"/posts/{post_id}")).json()["title"] == "Tidied"

    request = await world.request(author, slug, support_type="advice")
    edited = await pages.form(
        f"/posts/{request['id']}/edit",
        {"action": "publish", "title": "Need", "body": "Still need", "support_type": "visit", "urgency": "low"},
    )
    assert edited.status_code == 303
    stored = (await author.get(f"/posts/{request['id']}")).json()
    assert stored["support_type"] == "visit" and stored["urgency"] == "low"
    assert (await Pages(world, author).get("/posts/99999/edit")).status_code == 404
