"""Flags, the review queue and leads' decisions in the browser, over plain HTTP (no JavaScript).

Each form posts and is answered 303 with a confirmation, or re-renders with the domain's message
beside the form and what was typed kept; a refusal writes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import ApiClient, World
from tests.web.content.test_post_pages import Pages, main_of, redirected_to

PUPIL_DATA = "We supported pupil Jayden Smith (UPN P207000016049) through a reading plan."


def article(html: str, element_id: str) -> str:
    """The <article> (or <li>) with this id, from its opening tag to its closing one."""
    match = re.search(rf'<(article|li) [^>]*id="{element_id}".*?</\1>', html, re.S)
    assert match, f"no #{element_id} in {html[:3000]}"
    return match.group(0)


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str, **extra: Any) -> int:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Because"} | extra
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_members_flag_posts_and_replies_through_the_form_and_refusals_write_nothing(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug, name="Ava Author")
    reporter = await world.member(slug)
    observer = await world.observer(lead, slug)
    post_id = (await world.practice(author, slug, title="Attendance drive"))["id"]
    reply = (await author.post(f"/posts/{post_id}/replies", json={"body": "Our follow-up."})).json()
    pages = Pages(world, reporter)

    html = main_of(await pages.get(f"/posts/{post_id}"))
    assert f'action="/posts/{post_id}/flag"' in html and f'action="/replies/{reply["id"]}/flag"' in html
    assert 'Flag<span class="visually-hidden"> this practice for the leads</span>' in html
    for words in (
        "Personal data (pupil or staff)",
        "Breaks the charter",
        "Off topic",
        "Inappropriate",
        "Spam",
        "Other",
    ):
        assert f">{words}</label>" in html, words
    assert '<option value="4">4. Disagree with ideas, not people; be courteous and constructive.</option>' in html
    assert "<legend>Why should the leads look at it?</legend>" in html
    assert 'action="/posts/' + str(post_id) + '/moderate"' not in html  # no lead tools for a member
    # the author, an observer and a signed-out reader get no flag control
    for who in (author, observer):
        page = main_of(await Pages(world, who).get(f"/posts/{post_id}"))
        assert "/flag" not in page, who.person
    anonymous = Pages(world)
    assert "/flag" not in (await anonymous.get(f"/posts/{post_id}")).text

    # validation: a reason is needed; a charter flag needs a clause that exists; the note is kept
    no_reason = await pages.form(f"/posts/{post_id}/flag", {"note": "Names a <pupil>", "clause": ""})
    assert no_reason.status_code == 422
    page = main_of(no_reason)
    assert 'role="alert"' in page and "Choose why the leads should look at it." in page
    assert 'id="flag-post-reason-error"' in page and '<details class="flag-box" id="flag-post" open>' in page
    assert ">Names a &lt;pupil&gt;</textarea>" in page
    no_clause = await pages.form(f"/posts/{post_id}/flag", {"reason": "charter", "note": "Rude to a colleague"})
    assert no_clause.status_code == 422 and "Say which clause of the charter this breaks." in no_clause.text
    assert ">Rude to a colleague</textarea>" in no_clause.text and 'value="charter" required checked' in no_clause.text
    no_such = await pages.form(f"/posts/{post_id}/flag", {"reason": "charter", "clause": "99", "note": "x"})
    assert no_such.status_code == 422 and "The charter has no clause 99; it has 6." in no_such.text
    odd = await pages.form(f"/posts/{post_id}/flag", {"reason": "charter", "clause": "²", "note": "x"})
    assert odd.status_code == 422 and "Choose a clause from the list." in odd.text
    other = await pages.form(f"/posts/{post_id}/flag", {"reason": "other", "note": "  "})
    assert other.status_code == 422 and "Say what is wrong." in other.text
    assert await world.count("flags") == 0 and await world.count("queue_entries") == 0

    sent = await pages.form(f"/posts/{post_id}/flag", {"reason": "charter", "clause": "4", "note": "Rude"})
    redirected_to(sent, f"/posts/{post_id}?done=flagged&on=post#post-status")
    page = main_of(await pages.get(sent.headers["location"]))
    assert re.search(r'id="post-status" class="notice" role="status"[^>]*>Thanks — the network&#39;s leads will', page)
    assert "You have flagged this practice; the leads are looking at it." in page
    assert f'action="/posts/{post_id}/flag"' not in page
    assert await world.count("flags", "reason = 'charter' AND clause = 4 AND note = 'Rude'") == 1

    # refusals from the domain: twice, one's own words, an observer; each shows its message and writes nothing
    twice = await pages.form(f"/posts/{post_id}/flag", {"reason": "spam"})
    assert twice.status_code == 409 and "You have already flagged this; the leads are looking at it." in twice.text
    own = await Pages(world, author).form(f"/posts/{post_id}/flag", {"reason": "spam"})
    assert own.status_code == 403 and "You cannot flag your own words; edit them instead." in own.text
    watching = await Pages(world, observer).form(f"/posts/{post_id}/flag", {"reason": "spam"})
    assert watching.status_code == 403 and "Observers do not flag content" in watching.text
    assert (await pages.form(f"/posts/{post_id}/flag", {"reason": "spam"}, csrf=False)).status_code == 403
    signed_out = await anonymous.form(f"/posts/{post_id}/flag", {"reason": "spam"})
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/signin?next=")
    assert await world.count("flags") == 1 and await world.count("queue_entries") == 1

    # a reply: the confirmation is shown beside it
    flagged = await pages.form(f"/replies/{reply['id']}/flag", {"reason": "off_topic", "note": ""})
    key = f"reply-{reply['id']}"
    redirected_to(flagged, f"/posts/{post_id}?done=flagged&on={key}#{key}-status")
    page = main_of(await pages.get(flagged.headers["location"]))
    assert re.search(rf'id="{key}-status" class="notice" role="status"[^>]*>Thanks', page)
    assert "You have flagged this reply" in page
    assert await world.count("flags", f"target_type = 'reply' AND target_id = {reply['id']}") == 1
    missing = await pages.form("/replies/99999/flag", {"reason": "spam"})
    assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text
    await anonymous.aclose()


async def test_the_queue_shows_a_lead_every_entry_in_severity_order_with_flags_and_history(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug, name="Ava Author")
    reporter = await world.member(slug, name="Rita Reporter")
    other = await world.member(slug)
    spam = await world.practice(author, slug, title="Buy our tracker", body="A **great** offer.")
    personal = await world.practice(author, slug, title="Reading plan")
    reply = (await author.post(f"/posts/{personal['id']}/replies", json={"body": "More detail."})).json()
    assert (await reporter.post(f"/posts/{spam['id']}/flags", json={"reason": "spam"})).status_code == 201
    assert (
        await other.post(f"/posts/{spam['id']}/flags", json={"reason": "off_topic", "note": "Advert"})
    ).status_code == 201
    flagged = await reporter.post(
        f"/posts/{personal['id']}/flags", json={"reason": "personal_data", "note": "Names a child"}
    )
    assert flagged.status_code == 201
    charter = await reporter.post(f"/replies/{reply['id']}/flags", json={"reason": "charter", "clause": 4})
    assert charter.status_code == 201
    queue = (await lead.get(f"/networks/{slug}/queue")).json()

    response = await Pages(world, lead).get(f"/networks/{slug}/queue")
    assert response.status_code == 200
    html = main_of(response)
    assert "<h1>Review queue</h1>" in html and html.count("<h1") == 1
    order = [int(i) for i in re.findall(r'<article class="card queue-entry[^"]*" id="entry-(\d+)"', html)]
    assert order == [e["id"] for e in queue] and len(order) == 3
    first, second, third = (article(html, f"entry-{e['id']}") for e in queue)
    assert "Personal data</span>" in first and "Reading plan" in first and "Names a child" in first
    assert "Reply on “Reading plan”" in second and "Charter or conduct" in second and "(clause 4)" in second
    assert "Buy our tracker" in third and "<strong>great</strong>" in third and "Flagged 2 times" in third
    assert ">Spam</strong>" in third and ">Off topic</strong>" in third and "Advert" in third
    assert f'href="/people/{reporter.id}">Rita Reporter</a>' in third
    assert f'href="/people/{author.id}">Ava Author</a>' in third
    assert "Member, active, joined" in third and "<li>2 posts</li>" in third and "<li>1 reply</li>" in third
    assert "<li>0 upheld flags</li>" in third and "<li>0 earlier decisions</li>" in third
    assert 'value="dismiss"' in third and 'value="lock"' in third and 'value="approve"' not in third
    assert 'value="lock"' not in second  # a reply is not a thread
    assert "Nothing decided yet." in html and "No one is waiting to join." in html
    assert (
        'data-queue="' + slug + '"' in response.text
        and '<script src="/static/queue.js" defer></script>' in response.text
    )
    assert "style=" not in html and "onclick" not in html

    # the fragment queue.js swaps in: the same list, only for htmx
    fragment = await Pages(world, lead).http.get(
        world.server.url + f"/networks/{slug}/queue/entries", headers={"hx-request": "true"}
    )
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<div id="queue-entries"')
    assert "<main" not in fragment.text and fragment.text.count('class="card queue-entry') == 3
    opened = await Pages(world, lead).get(f"/networks/{slug}/queue/entries")
    assert opened.status_code == 303 and opened.headers["location"] == f"/networks/{slug}/queue#queue-heading"

    # not for members, nor for people who cannot read the network, nor signed out
    refused = await Pages(world, reporter).get(f"/networks/{slug}/queue")
    assert refused.status_code == 403 and "Only the leads of" in refused.text and "Names a child" not in refused.text
    hidden_net = await world.network(lead, visibility="hidden", join_policy="invite")
    assert (await Pages(world, reporter).get(f"/networks/{hidden_net}/queue")).status_code == 404
    anonymous = Pages(world)
    signed_out = await anonymous.get(f"/networks/{slug}/queue")
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/signin?next=")
    await anonymous.aclose()
    empty = main_of(await Pages(world, lead).get(f"/networks/{hidden_net}/queue"))
    assert "Nothing waiting. New flags and held posts appear here as they come in." in empty


async def test_leads_claim_note_and_decide_in_the_queue_through_forms(world: World) -> None:
    lead = await world.person(name="Lee Lead")
    slug = await world.network(lead)
    second = await world.member(slug, name="Sam Second")
    assert (await lead.patch(f"/networks/{slug}/members/{second.id}", json={"role": "lead"})).status_code == 200
    author, reporter = await world.member(slug), await world.member(slug)
    post_id = (await world.practice(author, slug, title="Attendance drive"))["id"]
    other_id = (await world.practice(author, slug, title="Typo practice", body="Teh body."))["id"]
    await reporter.post(f"/posts/{post_id}/flags", json={"reason": "inappropriate"})
    await reporter.post(f"/posts/{other_id}/flags", json={"reason": "other", "note": "Typo"})
    entries = {e["target_id"]: e["id"] for e in (await lead.get(f"/networks/{slug}/queue")).json()}
    entry, other_entry = entries[post_id], entries[other_id]
    mine, theirs = Pages(world, lead), Pages(world, second)
    base = f"/networks/{slug}/queue/{entry}"

    redirected_to(await mine.form(f"{base}/claim", {}), f"/networks/{slug}/queue?done=claimed#entry-{entry}")
    html = main_of(await mine.get(f"/networks/{slug}/queue?done=claimed"))
    assert "You have claimed it" in html and "You claimed this on" in article(html, f"entry-{entry}")
    assert f'action="{base}/release"' in html
    taken = await theirs.form(f"{base}/claim", {})
    assert taken.status_code == 409 and "Lee Lead has already claimed this entry." in taken.text
    assert await world.count("queue_entries", f"claimed_by_id = {lead.id}") == 1

    blank = await theirs.form(f"{base}/notes", {"body": "   "})
    assert blank.status_code == 422 and "A note cannot be blank." in blank.text
    assert await world.count("queue_notes") == 0
    redirected_to(
        await theirs.form(f"{base}/notes", {"body": "Looks <b>rude</b> to me"}),
        f"/networks/{slug}/queue?done=noted#entry-{entry}",
    )
    html = article(main_of(await mine.get(f"/networks/{slug}/queue")), f"entry-{entry}")
    assert "Looks &lt;b&gt;rude&lt;/b&gt; to me" in html and "Sam Second" in html

    no_reason = await mine.form(f"{base}/decide", {"action": "hide", "reason": " ", "clause": "4"})
    assert no_reason.status_code == 422 and "Give a reason: it is logged" in no_reason.text
    page = main_of(no_reason)
    assert f'id="entry-{entry}-decide-action-hide" name="action" value="hide" required checked' in page
    assert '<option value="4" selected>' in page and f'href="#entry-{entry}-decide-reason"' in page
    no_action = await mine.form(f"{base}/decide", {"reason": "Rude"})
    assert no_action.status_code == 422 and "Choose a decision." in no_action.text
    member = await Pages(world, reporter).form(f"{base}/decide", {"action": "hide", "reason": "Mine now"})
    assert member.status_code == 403
    assert await world.count("decisions", "action = 'hide'") == 0

    decided = await mine.form(f"{base}/decide", {"action": "hide", "reason": "Breaks clause 4", "clause": "4"})
    redirected_to(decided, f"/networks/{slug}/queue?done=hide#queue-status")
    html = main_of(await mine.get(decided.headers["location"]))
    assert f'id="entry-{entry}"' not in html
    recent = article(html, f"decided-{entry}")
    assert "<strong>Hidden</strong>" in recent and "“Breaks clause 4” (clause 4)" in recent and "Lee Lead" in recent
    assert await world.count("posts", f"id = {post_id} AND state = 'hidden'") == 1
    again = await theirs.form(f"{base}/decide", {"action": "remove", "reason": "Too late"})
    assert again.status_code == 409 and "Another lead has decided this already" in again.text
    assert await world.count("decisions", "action IN ('hide', 'remove')") == 1

    # an edit with a reason keeps the earlier version
    edit_base = f"/networks/{slug}/queue/{other_entry}/decide"
    blank_body = await mine.form(edit_base, {"action": "edit", "title": "Typo practice", "body": "", "reason": "Typo"})
    assert blank_body.status_code == 422 and "Write the edited text." in blank_body.text
    edited = await mine.form(
        edit_base, {"action": "edit", "title": "Typo practice", "body": "The body.", "reason": "Typo"}
    )
    redirected_to(edited, f"/networks/{slug}/queue?done=edit#queue-status")
    assert await world.count("posts", f"id = {other_id} AND body = 'The body.' AND revision = 2") == 1
    assert await world.count("decisions", "action = 'edit'") == 1


async def test_held_and_hidden_content_shows_its_author_why_and_nobody_else(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    held = await author.post(
        f"/networks/{slug}/posts", json={"kind": "practice", "title": "Reading", "body": PUPIL_DATA}
    )
    assert held.json()["state"] == "held"
    held_id = held.json()["id"]
    own = main_of(await Pages(world, author).get(f"/posts/{held_id}"))
    assert "Awaiting review by the network's leads." in own and "waiting for a lead to approve it" in own
    assert (await Pages(world, reader).get(f"/posts/{held_id}")).status_code == 404
    leading = main_of(await Pages(world, lead).get(f"/posts/{held_id}"))
    assert "Held for review" in leading and 'value="approve"' in leading and "Awaiting review" not in leading

    post_id = (await world.practice(author, slug, title="Attendance drive"))["id"]
    reply_id = (await author.post(f"/posts/{post_id}/replies", json={"body": "A sharp reply."})).json()["id"]
    await reader.post(f"/posts/{post_id}/replies", json={"body": "A kind reply."})
    post_decision = await decide(lead, slug, "post", post_id, "hide", reason="Breaks clause 4", clause=4)
    own = main_of(await Pages(world, author).get(f"/posts/{post_id}"))
    assert "<strong>Hidden by a lead: Breaks clause 4 (clause 4)</strong>" in own
    assert f'<a href="/decisions/{post_decision}/appeal">Appeal this decision</a> by ' in own
    assert (await Pages(world, reader).get(f"/posts/{post_id}")).status_code == 404

    await decide(lead, slug, "post", post_id, "restore")
    reply_decision = await decide(lead, slug, "reply", reply_id, "hide", reason="Too sharp")
    own = main_of(await Pages(world, author).get(f"/posts/{post_id}"))
    assert "Hidden by a lead: Breaks clause 4" not in own
    mine = article(own, f"reply-{reply_id}")
    assert (
        "<strong>Hidden by a lead: Too sharp</strong>" in mine and f'href="/decisions/{reply_decision}/appeal"' in mine
    )
    theirs = main_of(await Pages(world, reader).get(f"/posts/{post_id}"))
    assert "A sharp reply." not in theirs and "A kind reply." in theirs and f'id="reply-{reply_id}"' not in theirs
    leading = article(main_of(await Pages(world, lead).get(f"/posts/{post_id}")), f"reply-{reply_id}")
    assert "Hidden by a lead</strong>" in leading and "Appeal" not in leading and 'value="restore"' in leading
    # the fragment post.js fetches follows the same rules
    item = await Pages(world, author).get(f"/posts/{post_id}/replies/{reply_id}/item")
    assert item.status_code == 200 and "Hidden by a lead: Too sharp" in item.text
    assert (await Pages(world, reader).get(f"/posts/{post_id}/replies/{reply_id}/item")).status_code == 404


async def test_lead_tools_on_the_post_page_are_for_leads_only(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    post_id = (await world.practice(author, slug, title="Attendance drive"))["id"]
    reply_id = (await reader.post(f"/posts/{post_id}/replies", json={"body": "Off topic."})).json()["id"]
    pages = Pages(world, lead)

    html = main_of(await pages.get(f"/posts/{post_id}"))
    tools = re.search(r'<details class="moderate-box" id="moderate-post".*?</details>', html, re.S)
    assert tools, html
    offered = re.findall(r'name="action" value="(\w+)"', tools.group(0))
    assert offered == ["hide", "remove", "lock", "pin"]
    assert f'action="/replies/{reply_id}/moderate"' in html
    for who in (author, reader):
        assert "/moderate" not in main_of(await Pages(world, who).get(f"/posts/{post_id}"))

    refused = await Pages(world, reader).form(f"/posts/{post_id}/moderate", {"action": "hide", "reason": "Mine"})
    assert refused.status_code == 403 and "Only a lead of this network may do that." in refused.text
    no_reason = await pages.form(f"/posts/{post_id}/moderate", {"action": "lock", "reason": ""})
    assert no_reason.status_code == 422 and '<details class="moderate-box" id="moderate-post" open>' in no_reason.text
    assert 'value="lock" required checked' in no_reason.text
    assert await world.count("decisions", "target_type IN ('post', 'reply')") == 0

    locked = await pages.form(f"/posts/{post_id}/moderate", {"action": "lock", "reason": "Heated", "clause": "4"})
    redirected_to(locked, f"/posts/{post_id}?done=lock&on=post#post-status")
    html = main_of(await pages.get(locked.headers["location"]))
    assert "Locked: no new replies. The decision is in the network&#39;s log." in html
    tools = re.search(r'id="moderate-post".*?</details>', html, re.S)
    assert tools and re.findall(r'name="action" value="(\w+)"', tools.group(0)) == ["hide", "remove", "unlock", "pin"]
    twice = await pages.form(f"/posts/{post_id}/moderate", {"action": "lock", "reason": "Again"})
    assert twice.status_code == 409 and "This thread is already locked." in twice.text
    assert await world.count("decisions", "action = 'lock' AND clause = 4") == 1

    removed = await pages.form(f"/replies/{reply_id}/moderate", {"action": "remove", "reason": "Off topic"})
    key = f"reply-{reply_id}"
    redirected_to(removed, f"/posts/{post_id}?done=remove&on={key}#{key}-status")
    assert await world.count("replies", f"id = {reply_id} AND state = 'removed'") == 1
    assert "Off topic." not in main_of(await Pages(world, author).get(f"/posts/{post_id}"))
    shown = article(main_of(await pages.get(removed.headers["location"])), key)
    assert "Removed by a lead" in shown and "Removed. The decision is in the network&#39;s log." in shown
    pin_reply = await pages.form(f"/replies/{reply_id}/moderate", {"action": "pin", "reason": "Nice"})
    assert pin_reply.status_code == 422 and "Only a whole thread (a post) can be locked or pinned." in pin_reply.text


async def test_join_requests_are_approved_or_declined_with_a_reason(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="request")
    questions = {"join_questions": ["Which trust are you from?", "What do you hope to share?"], "reason": "Ask"}
    assert (await lead.patch(f"/networks/{slug}/settings", json=questions)).status_code == 200
    asking, other = await world.person(name="Pat Pending"), await world.person(name="Quinn Quiet")
    for who, answers in ((asking, ["Northern Trust", "Phonics <work>"]), (other, ["South", "Maths"])):
        joined = await who.post(f"/networks/{slug}/join", json={"answers": answers})
        assert joined.json()["state"] == "pending", joined.text
    pages = Pages(world, lead)

    html = main_of(await pages.get(f"/networks/{slug}/queue"))
    request = article(html, f"join-{asking.id}")
    assert "Pat Pending" in request and "<dt>Which trust are you from?</dt>" in request
    assert "<dd>Phonics &lt;work&gt;</dd>" in request and "Requests to join (2)" in html
    assert f'action="/networks/{slug}/queue/joins/{asking.id}/approve"' in request

    blank = await pages.form(f"/networks/{slug}/queue/joins/{other.id}/decline", {"reason": " "})
    assert blank.status_code == 422 and "Say why you are declining: the person is told." in blank.text
    assert f'<details class="decline-box" id="join-{other.id}-decline" open>' in blank.text
    assert await world.count("memberships", f"person_id = {other.id}") == 1
    declined = await pages.form(f"/networks/{slug}/queue/joins/{other.id}/decline", {"reason": "Not a school group"})
    redirected_to(declined, f"/networks/{slug}/queue?done=declined#queue-status")
    assert await world.count("memberships", f"person_id = {other.id}") == 0
    approved = await pages.form(f"/networks/{slug}/queue/joins/{asking.id}/approve", {})
    redirected_to(approved, f"/networks/{slug}/queue?done=approved#queue-status")
    assert await world.count("memberships", f"person_id = {asking.id} AND state = 'active'") == 1
    html = main_of(await pages.get(approved.headers["location"]))
    assert "Approved: they are a member now" in html and "No one is waiting to join." in html
    kinds = [n["kind"] for n in (await other.get("/notifications")).json()["items"]]
    assert "membership.declined" in kinds
    refused = await Pages(world, asking).form(f"/networks/{slug}/queue/joins/{other.id}/approve", {})
    assert refused.status_code == 403


async def test_one_click_approve_and_dismiss_without_a_reason_and_the_rest_on_demand(world: World) -> None:
    """Each entry offers Approve (held) or Dismiss (flagged) as a form of its own that needs no reason;
    every other decision is in the entry's full form, which still needs one. Sent with `Accept:
    application/json` (queue.js), the same forms answer in JSON, so the entry can leave in place."""
    lead = await world.person(name="Lee Lead")
    slug = await world.network(lead)
    author, reporter = await world.member(slug), await world.member(slug)
    flagged_id = (await world.practice(author, slug, title="Flagged practice"))["id"]
    third_id = (await world.practice(author, slug, title="Third practice"))["id"]
    assert (await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 1})).status_code == 200
    held_id = (await world.practice(await world.member(slug), slug, title="Held practice"))["id"]
    for target in (flagged_id, third_id):
        assert (await reporter.post(f"/posts/{target}/flags", json={"reason": "spam"})).status_code == 201
    entries = {e["target_id"]: e["id"] for e in (await lead.get(f"/networks/{slug}/queue")).json()}
    held, flagged, third = entries[held_id], entries[flagged_id], entries[third_id]
    mine = Pages(world, lead)

    html = main_of(await mine.get(f"/networks/{slug}/queue"))
    assert "Waiting for a decision (<span" in html and f'data-queue-count="{slug}">3</span>' in html
    held_html, flagged_html = article(html, f"entry-{held}"), article(html, f"entry-{flagged}")
    for key, action, words, other in (
        (held, "approve", "Approve", "dismiss"),
        (flagged, "dismiss", "Dismiss the flags", "approve"),
    ):
        box = held_html if key == held else flagged_html
        quick = re.search(rf'<form [^>]*id="entry-{key}-{action}" data-quick>.*?</form>', box, re.S)
        assert quick, box
        assert 'name="_csrf_token"' in quick.group(0) and f'name="action" value="{action}"' in quick.group(0)
        assert f'action="/networks/{slug}/queue/{key}/decide"' in quick.group(0) and f">{words}<" in quick.group(0)
        assert f'id="entry-{key}-{other}"' not in box  # only what fits its content
        assert re.search(rf'<details class="queue-more" id="entry-{key}-more">', box), "the full form is closed"
        assert 'name="reason"' not in box.split('<details class="queue-more"')[0]

    # without JavaScript: one click, no reason, back to the queue with the confirmation
    redirected_to(
        await mine.form(f"/networks/{slug}/queue/{held}/decide", {"action": "approve", "quick": "1"}),
        f"/networks/{slug}/queue?done=approve#queue-status",
    )
    html = main_of(await mine.get(f"/networks/{slug}/queue?done=approve"))
    assert "Approved: it is shown to members now." in html and f'id="entry-{held}"' not in html
    assert "No reason given" in article(html, f"decided-{held}")
    assert await world.count("posts", f"id = {held_id} AND state = 'visible'") == 1

    # the full form still needs a reason for anything else, and says so beside it, the details open
    before = await world.count("decisions")
    refused = await mine.form(f"/networks/{slug}/queue/{flagged}/decide", {"action": "hide", "reason": ""})
    assert refused.status_code == 422 and "Give a reason" in refused.text
    assert f'<details class="queue-more" id="entry-{flagged}-more" open>' in main_of(refused)
    assert await world.count("decisions") == before

    # with JavaScript: the answer is JSON, the entry's place in the page is queue.js's business
    json_headers = {"accept": "application/json", "x-csrftoken": lead.http.cookies["csrftoken"]}
    url = f"{world.server.url}/networks/{slug}/queue/{flagged}/decide"
    answered = await lead.http.post(url, data={"action": "dismiss", "quick": "1"}, headers=json_headers)
    assert answered.status_code == 200 and answered.headers["content-type"].startswith("application/json")
    assert answered.json() == {
        "done": "Dismissed: the flags were not upheld. The decision is in the network's log.",
        "open_count": 1,
    }
    assert await world.count("flags", f"target_id = {flagged_id} AND status = 'dismissed'") == 1
    again = await lead.http.post(url, data={"action": "dismiss", "quick": "1"}, headers=json_headers)
    assert again.status_code == 409 and "Another lead has decided this already" in again.json()["message"]
    bare = await lead.http.post(
        f"{world.server.url}/networks/{slug}/queue/{third}/decide", data={"action": "hide"}, headers=json_headers
    )
    assert bare.status_code == 422 and bare.json()["fields"] == {
        "reason": "Give a reason: it is logged and told to the people it concerns."
    }
    member = await reporter.http.post(
        f"{world.server.url}/networks/{slug}/queue/{third}/decide",
        data={"action": "dismiss"},
        headers=json_headers | {"x-csrftoken": reporter.http.cookies["csrftoken"]},
    )
    assert member.status_code == 403
    assert await world.count("flags", f"target_id = {third_id} AND status = 'open'") == 1


async def test_one_entry_redrawn_for_queue_js_is_the_leads_alone(world: World) -> None:
    lead = await world.person(name="Lee Lead")
    slug = await world.network(lead)
    other_slug = await world.network(await world.person())
    author, reporter = await world.member(slug), await world.member(slug)
    post_id = (await world.practice(author, slug, title="Flagged practice"))["id"]
    assert (await reporter.post(f"/posts/{post_id}/flags", json={"reason": "spam"})).status_code == 201
    [entry] = (await lead.get(f"/networks/{slug}/queue")).json()
    assert (await lead.post(f"/networks/{slug}/queue/{entry['id']}/notes", json={"body": "Seen it"})).status_code == 201

    item = await Pages(world, lead).get(f"/networks/{slug}/queue/{entry['id']}/item")
    assert item.status_code == 200
    assert item.text.lstrip().startswith('<article class="card queue-entry') and "Seen it" in item.text
    assert 'data-live="claim"' in item.text and 'data-live="notes"' in item.text
    assert (await Pages(world, reporter).get(f"/networks/{slug}/queue/{entry['id']}/item")).status_code == 403
    assert (await Pages(world, lead).get(f"/networks/{other_slug}/queue/{entry['id']}/item")).status_code in (403, 404)
    await decide(lead, slug, "post", post_id, "dismiss")
    assert (await Pages(world, lead).get(f"/networks/{slug}/queue/{entry['id']}/item")).status_code == 404
