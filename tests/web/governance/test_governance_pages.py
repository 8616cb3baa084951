"""The transparency log, network settings, charter and appeal pages over plain HTTP (no JavaScript)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from network.enums import OrgKind
from tests.conftest import ApiClient, World
from tests.web.content.test_post_pages import Pages, main_of, redirected_to
from tests.web.people.test_auth_pages import field_error


def text_of(fragment: str) -> str:
    """The words of some HTML, as a reader hears them (tags dropped, spaces squeezed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def entries(page: str) -> dict[int, str]:
    """The log's entries on a page, by id, each as its text."""
    found = re.findall(r'<li class="log-entry" id="entry-(\d+)"[^>]*>(.*?)</li>\n', page, re.S)
    return {int(i): text_of(body) for i, body in found}


def textarea(page: str, control: str) -> str:
    found = re.search(rf'<textarea id="{control}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no textarea {control}"
    return html.unescape(found.group(1))


def value_of(page: str, control: str) -> str:
    found = re.search(rf'<input[^>]*\bid="{control}"[^>]*>', page)
    assert found, f"no control {control}"
    value = re.search(r'value="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else ""


async def decide(lead: ApiClient, slug: str, **body: Any) -> dict[str, Any]:
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def settings_of(lead: ApiClient, slug: str) -> dict[str, Any]:
    response = await lead.get(f"/networks/{slug}/settings")
    assert response.status_code == 200, response.text
    return dict(response.json())


# ---- the transparency log --------------------------------------------------------------------------------------


async def test_the_log_says_what_was_done_why_under_which_clause_and_by_whom(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    author = await world.member(slug, name="Ada Author")
    talker = await world.member(slug, name="Tom Talker")
    reader = await world.member(slug)
    observer = await world.observer(lead, slug)
    post = await world.practice(author, slug, title="Our pupil tracker")
    hid = await decide(
        lead, slug, target_type="post", target_id=post["id"], action="hide", reason="Names a <pupil>", clause=2
    )
    until = datetime.now(UTC) + timedelta(days=3)
    muted = await decide(
        lead, slug, target_type="member", target_id=talker.id, action="mute", reason="Spamming", until=until.isoformat()
    )
    assert (await lead.patch(f"/networks/{slug}/settings", json={"slow_mode_seconds": 60})).status_code == 200

    pages = Pages(world, reader)
    response = await pages.get(f"/networks/{slug}/log")
    assert response.status_code == 200
    page = main_of(response)
    assert page.count("<h1") == 1 and "<h1>Transparency log</h1>" in page
    shown = entries(page)
    assert list(shown)[:3] == sorted(shown, reverse=True)[:3]  # newest first
    hidden = shown[hid["id"]]
    assert "Hid a post" in hidden and "Concerning a practice by Ada Author" in hidden
    assert "Our pupil tracker" not in page and f'href="/posts/{post["id"]}"' not in page  # hidden from the reader
    assert "Names a <pupil>" in hidden and "Names a &lt;pupil&gt;" in page  # escaped, and read as typed
    assert "Who acted Lena Lead" in hidden and "Clause 2" in hidden
    assert f'href="/networks/{slug}/charter#clause-2">Clause 2</a>' in page
    assert f'<a href="/people/{author.id}">Ada Author</a>' in page
    day = f"{until.day} {until:%B %Y}"
    assert f"Muted a member until {day}" in shown[muted["id"]] and "Tom Talker" in shown[muted["id"]]
    assert any(t.startswith("Changed settings") and "slow mode (seconds)" in t for t in shown.values())
    assert any(t.startswith("Appointed a lead") and "(platform admin)" in t for t in shown.values())
    assert "Appeal" not in hidden  # not the reader's to appeal
    # the live wiring: the network and the seq the page was rendered at, and a polite region for the news
    assert f'data-network="{slug}"' in response.text and '<script src="/static/log.js" defer></script>' in response.text
    assert 'id="log-news" class="log-news" role="status"' in page
    assert "style=" not in page and "onclick" not in page

    # the person concerned is offered an appeal while they may; "only about me" shows their entries only
    own = main_of(await Pages(world, author).get(f"/networks/{slug}/log?about=me"))
    assert list(entries(own)) == [hid["id"]]
    assert f'href="/decisions/{hid["id"]}/appeal"' in own and "you can appeal until" in own
    assert f'<a href="/posts/{post["id"]}">“Our pupil tracker”</a> by' in own  # their own hidden post, by title
    assert 'aria-current="page">Only entries about me</a>' in own

    # with leads unnamed, the log says "A network lead"; admins stay named
    assert (await lead.patch(f"/networks/{slug}/settings", json={"name_leads_in_log": False})).status_code == 200
    watching = main_of(await Pages(world, observer).get(f"/networks/{slug}/log"))
    assert "Who acted A network lead" in entries(watching)[hid["id"]]
    assert "Lena Lead" not in entries(watching)[hid["id"]]


async def test_the_log_names_what_an_entry_concerns_by_title_and_links_it_for_those_who_may_read_it(
    world: World,
) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    author, reader = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Phonics <catch-up>")
    reply = (await author.post(f"/posts/{post['id']}/replies", json={"body": "Our reply"})).json()
    pinned = await decide(lead, slug, target_type="post", target_id=post["id"], action="pin", reason="Useful")
    hid = await decide(lead, slug, target_type="reply", target_id=reply["id"], action="hide", reason="Off topic")

    seen = main_of(await Pages(world, reader).get(f"/networks/{slug}/log"))
    link = f'<a href="/posts/{post["id"]}">“Phonics &lt;catch-up&gt;”</a>'
    assert f"<dd>{link} by" in seen  # the title, escaped, linked
    assert f'<a href="/posts/{post["id"]}">a reply on “Phonics &lt;catch-up&gt;”</a>' in seen  # not the reply's place
    assert f"#reply-{reply['id']}" not in seen and f"practice {post['id']}" not in seen
    assert "Pinned a post" in entries(seen)[pinned["id"]]
    led = main_of(await Pages(world, lead).get(f"/networks/{slug}/log"))
    assert f'<a href="/posts/{post["id"]}#reply-{reply["id"]}">a reply on “Phonics &lt;catch-up&gt;”</a>' in led
    assert "Hid a reply" in entries(led)[hid["id"]]

    await decide(lead, slug, target_type="post", target_id=post["id"], action="hide", reason="Held back")
    seen = main_of(await Pages(world, reader).get(f"/networks/{slug}/log"))
    assert "Phonics" not in seen and f'href="/posts/{post["id"]}' not in seen
    assert "Concerning a practice by" in entries(seen)[pinned["id"]]
    assert "Concerning a reply on a practice by" in entries(seen)[hid["id"]]


async def test_the_log_is_a_404_page_for_those_who_may_not_read_it(world: World) -> None:
    """The log is read by whoever reads the network's posts (docs/design.md §4.1): a public network's by any
    signed-in reader; a members-only network's by its members alone."""
    lead = await world.person()
    public = await world.network(lead)
    members_only = await world.network(lead, visibility="members")
    outsider = Pages(world, await world.person())
    anonymous = Pages(world)
    assert (await outsider.get(f"/networks/{public}/log")).status_code == 200
    for who, slug in ((outsider, members_only), (anonymous, public), (anonymous, members_only)):
        response = await who.get(f"/networks/{slug}/log")
        assert response.status_code == 404, response.text[:300]
        assert "<h1>Not found</h1>" in response.text
        assert "No network" in response.text or "sign" in response.text.lower()
    assert (await outsider.get(f"/networks/{members_only}/log/entries")).status_code == 303
    await anonymous.aclose()


async def test_the_log_pages_with_older_entries_and_has_a_fragment_for_the_live_bar(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    for seconds in range(1, 32):  # with the lead appointed at creation: 32 entries, more than a page
        response = await lead.patch(f"/networks/{slug}/settings", json={"slow_mode_seconds": seconds})
        assert response.status_code == 200, response.text
    pages = Pages(world, lead)
    first = main_of(await pages.get(f"/networks/{slug}/log"))
    assert len(entries(first)) == 30
    older = re.search(r'<a href="([^"]+)" rel="next">Older entries</a>', first)
    assert older
    second = main_of(await pages.get(html.unescape(older.group(1))))
    assert len(entries(second)) == 2 and "Older entries" not in second and "Newest entries" in second
    assert not set(entries(first)) & set(entries(second))
    bad = await pages.get(f"/networks/{slug}/log?cursor=nonsense")
    assert bad.status_code == 400 and "cannot be found any more" in bad.text and len(entries(main_of(bad))) == 30
    fragment = await pages.http.get(pages.base + f"/networks/{slug}/log/entries", headers={"hx-request": "true"})
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<div id="log-entries"')
    assert "<html" not in fragment.text and len(entries(fragment.text)) == 30


# ---- the network's sections and settings ------------------------------------------------------------------------


async def test_the_network_pages_link_their_sections_and_leads_see_queue_and_settings(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    outsider = await world.person()
    nav = re.compile(r'<nav class="network-nav"[^>]*>(.*?)</nav>', re.S)

    def sections(page: str) -> str:
        found = nav.search(page)
        assert found, "no section links"
        return text_of(found.group(1))

    assert (
        sections((await Pages(world, lead).get(f"/networks/{slug}")).text) == "Feed Charter Log Queue 0 open Settings"
    )
    assert sections((await Pages(world, member).get(f"/networks/{slug}")).text) == "Feed Charter Log"
    # a public network's log is open to its readers (moderation in the open); its members are not
    assert sections((await Pages(world, outsider).get(f"/networks/{slug}")).text) == "Feed Charter Log"
    log = (await Pages(world, member).get(f"/networks/{slug}/log")).text
    assert f'<a href="/networks/{slug}/log" aria-current="page">Log</a>' in log


async def test_settings_forms_change_the_settings_and_refusals_keep_what_was_typed(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    pages = Pages(world, lead)
    page = main_of(await pages.get(f"/networks/{slug}/settings"))
    for heading in ("Moderation", "About this network", "Join questions", "Watched words", "Members and roles",
                    "Invitations", "Export"):  # fmt: skip
        assert f">{heading}</h2>" in page, heading
    assert page.count('<form method="post"') == page.count('name="_csrf_token"') >= 6  # every form carries it
    assert "pupil's personal data" in text_of(page) and "Unique Pupil Number" in page
    assert f'href="/api/v1/networks/{slug}/export" download' in page and "Left out" in page

    saved = await pages.form(
        f"/networks/{slug}/settings/moderation",
        {
            "premod_posts": "2",
            "slow_mode_seconds": "30",
            "name_leads_in_log": "on",
            "engagement_follow_up_weeks": "16",
            "reason": "Spam wave",
        },
    )
    redirected_to(saved, f"/networks/{slug}/settings?done=moderation#moderation")
    now = await settings_of(lead, slug)
    assert (now["premod_posts"], now["slow_mode_seconds"], now["guard_personal_data"]) == (2, 30, False)
    assert (now["engagement_follow_up_weeks"], now["adoption_follow_up_weeks"]) == (16, 8)
    assert "Moderation settings saved" in (await pages.get(saved.headers["location"])).text
    logged = await world.count("decisions", "action = 'settings' AND reason = 'Spam wave'")
    assert logged == 1

    decisions = await world.count("decisions")
    bad = await pages.form(
        f"/networks/{slug}/settings/moderation",
        {
            "premod_posts": "lots",
            "slow_mode_seconds": "999999",
            "guard_personal_data": "on",
            "engagement_follow_up_weeks": "0",
            "reason": "x" * 1001,
        },
    )
    assert bad.status_code == 422
    assert "weeks from 1 to 104" in field_error(bad.text, "moderation-engagement_follow_up_weeks")
    assert value_of(bad.text, "moderation-engagement_follow_up_weeks") == "0"
    assert "whole number from 0 to 50" in field_error(bad.text, "moderation-premod_posts")
    assert "86,400" in field_error(bad.text, "moderation-slow_mode_seconds")
    assert "1,000 characters" in field_error(bad.text, "moderation-reason")
    assert value_of(bad.text, "moderation-premod_posts") == "lots"
    assert re.search(r'id="moderation-guard_personal_data" name="guard_personal_data" value="on" checked', bad.text)
    assert 'class="error-summary"' in bad.text and 'href="#moderation-premod_posts"' in bad.text
    same = await pages.form(
        f"/networks/{slug}/settings/moderation",
        {
            "premod_posts": "2",
            "slow_mode_seconds": "30",
            "name_leads_in_log": "on",
            "engagement_follow_up_weeks": "16",
            "reason": "again",
        },
    )
    assert same.status_code == 409 and "Nothing changed" in same.text
    assert value_of(same.text, "moderation-reason") == "again"
    assert await world.count("decisions") == decisions

    about = await pages.form(
        f"/networks/{slug}/settings/about",
        {"description": "Reading <leads>", "visibility": "members", "join_policy": "request", "reason": ""},
    )
    redirected_to(about, f"/networks/{slug}/settings?done=about#about")
    now = await settings_of(lead, slug)
    assert (now["description"], now["visibility"], now["join_policy"]) == ("Reading <leads>", "members", "request")
    wrong = await pages.form(f"/networks/{slug}/settings/about", {"description": "d", "visibility": "secret"})
    assert wrong.status_code == 422 and "Choose who can see the network." in wrong.text

    asked = await pages.form(
        f"/networks/{slug}/settings/questions",
        {"question": ["Which trust are you from?", "", "  What do you hope to share? ", "", ""], "reason": "New"},
    )
    redirected_to(asked, f"/networks/{slug}/settings?done=questions#questions")
    questions = ["Which trust are you from?", "What do you hope to share?"]
    assert (await settings_of(lead, slug))["join_questions"] == questions
    page = (await pages.get(f"/networks/{slug}/settings")).text
    assert value_of(page, "questions-question-1") == questions[0] and value_of(page, "questions-question-3") == ""
    too_long = await pages.form(f"/networks/{slug}/settings/questions", {"question": ["q" * 301]})
    assert too_long.status_code == 422 and "300 characters" in field_error(too_long.text, "questions-question-1")

    outsider = await world.person()
    assert (await Pages(world, outsider).get(f"/networks/{slug}/settings")).status_code == 404  # members only now


async def test_settings_are_for_leads_only(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = Pages(world, await world.member(slug))
    refused = await member.get(f"/networks/{slug}/settings")
    assert refused.status_code == 403 and "Only a lead of this network" in refused.text
    before = await world.count("decisions")
    tried = await member.form(f"/networks/{slug}/settings/moderation", {"premod_posts": "5", "slow_mode_seconds": "0"})
    assert tried.status_code == 403 and "Only a lead" in tried.text
    assert (await settings_of(lead, slug))["premod_posts"] == 0 and await world.count("decisions") == before
    anonymous = Pages(world)
    bounced = await anonymous.get(f"/networks/{slug}/settings")
    assert bounced.status_code == 303 and bounced.headers["location"].startswith("/signin?next=")
    await anonymous.aclose()


async def test_watched_words_are_added_and_removed_and_a_bad_regex_is_explained(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    pages = Pages(world, lead)
    page = (await pages.get(f"/networks/{slug}/settings")).text
    assert "bounded repeats such as {1,30}" in page and "No watched words yet." in page
    added = await pages.form(
        f"/networks/{slug}/settings/words",
        {"pattern": "cheap essays", "action": "block", "message": "No advertising, please."},
    )
    redirected_to(added, f"/networks/{slug}/settings?done=word-added#words")
    page = main_of(await pages.get(added.headers["location"]))
    assert '<caption id="words-caption">Watched words and patterns</caption>' in page
    row = re.search(r'<tr id="word-(\d+)">(.*?)</tr>', page, re.S)
    assert row and text_of(row.group(2)).startswith("cheap essays Word or phrase Block No advertising, please.")
    word_id = int(row.group(1))

    bad = await pages.form(
        f"/networks/{slug}/settings/words", {"pattern": "[a-z]+ing", "is_regex": "on", "action": "hold"}
    )
    assert bad.status_code == 422
    assert "bounded repeat such as {1,30}" in field_error(bad.text, "words-pattern")
    assert value_of(bad.text, "words-pattern") == "[a-z]+ing"
    assert re.search(r'id="words-is_regex" name="is_regex" value="on" checked', bad.text)
    no_action = await pages.form(f"/networks/{slug}/settings/words", {"pattern": "x", "action": "explode"})
    assert no_action.status_code == 422 and "Choose what happens when a post matches." in no_action.text
    twice = await pages.form(f"/networks/{slug}/settings/words", {"pattern": "cheap essays", "action": "hold"})
    assert twice.status_code == 409 and "already watched" in twice.text
    assert await world.count("watched_words") == 1

    removed = await pages.form(f"/networks/{slug}/settings/words/{word_id}/delete", {})
    redirected_to(removed, f"/networks/{slug}/settings?done=word-removed#words")
    assert await world.count("watched_words") == 0
    gone = await pages.form(f"/networks/{slug}/settings/words/{word_id}/delete", {})
    assert gone.status_code == 404 and f"No watched word {word_id}" in gone.text
    log = main_of(await pages.get(f"/networks/{slug}/log"))
    assert "Added a watched word" in log and "Removed a watched word" in log
    assert "cheap essays" not in log  # the log never lists what is watched


async def test_roles_are_changed_from_the_members_list_and_the_last_lead_stays(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    member = await world.member(slug, name="Mo Member")
    observer = await world.observer(lead, slug, kind=OrgKind.REGULATOR)
    pages = Pages(world, lead)
    page = main_of(await pages.get(f"/networks/{slug}/settings"))
    assert f'action="/networks/{slug}/settings/members/{member.id}"' in page
    assert f'action="/networks/{slug}/settings/members/{observer.id}"' not in page  # observers are not promotable
    assert "observers always stay observers" in page

    # the only lead cannot step down: refused with the domain's words, nothing written
    before = await world.count("decisions")
    last = await pages.form(f"/networks/{slug}/settings/members/{lead.id}", {"role": "member", "reason": "Tired"})
    assert last.status_code == 409
    assert "A network always keeps at least one lead" in last.text
    assert value_of(last.text, f"member-{lead.id}-reason") == "Tired"
    assert re.search(
        rf'<li class="member" id="member-{lead.id}">.*?<details class="member-actions" open>', last.text, re.S
    )
    assert await world.count("decisions") == before
    promoted = await pages.form(f"/networks/{slug}/settings/members/{observer.id}", {"role": "lead"})
    assert promoted.status_code == 422 and "can only ever be observers" in promoted.text
    assert await world.count("memberships", f"person_id = {observer.id} AND role = 'observer'") == 1

    appointed = await pages.form(f"/networks/{slug}/settings/members/{member.id}", {"role": "lead", "reason": "Helps"})
    redirected_to(appointed, f"/networks/{slug}/settings?done=role#members")
    assert await world.count("memberships", f"person_id = {member.id} AND role = 'lead'") == 1
    stepped = await pages.form(f"/networks/{slug}/settings/members/{lead.id}", {"role": "member"})
    assert stepped.status_code == 303
    log = main_of(await Pages(world, member).get(f"/networks/{slug}/log"))
    assert "Appointed a lead" in log and "Made a lead a member" in log and "Helps" in log

    # removing needs the new lead; the removed person is told the reason and is gone
    new_lead = Pages(world, member)
    removed = await new_lead.form(f"/networks/{slug}/settings/members/{lead.id}/remove", {"reason": "Left the trust"})
    redirected_to(removed, f"/networks/{slug}/settings?done=removed#members")
    assert await world.count("memberships", f"person_id = {lead.id}") == 0
    assert "Removed a member" in main_of(await new_lead.get(f"/networks/{slug}/log"))


async def test_join_questions_are_asked_and_the_answers_reach_the_leads(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="request", name="SEND leaders")
    questions = ["Which trust are you from?", "What do you hope to share?"]
    assert (await lead.patch(f"/networks/{slug}/settings", json={"join_questions": questions})).status_code == 200
    person = await world.person(name="Priya Shah")
    pages = Pages(world, person)
    home = main_of(await pages.get(f"/networks/{slug}"))
    assert "<legend>Questions from the leads</legend>" in home
    assert '<label for="join-answer-1">Which trust are you from?</label>' in home
    assert 'name="back" value="network"' in home

    # from the directory's button, without answers: the join page, a message beside each question
    memberships = await world.count("memberships")
    missing = await pages.form(f"/networks/{slug}/join", {"back": "directory"})
    assert missing.status_code == 422
    assert "<h1>Join SEND leaders</h1>" in missing.text
    assert "Required." in missing.text and 'href="#join-answer-2"' in missing.text
    half = await pages.form(f"/networks/{slug}/join", {"back": "join", "answers": ["Oak <Trust>", "  "]})
    assert half.status_code == 422
    assert textarea(half.text, "join-answer-1") == "Oak <Trust>"
    assert 'id="join-answer-2" name="answers" rows="3" maxlength="1000" aria-invalid="true"' in half.text
    assert await world.count("memberships") == memberships

    sent = await pages.form(f"/networks/{slug}/join", {"back": "network", "answers": ["Oak Trust", "Our SEND audit"]})
    redirected_to(sent, f"/networks/{slug}?joined=1")
    assert await world.count("memberships", f"person_id = {person.id} AND state = 'pending'") == 1
    settings_page = main_of(await Pages(world, lead).get(f"/networks/{slug}/settings"))
    pending = re.search(rf'<li class="member" id="member-{person.id}">(.*?)</li>', settings_page, re.S)
    assert pending and "Which trust are you from? Oak Trust" in text_of(pending.group(1))
    assert "What do you hope to share? Our SEND audit" in text_of(pending.group(1))
    approved = await Pages(world, lead).form(f"/networks/{slug}/settings/members/{person.id}", {"state": "active"})
    redirected_to(approved, f"/networks/{slug}/settings?done=approved#members")
    assert await world.count("memberships", f"person_id = {person.id} AND state = 'active'") == 1


async def test_an_invitation_link_is_shown_once_to_the_lead_and_works_once(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="hidden", join_policy="invite", name="Quiet Circle")
    invitee = await world.person()
    assert invitee.person
    pages = Pages(world, lead)
    bad = await pages.form(f"/networks/{slug}/settings/invitations", {"email": "not an address"})
    assert bad.status_code == 422 and "Enter an email address" in field_error(bad.text, "invitations-email")
    assert await world.count("invitations") == 0

    made = await pages.form(f"/networks/{slug}/settings/invitations", {"email": invitee.person["email"]})
    redirected_to(made, f"/networks/{slug}/settings?done=invited#invitations")
    page = (await pages.get(made.headers["location"])).text
    link = value_of(page, "invitation-link")
    assert link.startswith(world.server.url + f"/networks/{slug}/join?invitation=")
    assert f"Invitation link for {invitee.person['email']}" in page and "Valid until" in page
    assert re.search(r'<div class="invitation-result" role="status">\s*<p class="notice">', page)
    assert "invitation-link" not in (await pages.get(made.headers["location"])).text  # shown once
    path = link.removeprefix(world.server.url)

    # someone else opening the link: told it is not theirs, and it does not let them in
    other = Pages(world, await world.person())
    assert (await other.get(f"/networks/{slug}/join")).status_code == 404  # a hidden network, without a link
    theirs = await other.get(path)
    assert theirs.status_code == 200 and "made for another email address" in theirs.text
    token = path.split("invitation=")[1]
    refused = await other.form(f"/networks/{slug}/join", {"back": "join", "invitation": token})
    assert refused.status_code == 404
    assert await world.count("memberships") == 1

    anonymous = Pages(world)
    bounced = await anonymous.get(path)
    assert bounced.status_code == 303 and bounced.headers["location"].startswith("/signin?next=")
    await anonymous.aclose()

    invited = Pages(world, invitee)
    shown = await invited.get(path)
    assert shown.status_code == 200 and "<h1>Join Quiet Circle</h1>" in shown.text
    assert "Accept the invitation" in shown.text and f'name="invitation" value="{token}"' in shown.text
    joined = await invited.form(f"/networks/{slug}/join", {"back": "join", "invitation": token})
    redirected_to(joined, f"/networks/{slug}?joined=1")
    assert await world.count("memberships", f"person_id = {invitee.id} AND state = 'active'") == 1
    assert (await invitee.post(f"/networks/{slug}/leave")).status_code == 204
    again = await invited.get(path)
    assert "used already" in again.text
    assert (await invited.form(f"/networks/{slug}/join", {"back": "join", "invitation": token})).status_code == 404
    assert await world.count("memberships", f"person_id = {invitee.id}") == 0


# ---- the charter -----------------------------------------------------------------------------------------------


NEW_CHARTER = """We share what works.

1. Share practice honestly, including what did not work and how strong the evidence is.
2. Never post personal data about pupils, families or staff.
3. Respond to requests for help in good faith; offers are free unless agreed otherwise.
4. Disagree with ideas, not people; be courteous and constructive.
5. Leads moderate in the open: every action is logged with its reason and can be appealed.
6. Regulators and government may observe but do not post, flag or moderate.
7. Credit the schools whose practice you adapt.
"""


async def test_the_charter_page_numbers_clauses_keeps_history_and_publishes_new_versions(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    member = Pages(world, await world.member(slug))
    page = main_of(await member.get(f"/networks/{slug}/charter"))
    assert page.count("<h1") == 1 and "<h1>Charter</h1>" in page
    for n in range(1, 7):
        assert f'<li id="clause-{n}"><span class="clause-number">Clause {n}</span>' in page
    assert "This network is run by its members" in page  # the text before the clauses
    assert "Version 1</strong> (current)" in page and "Publish a new version" not in page

    pages = Pages(world, lead)
    form = (await pages.get(f"/networks/{slug}/charter")).text
    assert "Share practice honestly" in textarea(form, "charter-body")
    versions = await world.count("charter_versions")
    no_clauses = await pages.form(f"/networks/{slug}/charter", {"body": "Be nice <b>always</b>.", "note": "short"})
    assert no_clauses.status_code == 422
    assert (
        "numbered clauses" in no_clauses.text and textarea(no_clauses.text, "charter-body") == "Be nice <b>always</b>."
    )
    assert 'aria-invalid="true"' in re.search(r'<textarea id="charter-body"[^>]*>', no_clauses.text).group(0)  # type: ignore[union-attr]
    current = textarea(form, "charter-body")
    unchanged = await pages.form(f"/networks/{slug}/charter", {"body": current, "note": "same"})
    assert unchanged.status_code == 409 and "That is the charter as it stands" in unchanged.text
    refused = await member.form(f"/networks/{slug}/charter", {"body": NEW_CHARTER, "note": "mine"})
    assert refused.status_code == 403 and "Only a lead" in refused.text
    assert await world.count("charter_versions") == versions

    published = await pages.form(f"/networks/{slug}/charter", {"body": NEW_CHARTER, "note": "Credit clause"})
    redirected_to(published, f"/networks/{slug}/charter?published=2#charter-heading")
    page = main_of(await member.get(f"/networks/{slug}/charter"))
    assert '<li id="clause-7">' in page and "Credit the schools" in page
    history = re.search(r'<ol class="charter-versions" reversed>(.*?)</ol>', page, re.S)
    assert history
    words = text_of(history.group(1))
    assert "Version 2 (current)" in words and "by Lena Lead" in words and "Note: “Credit clause”" in words
    assert f'href="/networks/{slug}/charter/diff?from=1&amp;to=2"' in page
    earlier = main_of(await member.get(f"/networks/{slug}/charter?version=1"))
    assert "Version 1 (an earlier version)" in earlier and '<li id="clause-7">' not in earlier
    assert (await member.get(f"/networks/{slug}/charter?version=9")).status_code == 404
    log = main_of(await member.get(f"/networks/{slug}/log"))
    assert "Published charter version 2" in log and "Credit clause" in log


async def test_the_charter_diff_labels_lines_in_words_and_summarises_clauses(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    assert (await lead.put(f"/networks/{slug}/charter", json={"body": NEW_CHARTER, "note": "v2"})).status_code == 200
    member = Pages(world, await world.member(slug))
    response = await member.get(f"/networks/{slug}/charter/diff?from=1&to=2")
    assert response.status_code == 200
    page = main_of(response)
    assert "<h1>What changed in the charter</h1>" in page
    assert re.search(
        r'<li class="diff-add"><span class="diff-op">Added</span> <span class="diff-text">7\. Credit', page
    )
    assert re.search(
        r'<li class="diff-del"><span class="diff-op">Removed</span> <span class="diff-text">2\. Never', page
    )
    table = re.search(r'<table class="data clause-changes">(.*?)</table>', page, re.S)
    assert table and "<caption" in table.group(1) and '<th scope="col">Change</th>' in table.group(1)
    rows = [text_of(r) for r in re.findall(r"<tr class=\"clause-\w+\">(.*?)</tr>", table.group(1), re.S)]
    assert rows[0].startswith("2 Changed Never post personal data about pupils, families or staff;")
    assert rows[1] == "7 Added Not there Credit the schools whose practice you adapt."
    assert "Unchanged: clauses 1, 3, 4, 5, 6." in page
    assert (await member.get(f"/networks/{slug}/charter/diff")).status_code == 200  # defaults: the last change
    missing = await member.get(f"/networks/{slug}/charter/diff?from=9&to=2")
    assert missing.status_code == 404 and "No charter version 9" in missing.text
    garbage = await member.get(f"/networks/{slug}/charter/diff?from=one")
    assert garbage.status_code == 400 and "Choose the versions to compare" in garbage.text
    outsider = Pages(world, await world.person())
    hidden = await world.network(lead, visibility="members")
    assert (await outsider.get(f"/networks/{hidden}/charter/diff?from=1&to=1")).status_code == 404


# ---- appeals ---------------------------------------------------------------------------------------------------


async def test_the_author_appeals_and_another_lead_decides_but_not_the_one_who_acted(world: World) -> None:
    acting = await world.person(name="Alex Acting")
    slug = await world.network(acting)
    other = await world.member(slug, name="Olu Other")
    assert (await acting.patch(f"/networks/{slug}/members/{other.id}", json={"role": "lead"})).status_code == 200
    author = await world.member(slug, name="Ada Author")
    reader = await world.member(slug)
    post = await world.practice(author, slug, title="Phonics checks")
    decision = await decide(acting, slug, target_type="post", target_id=post["id"], action="hide", reason="Off topic")

    appellant = Pages(world, author)
    page = main_of(await appellant.get(f"/decisions/{decision['id']}/appeal"))
    assert "<h1>Appeal a decision</h1>" in page and "Hid a post" in page and "Off topic" in page
    assert '<label for="appeal-statement">Why the decision should change</label>' in page
    blank = await appellant.form(f"/decisions/{decision['id']}/appeal", {"statement": "   "})
    assert blank.status_code == 422
    assert "Say why the decision should change." in blank.text and 'href="#appeal-statement"' in blank.text
    assert await world.count("appeals") == 0
    filed = await appellant.form(f"/decisions/{decision['id']}/appeal", {"statement": "It is <on> topic."})
    assert filed.status_code == 303
    appeal_id = int(re.fullmatch(r"/appeals/(\d+)\?filed=1", filed.headers["location"]).group(1))  # type: ignore[union-attr]
    page = main_of(await appellant.get(filed.headers["location"]))
    assert "Your appeal was sent." in page and "Waiting for a decision" in page
    assert "A lead other than the one who acted will decide your appeal." in page
    assert "It is &lt;on&gt; topic." in page and 'action="/appeals/' not in page
    twice = await appellant.form(f"/decisions/{decision['id']}/appeal", {"statement": "Again"})
    assert twice.status_code == 409 and "already been appealed" in twice.text
    assert await world.count("appeals") == 1
    again = main_of(await appellant.get(f"/decisions/{decision['id']}/appeal"))
    assert f'href="/appeals/{appeal_id}">See how your appeal stands</a>' in again

    # another reader of this public network (a member, or a signed-in outsider: moderation in the open)
    # may read the decision, but not appeal it; an anonymous visitor is asked to sign in
    for who in (reader, await world.person()):
        others = main_of(await Pages(world, who).get(f"/decisions/{decision['id']}/appeal"))
        assert "Only the person a decision concerns may appeal it." in others
        assert "<form" not in others.split("</nav>", 1)[1]
    assert (await Pages(world).get(f"/decisions/{decision['id']}/appeal")).status_code in (303, 401, 404)
    assert (await Pages(world, reader).get(f"/appeals/{appeal_id}")).status_code == 404

    # the lead who acted sees the appeal and why they may not decide it; forcing the form is refused
    acted = Pages(world, acting)
    page = main_of(await acted.get(f"/appeals/{appeal_id}"))
    assert "It is &lt;on&gt; topic." in page and 'action="/appeals/' not in page
    assert "The lead who took a decision cannot decide its appeal" in page
    forced = await acted.form(f"/appeals/{appeal_id}/decide", {"outcome": "overturned", "reason": "Fine"})
    assert forced.status_code == 403 and "The lead who took a decision cannot decide its appeal" in forced.text
    assert await world.count("appeals", "status = 'open'") == 1
    listed = main_of(await acted.get("/appeals"))  # the list says so too, in the domain's words
    assert "The lead who took a decision cannot decide its appeal" in listed

    deciding = Pages(world, other)
    listed = main_of(await deciding.get("/appeals"))
    assert f'href="/appeals/{appeal_id}">Appeal {appeal_id}: hid a post</a>' in listed
    page = main_of(await deciding.get(f"/appeals/{appeal_id}"))
    assert "<legend>Outcome</legend>" in page and f'action="/appeals/{appeal_id}/decide"' in page
    unchosen = await deciding.form(f"/appeals/{appeal_id}/decide", {"reason": "It was on topic"})
    assert unchosen.status_code == 422 and "Choose to uphold the decision or to overturn it." in unchosen.text
    assert textarea(unchosen.text, "decide-reason") == "It was on topic"
    decided = await deciding.form(f"/appeals/{appeal_id}/decide", {"outcome": "overturned", "reason": "On topic"})
    redirected_to(decided, f"/appeals/{appeal_id}?decided=1")
    assert await world.count("appeals", "status = 'overturned'") == 1
    assert (await reader.get(f"/posts/{post['id']}")).json()["state"] == "visible"  # undone
    page = main_of(await appellant.get(f"/appeals/{appeal_id}"))
    assert "Decided: the decision was overturned and undone" in page and "Reason: On topic" in page
    log = main_of(await Pages(world, reader).get(f"/networks/{slug}/log"))
    assert "Overturned a decision on appeal" in log
    assert "Appealed: the decision was overturned" in entries(log)[decision["id"]]


async def test_with_one_lead_the_appeal_goes_to_a_platform_admin(world: World) -> None:
    lead = await world.person(name="Solo Lead")
    slug = await world.network(lead)
    author = await world.member(slug)
    post = await world.practice(author, slug)
    decision = await decide(lead, slug, target_type="post", target_id=post["id"], action="remove", reason="Pupil data")
    appellant = Pages(world, author)
    filed = await appellant.form(f"/decisions/{decision['id']}/appeal", {"statement": "It was anonymised."})
    assert filed.status_code == 303
    appeal_id = int(filed.headers["location"].split("/")[2].split("?")[0])
    page = main_of(await appellant.get(f"/appeals/{appeal_id}"))
    assert "This network has no other lead, so a platform admin will decide your appeal." in page

    own_lead = main_of(await Pages(world, lead).get(f"/appeals/{appeal_id}"))
    assert 'action="/appeals/' not in own_lead
    admin = Pages(world, await world.admin())
    listed = main_of(await admin.get("/appeals"))
    assert f'href="/appeals/{appeal_id}"' in listed and "sent to platform admins" in listed
    page = main_of(await admin.get(f"/appeals/{appeal_id}"))
    assert "a platform admin decides it" in page and f'action="/appeals/{appeal_id}/decide"' in page
    decided = await admin.form(f"/appeals/{appeal_id}/decide", {"outcome": "upheld", "reason": "A pupil is named."})
    redirected_to(decided, f"/appeals/{appeal_id}?decided=1")
    assert await world.count("appeals", "status = 'upheld'") == 1
    log = entries(main_of(await Pages(world, author).get(f"/networks/{slug}/log")))
    upheld = next(t for t in log.values() if t.startswith("Upheld a decision on appeal"))
    assert "Platform Admin (platform admin)" in upheld and "A pupil is named." in upheld
    assert "Appealed: the decision stands" in log[decision["id"]]
