"""Editing and deleting one's own reply on the post page without JavaScript, and how mentions and headings
read there."""

from __future__ import annotations

from tests.conftest import World
from tests.web.content.test_post_pages import Pages, main_of, redirected_to


async def test_the_author_edits_and_deletes_their_reply_with_plain_forms(world: World) -> None:
    slug, reader, author = await world.two_members(practices=1)
    post = (await reader.get(f"/networks/{slug}/posts")).json()["items"][0]
    reply = (await author.post(f"/posts/{post['id']}/replies", json={"body": "First *thoughts*."})).json()
    mine, theirs = Pages(world, author), Pages(world, reader)
    action = f"/posts/{post['id']}/replies/{reply['id']}"

    page = main_of(await mine.get(f"/posts/{post['id']}"))
    assert f'action="{action}/edit"' in page and f'action="{action}/delete"' in page
    assert "Yes, delete my reply" in page
    assert f'action="{action}/edit"' not in main_of(await theirs.get(f"/posts/{post['id']}"))

    # a blank edit is refused beside its form, what was typed kept; a refused form changes nothing
    refused = await mine.form(f"{action}/edit", {"body": "   "})
    assert refused.status_code == 422
    shown = main_of(refused)
    assert 'id="edit-reply-' in shown and " open>" in shown and "blank" in shown.lower()
    redirected_to(
        await mine.form(f"{action}/edit", {"body": "Second **thoughts**."}), f"/posts/{post['id']}#reply-{reply['id']}"
    )
    page = main_of(await theirs.get(f"/posts/{post['id']}"))
    assert "Second <strong>thoughts</strong>." in page and "· edited" in page
    assert "1 earlier version" in page and "First <em>thoughts</em>." in page

    # another member's form is refused as the API refuses it; the page says why and nothing changes
    other = await theirs.form(f"{action}/edit", {"body": "Not mine."})
    assert other.status_code == 403 and "Only its author" in other.text
    assert (await theirs.form(f"{action}/delete", {})).status_code == 403

    redirected_to(await mine.form(f"{action}/delete", {}), f"/posts/{post['id']}#reply-{reply['id']}")
    page = main_of(await theirs.get(f"/posts/{post['id']}"))
    assert "Reply deleted by its author." in page and "Second" not in page and "First" not in page
    assert ">Replies (<span data-reply-count>0</span>)</h2>" in page
    fragment = await theirs.get(f"{action}/item")
    assert fragment.status_code == 200 and "Reply deleted by its author." in fragment.text
    assert f'action="{action}/edit"' not in main_of(await mine.get(f"/posts/{post['id']}"))
    # a reply on a post one may not read, and one that does not exist, are the 404 page alike
    owner = await world.person()
    private = await world.network(owner, visibility="members")
    hidden_post = await world.practice(owner, private)
    hidden = (await owner.post(f"/posts/{hidden_post['id']}/replies", json={"body": "Ours."})).json()
    outsider = Pages(world, await world.person())
    for path in (f"/posts/{hidden_post['id']}/replies/{hidden['id']}", f"/posts/{post['id']}/replies/999999"):
        assert (await outsider.form(f"{path}/edit", {"body": "x"})).status_code == 404
        assert (await outsider.form(f"{path}/delete", {})).status_code == 404


async def test_mentions_link_to_the_person_and_headings_keep_their_outline(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    priya = await world.member(slug, name="Priya Shah")
    author = await world.member(slug)
    body = "## Plan\n\n### Step one\n\nAsk @Priya Shah, not @Nobody Here.\n\n> A quote from `@Priya Shah`."
    practice = await world.practice(author, slug, body=body)
    reply = await author.post(f"/posts/{practice['id']}/replies", json={"body": "Thanks @priya shah!"})
    assert reply.status_code == 201

    page = main_of(await Pages(world, priya).get(f"/posts/{practice['id']}"))
    link = f'<a class="mention" href="/people/{priya.id}">'
    assert f"{link}@Priya Shah</a>, not @Nobody Here." in page
    assert f"{link}@priya shah</a>!" in page
    assert "<code>@Priya Shah</code>" in page  # code is left alone
    # the body's "##" sits under the section's h2, and its "###" one level below, never all h6
    assert "<h3>Plan</h3>" in page and "<h4>Step one</h4>" in page and "<h6>" not in page
    assert "<blockquote>" in page
