"""Practices and requests: create, edit (each edit keeps a revision), read, list, close a request."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Select, String, and_, case, cast, func, literal, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from network import activity, clock, cursors, withholding
from network.access import Access, open_network_by_id
from network.content import followers, post_notices
from network.enums import ContentState, OfferStatus, PostKind, ReactionKind, RequestStatus, TargetType
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, enforce
from network.event_kinds import EventKind
from network.inputs import PostEdit, PostInput
from network.locking import lock_row
from network.models import Network, Offer, Person, Post, PostRevision, Reaction, Reply
from network.moderation import gatekeeping
from network.permissions import Action
from network.views import Page, PostView, ReactionCounts, RevisionView, post_view, to_payload

PRACTICE_FIELDS = (
    "summary",
    "phases",
    "setting",
    "what_we_did",
    "what_we_stopped",
    "impact",
    "evidence_strength",
    "themes",
    "resources",
)
REQUEST_FIELDS = ("support_type", "urgency")
CONTENT_FIELDS = ("title", "body", *PRACTICE_FIELDS, *REQUEST_FIELDS)


class Filters(msgspec.Struct, frozen=True):
    kind: PostKind | None = None
    theme: str | None = None
    phase: str | None = None
    evidence_strength: str | None = None
    status: RequestStatus | None = None


def _normal_theme(theme: str) -> str:
    """Themes are compared lowercased with runs of whitespace collapsed ("Early  Reading" = "early reading")."""
    return " ".join(theme.lower().split())


def _clean_themes(themes: list[str]) -> list[str]:
    return list(dict.fromkeys(_normal_theme(t) for t in themes if t.strip()))


def _check_kind_fields(kind: PostKind, values: dict[str, Any]) -> None:
    """Practice fields belong to practices, request fields to requests."""
    wrong = REQUEST_FIELDS if kind is PostKind.PRACTICE else PRACTICE_FIELDS
    given = [name for name in wrong if values.get(name) not in (None, "", [], ())]
    if given:
        raise Invalid(
            f"A {kind.value} does not have: {', '.join(given)}.",
            fields={name: f"Not a field of a {kind.value}." for name in given},
        )


def _check_text(values: dict[str, Any]) -> None:
    for name in ("title", "body"):
        if name in values and not str(values[name]).strip():
            raise Invalid(f"The {name} cannot be blank.", fields={name: "Required."})


def create_refusal(access: Access) -> Refusal:
    """Whether the asker may post in the network: active members and leads."""
    return access.refusal(Action.CONTRIBUTE)


async def create_post(session: AsyncSession, access: Access, data: PostInput) -> Post:
    enforce(create_refusal(access))
    author = access.person
    assert author is not None
    values = msgspec.structs.asdict(data)
    _check_text(values)
    _check_kind_fields(data.kind, values)
    post = Post(
        network_id=access.network.id,
        author=author,
        organisation_id=author.organisation_id,
        kind=data.kind,
        title=data.title.strip(),
        body=data.body,
        summary=data.summary.strip(),
        phases=[p.value for p in dict.fromkeys(data.phases)],
        setting=data.setting.strip(),
        what_we_did=data.what_we_did,
        what_we_stopped=data.what_we_stopped,
        impact=data.impact,
        evidence_strength=data.evidence_strength,
        themes=_clean_themes(data.themes),
        resources=[{"title": r.title.strip(), "url": r.url} for r in data.resources],
        support_type=data.support_type,
        urgency=data.urgency,
        status=RequestStatus.OPEN if data.kind is PostKind.REQUEST else None,
    )
    verdict = await gatekeeping.check(session, access, _texts(post), new_post=True)
    if verdict.hold:
        post.state = ContentState.HELD
    session.add(post)
    await session.flush()
    if verdict.hold:  # the leads and the author see it waiting; readers hear of it when it is approved
        view = new_post_view(post, access.network.slug)
        await activity.record(session, access.network, EventKind.POST_HELD, {"post": to_payload(view)}, author)
    else:
        await publish(session, access, post, new_post_view(post, access.network.slug), first=True)
    await gatekeeping.refer(
        session, access, verdict, target_type=TargetType.POST, post=post, target_id=post.id, author_id=author.id
    )
    return post


def _texts(post: Post) -> list[str]:
    """What the network's filters read of a post."""
    return [post.title, post.body, post.summary, post.setting, post.what_we_did, post.what_we_stopped, post.impact]


async def publish(
    session: AsyncSession, access: Access, post: Post, view: PostView | None = None, *, first: bool = False
) -> None:
    """Tell the network a post is there (on creation, `first`, or when a lead approves a held one).

    `view` is the post as members see it, when the caller has it already. A post approved after an
    edit held it again had events before: who receives those is decided again, now it is shown.

    What is left for after the commit (a large network's followers, then the saved searches' alerts)
    is left as a notice (network/content/post_notices.py).

    The followers' notifications are written first and the event last: the event's seq is
    allocated on the network's row, which stays locked until the commit, and its time is the
    one members' clients measure delivery from, so it should be as near the commit as it can.
    """
    if view is None:
        view = await describe_post(session, post, access.network.slug)
    if not first:
        await withholding.refresh(session, access.network.id, post.id)
    told = await followers.notify_new_post(session, access.network, post, post.author)
    # after the commit: a large network's followers (too many to tell now), then the saved searches' alerts
    await post_notices.leave(session, post, followers_told=told)
    await activity.record(session, access.network, EventKind.POST_CREATED, {"post": to_payload(view)}, post.author)


def _snapshot(post: Post) -> dict[str, Any]:
    data = {name: getattr(post, name) for name in CONTENT_FIELDS}
    return msgspec.to_builtins(data)  # type: ignore[no-any-return]


async def edit_post(
    session: AsyncSession, access: Access, post: Post, edit: PostEdit, *, notify_author: bool = True
) -> Post:
    """The author edits their post (leads may too, with a reason); the previous content is kept.

    The network's filters read the new text: an edit that adds what they hold takes the post
    back to the leads (it leaves the members' view until approved).

    The post's row is locked first and read again: two edits at once take turns, each writing its
    own revision of what the other left, instead of both writing revision N from the same text."""
    if await lock_row(session, Post, post.id) is None:
        raise NotFound(f"No post {post.id}.")
    enforce(edit_refusal(access, post))
    actor = access.person
    assert actor is not None
    is_author = post.author_id == actor.id
    if not is_author and not edit.reason.strip():
        raise Invalid(
            "Say why you are editing someone else's post.",
            fields={"reason": "Required for a lead's edit."},
        )
    changes = {k: v for k, v in msgspec.structs.asdict(edit).items() if v is not msgspec.UNSET and k != "reason"}
    _check_text(changes)
    _check_kind_fields(post.kind, changes)
    if "themes" in changes:
        changes["themes"] = _clean_themes(changes["themes"])
    if "phases" in changes:
        changes["phases"] = [p.value for p in dict.fromkeys(changes["phases"])]
    if "resources" in changes:
        changes["resources"] = [{"title": r.title.strip(), "url": r.url} for r in changes["resources"]]
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    changed = {k: v for k, v in changes.items() if getattr(post, k) != v}
    if not changed:
        return post
    session.add(
        PostRevision(
            post_id=post.id,
            revision=post.revision,
            editor_id=actor.id,
            reason=edit.reason.strip(),
            content=_snapshot(post),
            created_at=clock.now(),
        )
    )
    for name, value in changed.items():
        setattr(post, name, value)
    verdict = await gatekeeping.check(session, access, _texts(post), new_post=False, edit=True)
    post.revision += 1
    post.edited_at = clock.now()
    # a hidden post stays hidden: holding it would let an approval publish what a lead hid
    verdict.hold = verdict.hold and post.state in (ContentState.VISIBLE, ContentState.HELD)
    newly_held = verdict.hold and post.state is ContentState.VISIBLE
    if verdict.hold:
        post.state = ContentState.HELD
    await session.flush()
    view = await describe_post(session, post, access.network.slug)
    if newly_held:  # it leaves the readers' view...
        withdrawn = {"post_id": post.id, "state": post.state.value}
        await activity.record(session, access.network, EventKind.POST_HIDDEN, withdrawn, actor)
    # ...and the edit goes to those who may see it now: readers, or (hidden or held) the leads and its author
    await activity.record(session, access.network, EventKind.POST_UPDATED, {"post": to_payload(view)}, actor)
    if not is_author:  # a lead's edit: what it took out leaves the log's earlier events too
        await withholding.rewrite_post(session, access.network.id, post.id, to_payload(view))
    await gatekeeping.refer(
        session, access, verdict, target_type=TargetType.POST, post=post, target_id=post.id, author_id=post.author_id
    )
    if not is_author and notify_author:
        await activity.notify(
            session,
            post.author_id,
            "post.edited_by_lead",
            {"post_id": post.id, "title": post.title, "reason": edit.reason},
            network=access.network,
            actor=actor,
        )
    return post


def edit_refusal(access: Access, post: Post) -> Refusal:
    """Whether the asker may edit the post: its author while they may contribute, or a lead (with a
    reason, which is the input's business); never once it is removed."""
    refusal = read_refusal(access, post)
    if refusal is not None:
        return refusal
    if access.person is not None and post.author_id == access.person.id:
        refusal = access.refusal(Action.CONTRIBUTE)
    elif not access.can(Action.MODERATE):
        refusal = Forbidden("Only the author or a lead of this network may edit this post.")
    if refusal is None and post.state is ContentState.REMOVED:
        refusal = Forbidden("A removed post cannot be edited.")
    return refusal


def can_see_post(access: Access, post: Post) -> bool:
    if post.state is ContentState.VISIBLE:
        return True
    if access.can(Action.MODERATE):
        return True
    return post.state is not ContentState.REMOVED and access.person is not None and post.author_id == access.person.id


def read_refusal(access: Access, post: Post) -> Refusal:
    """Whether the asker may read the post: the network's readers see what is shown, its leads all but
    what was removed from the log, its author their own held or hidden post. Never confirmed otherwise."""
    if access.can(Action.READ) and can_see_post(access, post):
        return None
    return NotFound(f"No post {post.id}.")


async def open_post(session: AsyncSession, post_id: int, person: Person | None) -> tuple[Access, Post]:
    """The post and the asker's access to its network; NotFound if either is not theirs to read."""
    post = await session.get(Post, post_id)
    if post is None:
        raise NotFound(f"No post {post_id}.")
    try:
        access = await open_network_by_id(session, post.network_id, person)
    except NotFound:
        raise NotFound(f"No post {post_id}.") from None
    enforce(read_refusal(access, post))
    return access, post


async def titles(session: AsyncSession, post_ids: set[int]) -> dict[int, str]:
    """The posts' titles by id (for lists that name the post an item belongs to)."""
    if not post_ids:
        return {}
    rows = await session.execute(select(Post.id, Post.title).where(Post.id.in_(post_ids)))
    return {post_id: title for post_id, title in rows.tuples()}


_REPLIES, _OFFERS, _USEFUL, _TRIED_IT = range(4)


async def counts_for(
    session: AsyncSession, post_ids: list[int]
) -> tuple[dict[int, int], dict[int, int], dict[int, ReactionCounts]]:
    """Visible replies (not deleted by their authors), open-or-accepted offers and reactions per post.

    One statement (three grouped counts under UNION ALL, told apart by a number) instead of
    three: every post view pays for it, and on SQLite each statement is several thread hops.
    """
    if not post_ids:
        return {}, {}, {}
    reaction_kind = case((Reaction.kind == ReactionKind.USEFUL, _USEFUL), else_=_TRIED_IT)
    counted = union_all(
        select(Reply.post_id, literal(_REPLIES), func.count())
        .where(Reply.post_id.in_(post_ids), Reply.state == ContentState.VISIBLE, Reply.deleted_at.is_(None))
        .group_by(Reply.post_id),
        select(Offer.post_id, literal(_OFFERS), func.count())
        .where(Offer.post_id.in_(post_ids), Offer.status.in_((OfferStatus.OPEN, OfferStatus.ACCEPTED)))
        .group_by(Offer.post_id),
        select(Reaction.post_id, reaction_kind, func.count())
        .where(Reaction.post_id.in_(post_ids))
        .group_by(Reaction.post_id, reaction_kind),
    )
    reply_counts: dict[int, int] = {}
    offer_counts: dict[int, int] = {}
    reaction_counts: dict[int, ReactionCounts] = {}
    for post_id, what, count in (await session.execute(counted)).tuples():
        if what == _REPLIES:
            reply_counts[post_id] = count
        elif what == _OFFERS:
            offer_counts[post_id] = count
        elif what == _USEFUL:
            reaction_counts.setdefault(post_id, ReactionCounts()).useful = count
        else:
            reaction_counts.setdefault(post_id, ReactionCounts()).tried_it = count
    return reply_counts, offer_counts, reaction_counts


async def describe_post(session: AsyncSession, post: Post, network_slug: str) -> PostView:
    replies, offers, reactions = await counts_for(session, [post.id])
    return post_view(
        post,
        network_slug,
        reply_count=replies.get(post.id, 0),
        offer_count=offers.get(post.id, 0),
        reactions=reactions.get(post.id),
    )


def new_post_view(post: Post, network_slug: str) -> PostView:
    """A post just created, as members see it: nothing can have replied to it, offered on it or
    reacted to it yet, so its counts are zero without asking the database (a POST's costliest
    statement, otherwise run twice: for the event and for the response)."""
    return post_view(post, network_slug)


def _json_list_has(column: Any, value: str) -> Any:
    """Membership in a JSON list of strings, portable across SQLite and PostgreSQL (text match on '"value"')."""
    return cast(column, String).contains(f'"{value}"', autoescape=True)


def _feed_query(access: Access, filters: Filters) -> Select[tuple[Post]]:
    stmt = select(Post).where(Post.network_id == access.network.id)
    if access.can(Action.MODERATE):
        stmt = stmt.where(Post.state != ContentState.REMOVED)
    elif access.person is not None:
        stmt = stmt.where(
            or_(
                Post.state == ContentState.VISIBLE,
                (Post.author_id == access.person.id) & (Post.state != ContentState.REMOVED),
            )
        )
    else:
        stmt = stmt.where(Post.state == ContentState.VISIBLE)
    if filters.kind is not None:
        stmt = stmt.where(Post.kind == filters.kind)
    if filters.status is not None:
        stmt = stmt.where(Post.status == filters.status)
    if filters.evidence_strength:
        stmt = stmt.where(Post.evidence_strength == filters.evidence_strength)
    if filters.theme:
        stmt = stmt.where(_json_list_has(Post.themes, _normal_theme(filters.theme)))
    if filters.phase:
        stmt = stmt.where(_json_list_has(Post.phases, filters.phase))
    return stmt


def _feed_key(post: Post) -> tuple[int, int]:
    return (1 if post.pinned else 0, post.id)


async def list_posts(
    session: AsyncSession, access: Access, *, cursor: str | None, limit: int, filters: Filters | None = None
) -> Page:
    """Pinned posts first, then newest first; keyset-paginated on (pinned, id)."""
    stmt = _feed_query(access, filters or Filters())
    after = cursors.decode_key(cursor, 2)
    if after is not None:
        pinned, last_id = after
        if pinned > 1:
            raise cursors.BadCursor
        if pinned:
            stmt = stmt.where(or_(~Post.pinned, and_(Post.pinned, Post.id < last_id)))
        else:
            stmt = stmt.where(~Post.pinned, Post.id < last_id)
    order = (Post.pinned.desc(), Post.id.desc())
    posts = list((await session.execute(stmt.order_by(*order).limit(limit + 1))).scalars())
    page = posts[:limit]
    replies, offers, reactions = await counts_for(session, [p.id for p in page])
    items = [
        post_view(
            p,
            access.network.slug,
            reply_count=replies.get(p.id, 0),
            offer_count=offers.get(p.id, 0),
            reactions=reactions.get(p.id),
        )
        for p in page
    ]
    return Page(items=items, next_cursor=cursors.next_key_cursor([_feed_key(p) for p in posts], limit))


async def revisions(session: AsyncSession, access: Access, post: Post) -> list[RevisionView]:
    """Earlier versions, newest first. What a lead's edit took out stays out: the versions from before
    the latest edit by someone other than the author (a lead's) are for the leads only; others see
    that a lead edited it, and why."""
    result = await session.execute(
        select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.revision.desc())
    )
    rows = list(result.scalars())
    lead_edits = [r.revision for r in rows if r.editor_id != post.author_id]
    withheld_to = max(lead_edits) if lead_edits and not access.can(Action.MODERATE) else 0
    return [
        RevisionView(
            revision=r.revision,
            editor_id=r.editor_id,
            reason=r.reason,
            created_at=r.created_at,
            content={} if r.revision <= withheld_to else r.content,
            withheld=r.revision <= withheld_to,
        )
        for r in rows
    ]


async def close_request(session: AsyncSession, access: Access, post: Post, outcome: str) -> Post:
    """The requester's organisation (or a lead) closes a request, saying how it ended.

    The request's row is locked before its status is checked, so it closes once, and an offer or
    an acceptance waiting on that lock sees it closed."""
    if await lock_row(session, Post, post.id) is None:
        raise NotFound(f"No post {post.id}.")
    enforce(close_refusal(access, post))
    actor = access.person
    assert actor is not None
    if not outcome.strip():
        raise Invalid("Say how the request ended.", fields={"outcome": "Required."})
    await close_with(session, access.network, post, outcome, actor)
    return post


async def close_with(session: AsyncSession, network: Network, post: Post, outcome: str, actor: Person) -> None:
    """Close a request with this outcome and tell the network: `close_request`'s change, for a caller that
    locked the request and decided it may close (an engagement closing closes its request)."""
    post.status = RequestStatus.CLOSED
    post.outcome = outcome.strip()
    post.closed_at = clock.now()
    await session.flush()
    view = await describe_post(session, post, network.slug)
    await activity.record(session, network, EventKind.POST_UPDATED, {"post": to_payload(view)}, actor)


def close_refusal(access: Access, post: Post) -> Refusal:
    """Whether the asker may close the request: someone of the requesting organisation who may
    contribute (a muted, suspended or departed requester cannot), or a lead; once."""
    refusal = read_refusal(access, post)
    if refusal is not None:
        return refusal
    if post.kind is not PostKind.REQUEST:
        return Invalid("Only a request can be closed; a practice stays open.", fields={"kind": "Not a request."})
    if not access.can(Action.MODERATE):
        if access.person is None or access.person.organisation_id != post.organisation_id:
            return Forbidden("Only the requesting organisation or a lead may close this request.")
        refusal = access.refusal(Action.CONTRIBUTE)
        if refusal is not None:
            return refusal
    if post.status is RequestStatus.CLOSED:
        return Conflict("This request is already closed.")
    return None


async def move_to_discussion(session: AsyncSession, post: Post) -> None:
    """A first reply or offer moves an open request into discussion: open → in discussion only if it is
    still open (a compare-and-set: a reply must not reopen a request closed a moment ago)."""
    if post.kind is not PostKind.REQUEST or post.status is not RequestStatus.OPEN:
        return
    moved = await session.execute(
        update(Post)
        .where(Post.id == post.id, Post.status == RequestStatus.OPEN)
        .values(status=RequestStatus.IN_DISCUSSION)
        .returning(Post.id)
        .execution_options(synchronize_session=False)
    )
    if moved.first() is not None:
        set_committed_value(post, "status", RequestStatus.IN_DISCUSSION)
    else:
        await session.refresh(post, ["status"])
