"""The practice and request pages and the compose/edit forms in a real browser.

Live updates arrive without a reload, the forms keep what was typed, the main flows work from
the keyboard alone, hostile markdown runs no script, and axe finds no serious violation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, expect

from tests.conftest import PASSWORD, ApiClient, LiveServer, World
from tests.e2e.conftest import DESKTOP, PHONE, api_sign_in, axe_violations, describe, new_context

REFUSED_FORM = "the server responded with a status of 422"  # Chromium logs a re-rendered form's status


def watch_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions collected while the page runs (CSP reports and the
    status line of a deliberately refused form aside)."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" and "Content Security Policy" not in text and REFUSED_FORM not in text:
            errors.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


async def signed_in(browser: Browser, server: LiveServer, who: ApiClient, **kw: Any) -> BrowserContext:
    context = await new_context(browser, server, **kw)
    assert who.person is not None
    await api_sign_in(context, who.person["email"], PASSWORD)
    return context


async def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches `selector` (as a keyboard user would)."""
    for _ in range(limit):
        if await page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


async def no_horizontal_scroll(page: Page) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.markup
async def test_post_pages_and_forms_are_accessible_at_desktop_and_phone_widths(
    world: World, browser: Browser, server: LiveServer
) -> None:
    slug, author, helper = await world.two_members()
    practice = await world.practice(
        author,
        slug,
        summary="Ten-minute daily phonics catch-up, checked for fidelity each half term.",
        body="## How it runs\n\nEvery morning, **ten minutes**, in groups of four.",
        setting="Eight primaries, two of them rural.",
        phases=["primary", "early_years"],
        what_we_did="1. Trained TAs\n2. Observed sessions",
        what_we_stopped="Afternoon interventions.",
        impact="Phonics check pass rate rose from 71% to 84%.",
        evidence_strength="internal_data",
        themes=["early reading", "phonics"],
        resources=[{"title": "Observation checklist", "url": "https://example.org/checklist"}],
    )
    await author.patch(f"/posts/{practice['id']}", json={"title": "Daily phonics catch-up", "reason": "clearer title"})
    await helper.post(f"/posts/{practice['id']}/replies", json={"body": "We tried this with **Year 2**."})
    await helper.post(f"/posts/{practice['id']}/reactions", json={"kind": "useful"})
    request = await world.request(author, slug, support_type="peer_review", urgency="high")
    await helper.post(f"/posts/{request['id']}/offers", json={"message": "Our science lead can visit in May."})
    await world.practice(helper, slug, title="Peer review of KS3 science: what we learned", themes=["science"])

    pages = [
        f"/posts/{practice['id']}",
        f"/posts/{request['id']}",
        f"/networks/{slug}/new?kind=practice",
        f"/networks/{slug}/new?kind=request",
        f"/posts/{practice['id']}/edit",
        f"/posts/{request['id']}/edit",
    ]
    for who, paths in ((author, pages), (helper, [f"/posts/{request['id']}"])):
        for viewport in (DESKTOP, PHONE):
            context = await signed_in(browser, server, who, viewport=viewport)
            page = await context.new_page()
            errors = watch_errors(page)
            for path in paths:
                response = await page.goto(path)
                assert response is not None and response.status == 200, path
                for summary in await page.locator("details > summary").all():
                    if await summary.is_visible():
                        await summary.click()  # open the edit history, so axe checks what it holds
                assert await page.locator("h1").count() == 1, path
                if path == f"/posts/{request['id']}" and who is author:  # the helper's practice may help
                    await expect(page.locator("#related-h")).to_have_text("Practice that may help")
                violations = await axe_violations(page)
                assert not violations, f"{path} at {viewport}: {describe(violations)}"
                assert await no_horizontal_scroll(page), f"{path} scrolls sideways at {viewport}"
            # a refused form is accessible too
            await page.goto(f"/networks/{slug}/new?kind=practice")
            await page.get_by_role("button", name="Publish practice").click()
            await expect(page.locator("#error-summary")).to_be_visible()
            violations = await axe_violations(page)
            assert not violations, f"refused form at {viewport}: {describe(violations)}"
            assert errors == [], errors
            await context.close()


async def test_a_requester_receives_an_offer_live_and_accepts_it(
    world: World, browser: Browser, server: LiveServer
) -> None:
    slug, requester, offerer = await world.two_members()
    request = await world.request(requester, slug, support_type="visit")
    path = f"/posts/{request['id']}"

    asking = await signed_in(browser, server, requester)
    offering = await signed_in(browser, server, offerer)
    a = await asking.new_page()
    b = await offering.new_page()
    a_errors, b_errors = watch_errors(a), watch_errors(b)
    await a.goto(path)
    await b.goto(path)
    await expect(a.locator("#request-status")).to_have_text("open")
    await a.evaluate("window.__stayed = true")  # gone if the page reloads
    await b.evaluate("window.__stayed = true")
    await a.wait_for_timeout(300)  # let both sockets subscribe

    # a reply and a reaction from elsewhere arrive in place
    await offerer.post(f"/posts/{request['id']}/replies", json={"body": "Happy to help, *details* below."})
    await offerer.post(f"/posts/{request['id']}/reactions", json={"kind": "useful"})
    await expect(a.locator("#reply-list li")).to_contain_text("Happy to help, details below.")
    await expect(a.locator("#reply-list")).to_have_attribute("aria-live", "polite")
    await expect(a.locator('[data-reaction-count="useful"]')).to_have_text("1")
    await expect(a.locator("[data-reply-count]")).to_have_text("1")
    await expect(a.locator("#no-replies")).to_be_hidden()

    await b.get_by_label("What your organisation can offer").fill("Two of our heads of science can visit in June.")
    await b.get_by_role("button", name="Send offer").click()
    await expect(b.locator("#offer-list li")).to_have_count(1)  # the offerer's page after the redirect

    offer = a.locator("#offer-list li").first
    await expect(offer).to_contain_text("Two of our heads of science can visit in June.")
    await expect(a.locator("#post-announcer")).to_contain_text("New offer of help from")
    await expect(a.locator("#request-status")).to_have_text("in discussion")
    assert await a.evaluate("window.__stayed === true"), "the requester's page reloaded"
    await b.evaluate("window.__stayed = true")

    await offer.get_by_role("button", name="Accept").click()
    await expect(a).to_have_url(re.compile(r"/engagements/\d+$"))  # the accepted offer's engagement opens
    await a.goto(path)
    await expect(a.locator("#request-status")).to_have_text("matched")
    await expect(a.locator("#offer-list li .offer-pill")).to_have_text("accepted")

    await expect(b.locator("#request-status")).to_have_text("matched")
    await expect(b.locator("#offer-list li .offer-pill")).to_have_text("accepted")
    await expect(b.locator("#post-announcer")).to_contain_text("accepted")
    assert await b.evaluate("window.__stayed === true"), "the offerer's page reloaded"
    assert await b.get_by_role("button", name="Withdraw your offer").count() == 0
    assert a_errors == [] and b_errors == [], (a_errors, b_errors)
    await asking.close()
    await offering.close()


async def test_a_validation_error_keeps_everything_typed(world: World, browser: Browser, server: LiveServer) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    context = await signed_in(browser, server, author)
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(f"/networks/{slug}/new?kind=practice")

    body = "First line.\n\n- a list item\n- another, with <angle> & ampersand"
    await page.get_by_label("Summary").fill("A summary that must survive.")
    await page.get_by_label("The practice").fill(body)
    await page.get_by_label("What we did").fill("Step one, step two.")
    await page.get_by_label("Secondary").check()
    await page.get_by_label("Comparison").check()
    await page.get_by_label("Themes").fill("attendance, #not-a-theme")
    await page.get_by_label("Resource 1: title").fill("Our attendance letter")
    await page.get_by_label("Resource 1: web address").fill("javascript:alert(1)")
    await page.get_by_role("button", name="Publish practice").click()  # no title, a bad theme, a bad link

    summary = page.locator("#error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Title: Enter a title.")
    await expect(page.locator("#f-themes-error")).to_contain_text("#not-a-theme")
    await expect(page.locator("#f-resource-0-url-error")).to_contain_text("https://")
    assert await page.get_by_label("Title", exact=True).get_attribute("aria-invalid") == "true"
    await expect(page.get_by_label("Summary")).to_have_value("A summary that must survive.")
    await expect(page.get_by_label("The practice")).to_have_value(body)
    await expect(page.get_by_label("What we did")).to_have_value("Step one, step two.")
    await expect(page.get_by_label("Secondary")).to_be_checked()
    await expect(page.get_by_label("Comparison")).to_be_checked()
    await expect(page.get_by_label("Themes")).to_have_value("attendance, #not-a-theme")
    await expect(page.get_by_label("Resource 1: title")).to_have_value("Our attendance letter")
    await expect(page.get_by_label("Resource 1: web address")).to_have_value("javascript:alert(1)")
    assert await world.count("posts") == 0

    await summary.get_by_role("link", name="Title: Enter a title.").click()
    await expect(page.get_by_label("Title", exact=True)).to_be_focused()
    await page.get_by_label("Title", exact=True).fill("Attendance letters that parents read")
    await page.get_by_label("Themes").fill("attendance")
    await page.get_by_label("Resource 1: web address").fill("https://example.org/letter")
    await page.get_by_role("button", name="Publish practice").click()
    await expect(page.locator("h1")).to_have_text("Attendance letters that parents read")
    await expect(page.locator(".evidence")).to_contain_text("comparison")
    await expect(page.get_by_role("link", name="Our attendance letter")).to_have_attribute(
        "href", "https://example.org/letter"
    )
    assert errors == [], errors
    await context.close()


async def test_signing_in_posting_a_practice_and_replying_with_the_keyboard_only(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    assert author.person is not None
    context = await new_context(browser, server)
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(f"/networks/{slug}/new?kind=practice")  # signed out: sent to sign in first

    await expect(page.locator("h1")).to_have_text("Sign in")
    await page.keyboard.press("Tab")
    await expect(page.locator("a.skip")).to_be_focused()
    await tab_to(page, "input[name=email]")
    await page.keyboard.type(author.person["email"])
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_have_text(re.compile("Share a practice"))  # back where we were going

    await tab_to(page, "#f-title")
    await page.keyboard.type("Walking bus for persistent absence")
    await tab_to(page, "#f-body")
    await page.keyboard.type("Staff walk a route each morning.")
    await page.keyboard.press("Enter")
    await page.keyboard.type("Parents join in.")
    await tab_to(page, "#f-phases-1")  # primary
    await page.keyboard.press("Space")
    await tab_to(page, "input[name=evidence_strength]")
    await page.keyboard.press("ArrowDown")  # from "not stated" (checked) round to the first strength
    await tab_to(page, "#f-themes")
    await page.keyboard.type("attendance")
    await tab_to(page, "button[value=preview]")
    await page.keyboard.press("Enter")
    await expect(page.locator("#compose-preview")).to_contain_text("Staff walk a route each morning.")
    await tab_to(page, "button[value=publish]")
    await page.keyboard.press("Enter")

    await expect(page.locator("h1")).to_have_text("Walking bus for persistent absence")
    await expect(page.locator("#s-practice + .md")).to_contain_text("Parents join in.")
    await expect(page.locator(".evidence")).to_contain_text("anecdotal")
    await expect(page.locator("#s-setting ~ p")).to_contain_text("primary")

    await tab_to(page, "button.reaction[aria-pressed=false]")
    await page.keyboard.press("Space")
    await expect(page.locator('button.reaction[aria-pressed="true"]')).to_have_count(1)
    await tab_to(page, "#reply-body")
    await page.keyboard.type("Week two: 14 more pupils on the bus.")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Post reply")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#reply-list li")).to_have_count(1)
    await expect(page.locator("#reply-list li")).to_contain_text("Week two: 14 more pupils on the bus.")
    assert errors == [], errors
    await context.close()


HOSTILE = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<svg onload=\"window.__pwned='svg'\"><script>window.__pwned='svg-script'</script></svg>",
    "<svg><animate onbegin=\"window.__pwned='animate'\" attributeName=x dur=1s></animate></svg>",
    "<svg><a xlink:href=\"javascript:window.__pwned='svg-a'\"><text x=20 y=20>svg link</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='mathml'\">"
    "</style></mglyph></table></mtext></math>",
    "<math href=\"javascript:window.__pwned='math'\">math link</math>",
    "[plain js link](javascript:window.__pwned='link')",
    "[mixed case](JaVaScRiPt:window.__pwned='case')",
    "[entity](&#106;avascript:window.__pwned='entity')",
    "[data url](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)",
    "![image](javascript:window.__pwned='image')",
    "![x](x\" onerror=\"window.__pwned='attr')",
    "<a href=\"javascript:window.__pwned='raw'\">raw link</a>",
    "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__pwned='srcdoc'</script>\"></iframe>",
    "<style>body { background: url(javascript:window.__pwned='css') } main { display: none }</style>",
    "<div style=\"background-image: url(javascript:window.__pwned='style'); position: fixed; inset: 0\">cover</div>",
    "<details open ontoggle=\"window.__pwned='toggle'\"><summary>x</summary></details>",
    '<object data="javascript:window.__pwned=\'object\'"></object><embed src="data:text/html,<script>x</script>">',
    "<form action=\"javascript:window.__pwned='form'\"><button>go</button></form>",
    "<input autofocus onfocus=\"window.__pwned='focus'\">",
    '<base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:window.__pwned=\'meta\'">',
    "<noscript><p title=\"</noscript><img src=x onerror=window.__pwned='noscript'>\"></noscript>",
    "`<script>window.__pwned='code'</script>` stays as text",
]
FOREIGN_ELEMENTS = """() => {
  const foreign = Array.from(document.querySelectorAll(
    'main :is(script, iframe, object, embed, svg, math, style, base, meta, img, link, [style])'));
  const forms = Array.from(document.querySelectorAll('main form'))
    .filter(form => !(form.getAttribute('action') || '').startsWith('/'));
  const loose = Array.from(document.querySelectorAll('main :is(input, button, textarea, select)'))
    .filter(control => !control.closest('form'));
  return foreign.concat(forms, loose).map(el => el.outerHTML.slice(0, 80));
}"""
FOREIGN_ATTRIBUTES = """() => Array.from(document.querySelectorAll('main *')).flatMap(el =>
  Array.from(el.attributes)
    .filter(a => a.name.startsWith('on') || /^\\s*(javascript|data|vbscript):/i.test(a.value))
    .map(a => el.tagName + ' ' + a.name))"""
TRAP = """
window.__attempts = [];
Object.defineProperty(window, '__pwned', {
  configurable: false,
  get: function () { return undefined; },
  set: function (value) { window.__attempts.push(String(value)); },
});
window.__dialogs = [];
['alert', 'confirm', 'prompt'].forEach(function (name) {
  window[name] = function (text) { window.__dialogs.push(name + ':' + text); };
});
"""


async def test_hostile_markdown_posted_through_the_form_runs_no_script(
    world: World, browser: Browser, server: LiveServer
) -> None:
    slug, author, reader = await world.two_members()
    corpus = "\n\n".join(HOSTILE)
    dialogs: list[str] = []

    writing = await signed_in(browser, server, author)
    reading = await signed_in(browser, server, reader)
    for ctx in (writing, reading):
        await ctx.add_init_script(TRAP)
    page = await writing.new_page()
    other = await reading.new_page()

    async def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    for p in (page, other):
        p.on("dialog", on_dialog)
    page_errors, other_errors = watch_errors(page), watch_errors(other)

    await page.goto(f"/networks/{slug}/new?kind=practice")
    armed = "(() => { window.__pwned = 'self-test'; return window.__attempts.splice(0); })()"
    assert await page.evaluate(armed) == ["self-test"]  # the trap is set before any page script
    await page.get_by_label("Title", exact=True).fill("<img src=x onerror=\"window.__pwned='title'\"> Hostile")
    await page.get_by_label("Summary").fill("<script>window.__pwned='summary'</script>")
    await page.get_by_label("The practice").fill(corpus)
    await page.get_by_label("What we did").fill(corpus)
    await page.get_by_label("What we stopped doing").fill(corpus)
    await page.get_by_label("Impact").fill(corpus)
    await page.get_by_label("Setting").fill('"><svg onload="window.__pwned=\'setting\'">')
    await page.get_by_role("button", name="Preview").click()
    await expect(page.locator("#compose-preview h3").first).to_have_text("The practice")
    await page.get_by_label("Impact").fill(corpus + "\n\nlive preview")  # the htmx preview, swapped in place
    await expect(page.locator("#compose-preview")).to_contain_text("live preview")
    await page.get_by_role("button", name="Publish practice").click()
    await expect(page.locator("h1")).to_contain_text("Hostile")
    post_path = page.url.removeprefix(server.url)
    assert post_path.startswith("/posts/")

    await other.goto(post_path)
    await other.wait_for_timeout(300)  # subscribed
    await page.get_by_label("Your reply").fill(corpus)
    await page.get_by_role("button", name="Post reply").click()
    await expect(page.locator("#reply-list li")).to_have_count(1)
    await expect(other.locator("#reply-list li")).to_have_count(1)  # arrived live, inserted by post.js

    for p in (page, other):
        await expect(p.locator("#s-practice + .md")).to_contain_text("stays as text")
        await expect(p.locator("h1")).to_contain_text('<img src=x onerror="window.__pwned=')  # shown as text
        for link in await p.locator("main .md a").all():
            await link.focus()
        assert await p.evaluate("typeof window.__pwned") == "undefined"
        assert await p.evaluate("window.__attempts") == []  # the trap saw no payload run
        assert await p.evaluate("window.__dialogs") == []
        dangerous = await p.evaluate(FOREIGN_ELEMENTS)
        assert dangerous == [], dangerous
        handlers = await p.evaluate(FOREIGN_ATTRIBUTES)
        assert handlers == [], handlers
        links = await p.evaluate("() => Array.from(document.querySelectorAll('main .md a')).map(a => a.href)")
        assert all(href.startswith(("http://", "https://")) for href in links), links
    assert dialogs == []
    assert page_errors == [] and other_errors == [], (page_errors, other_errors)
    await writing.close()
    await reading.close()
