"""Search answers exactly what the API answers, for each column of the permission table (docs/design.md §4):
a post or reply is found by someone if and only if the API lets them read it. The same content (shown, held,
hidden and removed posts and replies, in a public and a members-only network; a hidden network's post) is searched by an
outsider, a member, the author, an observer, a lead, a suspended member and a member who left."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.models import Person
from network.search import service
from tests.conftest import ApiClient, World

WORD = "quillwort"  # in every post and reply, and nowhere else


async def found(db: async_sessionmaker[AsyncSession], reader: ApiClient) -> set[tuple[str, int]]:
    hits: set[tuple[str, int]] = set()
    cursor = None
    async with db() as session:
        person = await session.get(Person, reader.id)
        while True:
            page = await service.search(session, person, WORD, cursor=cursor, limit=100)
            hits |= {("reply", h.reply.id) if h.reply else ("post", h.post.id) for h in page.items}
            if page.next_cursor is None:
                return hits
            cursor = page.next_cursor


async def readable(reader: ApiClient, posts: list[int], replies: dict[int, int]) -> set[tuple[str, int]]:
    """What the API lets this reader read: each post by id, each reply in its post's thread with its text;
    less a removed post and its thread, which a network's leads read in its casework but search finds for no one, as
    the feed lists it to no one (docs/design.md §3.11)."""
    out: set[tuple[str, int]] = set()
    for post_id in posts:
        response = await reader.get(f"/posts/{post_id}")
        if response.status_code == 200 and response.json()["state"] != "removed":
            out.add(("post", post_id))
            thread = (await reader.get(f"/posts/{post_id}/replies", params={"limit": 100})).json()["items"]
            out |= {("reply", r["id"]) for r in thread if r["id"] in replies and WORD in r["body"]}
    return out


async def test_search_equals_the_api_for_every_column(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    networks = [
        await world.network(lead),
        await world.network(lead, visibility="members"),
        await world.network(lead, visibility="hidden"),
    ]
    author = await world.person()
    member = await world.person()
    suspended = await world.person()
    leaver = await world.person()
    outsider = await world.person()
    for slug in networks[:2]:
        for person in (author, member, suspended, leaver):
            assert (await person.post(f"/networks/{slug}/join")).json()["state"] == "active"
    await world.practice(lead, networks[2], title=f"{WORD} in a hidden network")  # for its lead alone
    observer = await world.observer(lead, networks[1])
    posts: list[int] = [int((await lead.get(f"/networks/{networks[2]}/posts")).json()["items"][0]["id"])]
    replies: dict[int, int] = {}
    for slug in networks[:2]:
        for state in ("visible", "held", "hidden", "removed"):
            post = await world.practice(author, slug, title=f"{WORD} {state} practice")
            reply = await member.post(f"/posts/{post['id']}/replies", json={"body": f"A {WORD} reply"})
            own = await author.post(f"/posts/{post['id']}/replies", json={"body": f"The author's {WORD} reply"})
            for r in (reply, own):
                assert r.status_code == 201, r.text
                replies[r.json()["id"]] = post["id"]
            posts.append(post["id"])
            if state != "visible":
                await world.set_post(post["id"], f"state = '{state}'")
        shown = await world.practice(member, slug, title=f"{WORD} thread with hidden replies")
        posts.append(shown["id"])
        for state in ("held", "hidden", "removed"):
            r = await author.post(f"/posts/{shown['id']}/replies", json={"body": f"A {state} {WORD} reply"})
            replies[r.json()["id"]] = shown["id"]
            await world.set_reply(r.json()["id"], f"state = '{state}'")
        await lead.patch(f"/networks/{slug}/members/{suspended.id}", json={"state": "suspended"})
        assert (await leaver.post(f"/networks/{slug}/leave")).status_code == 204

    columns = {
        "outsider": outsider,
        "member": member,
        "author": author,
        "observer": observer,
        "lead": lead,
        "suspended": suspended,
        "left": leaver,
    }
    seen = {}
    for name, reader in columns.items():
        expected = await readable(reader, posts, replies)
        assert await found(db, reader) == expected, name
        seen[name] = len(expected)
    # the columns differ, so the comparison above is not trivially of empty sets
    assert seen["outsider"] > 0 and seen["lead"] > seen["member"] > seen["outsider"]
    assert seen["author"] > seen["member"] and seen["observer"] > 0 and seen["suspended"] == 0
