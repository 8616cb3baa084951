"""Adoption records: an organisation says it is trying another's practice, and later how it went
(docs/design.md §3.13).

Recording locks the practice's row before it checks that the organisation has no record yet (as an
offer locks its request), and a unique index (post, organisation) holds the rule whatever path
writes: the second of two records at once is a 409 naming the first. Updating a record or writing
its report locks the practice, then the record. Every edit keeps the record as it was
(`adoption_revisions`). The texts pass the network's screening as a reply's do, and a new member's
record waits for a lead where the network pre-moderates (network/moderation/gatekeeping.py).

Events about a record are content events about its practice: for readers while both are shown
(`adoption.recorded`, `adoption.updated`, `adoption.reported`); `adoption.hidden` says, by id, that one
left their view. The practice's author is told when a report arrives; the person who recorded it is
asked for the report when it is due (`ask_due`, run by the server's follow-up task).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from events.models import Event
from network import activity, clock, withholding
from network.access import Access, membership_of, open_network_by_id
from network.adoption import rules
from network.adoption.models import Adoption, AdoptionRevision
from network.adoption.views import (
    TEXT_FIELDS,
    AdoptionEdit,
    AdoptionInput,
    AdoptionList,
    AdoptionRevisionView,
    AdoptionView,
    ReportInput,
    adoption_view,
)
from network.content import posts
from network.enums import ContentState, Decision, MemberState, TargetType
from network.errors import Conflict, NotFound, enforce
from network.event_kinds import EventKind
from network.locking import lock_row
from network.models import Network, Person, Post
from network.moderation import gatekeeping
from network.permissions import Action
from network.views import to_payload


def facts(adoption: Adoption) -> rules.Record:
    return rules.Record(adoption.id, adoption.organisation_id, adoption.person_id, adoption.state)


async def existing_for(session: AsyncSession, post_id: int, organisation_id: int) -> Adoption | None:
    """The organisation's record of this practice, if it has one."""
    result = await session.execute(
        select(Adoption).where(Adoption.post_id == post_id, Adoption.organisation_id == organisation_id)
    )
    return result.scalar_one_or_none()


async def open_adoption(
    session: AsyncSession, adoption_id: int, person: Person | None
) -> tuple[Access, Post, Adoption]:
    """The record, its practice and the asker's access to the network; 404 when it is not theirs to see."""
    adoption = await session.get(Adoption, adoption_id)
    if adoption is None:
        raise NotFound(f"No adoption {adoption_id}.")
    try:
        access, post = await posts.open_post(session, adoption.post_id, person)
    except NotFound:
        raise NotFound(f"No adoption {adoption_id}.") from None
    if not rules.can_see(access, facts(adoption)):
        raise NotFound(f"No adoption {adoption_id}.")
    return access, post, adoption


async def _lock(session: AsyncSession, post: Post, adoption: Adoption | None = None) -> None:
    """Hold the practice, then the record, as they are now (the objects are refreshed in place)."""
    if await lock_row(session, Post, post.id) is None:
        raise NotFound(f"No post {post.id}.")
    if adoption is not None and await lock_row(session, Adoption, adoption.id) is None:
        raise NotFound(f"No adoption {adoption.id}.")


def _texts(adoption: Adoption) -> list[str]:
    """What the network's filters read of a record."""
    return [adoption.setting, adoption.adapted, adoption.how_we_know, adoption.advice]


async def record(session: AsyncSession, access: Access, post: Post, data: AdoptionInput) -> Adoption:
    """Record that the asker's organisation is trying this practice."""
    enforce(rules.record_refusal(access, post))  # the practice as loaded: a refused reader takes no lock
    person = access.person
    assert person is not None
    await _lock(session, post)
    existing = await existing_for(session, post.id, person.organisation_id)
    enforce(rules.record_refusal(access, post, existing_id=existing.id if existing else None))
    today = access.now.date()
    enforce(rules.started_refusal(data.started_on, today))
    adoption = Adoption(
        post_id=post.id,
        network_id=post.network_id,
        organisation_id=person.organisation_id,
        person=person,
        organisation=person.organisation,
        phase=data.phase,
        setting=data.setting.strip(),
        size_band=data.size_band,
        adapted=data.adapted.strip(),
        started_on=data.started_on,
        report_due_on=rules.report_due_on(data.started_on, today, access.network.adoption_follow_up_weeks),
        how_we_know="",
        advice="",
    )
    verdict = await gatekeeping.check(session, access, _texts(adoption), new_post=True)
    if verdict.hold:
        adoption.state = ContentState.HELD
    session.add(adoption)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # the unique index: a path that did not take the practice's lock
        raise Conflict("Your organisation has already recorded trying this practice.") from exc
    await _publish(session, access, post, adoption, EventKind.ADOPTION_RECORDED)
    await gatekeeping.refer(
        session, access, verdict, target_type=TargetType.ADOPTION, post=post, target_id=adoption.id, author_id=person.id
    )
    return adoption


def _snapshot(adoption: Adoption) -> dict[str, Any]:
    fields = ("phase", "size_band", "started_on", "result", "evidence_strength", *TEXT_FIELDS)
    return {name: msgspec.to_builtins(getattr(adoption, name)) for name in fields}


async def _keep_revision(session: AsyncSession, adoption: Adoption, editor: Person) -> None:
    session.add(
        AdoptionRevision(
            adoption_id=adoption.id,
            revision=adoption.revision,
            editor_id=editor.id,
            content=_snapshot(adoption),
            created_at=clock.now(),
        )
    )
    adoption.revision += 1
    adoption.edited_at = clock.now()


async def _screen_edit(session: AsyncSession, access: Access, post: Post, adoption: Adoption) -> None:
    """Screen a changed record: a hold sends a shown record back to the leads (readers are told it left)."""
    verdict = await gatekeeping.check(session, access, _texts(adoption), new_post=False, edit=True)
    if verdict.hold and adoption.state is ContentState.VISIBLE:
        adoption.state = ContentState.HELD
        await session.flush()
        await _gone(session, access, post, adoption)
    assert access.person is not None
    await gatekeeping.refer(
        session,
        access,
        verdict,
        target_type=TargetType.ADOPTION,
        post=post,
        target_id=adoption.id,
        author_id=adoption.person_id,
    )


async def update_record(
    session: AsyncSession, access: Access, post: Post, adoption: Adoption, data: AdoptionEdit
) -> Adoption:
    """Change a record's context, what was adapted or when it began (its organisation's people)."""
    enforce(rules.change_refusal(access, facts(adoption)))
    await _lock(session, post, adoption)
    enforce(rules.change_refusal(access, facts(adoption)))
    person = access.person
    assert person is not None
    given = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    for name in ("setting", "adapted"):
        if name in given:
            given[name] = given[name].strip()
    changed = {k: v for k, v in given.items() if getattr(adoption, k) != v}
    if not changed:
        raise Conflict("Nothing changed: this is the record as it stands.")
    if "started_on" in changed:
        enforce(rules.started_refusal(changed["started_on"], access.now.date()))
    await _keep_revision(session, adoption, person)
    for name, value in changed.items():
        setattr(adoption, name, value)
    if "started_on" in changed and adoption.asked_at is None and adoption.reported_at is None:
        weeks = access.network.adoption_follow_up_weeks
        adoption.report_due_on = rules.report_due_on(adoption.started_on, access.now.date(), weeks)
    await session.flush()
    await _screen_edit(session, access, post, adoption)
    await _publish(session, access, post, adoption, EventKind.ADOPTION_UPDATED)
    return adoption


async def report(session: AsyncSession, access: Access, post: Post, adoption: Adoption, data: ReportInput) -> Adoption:
    """Write (or edit) the record's report. The first report tells the practice's author."""
    enforce(rules.change_refusal(access, facts(adoption)))
    await _lock(session, post, adoption)
    enforce(rules.change_refusal(access, facts(adoption)))
    person = access.person
    assert person is not None
    first = adoption.reported_at is None
    values = {
        "result": data.result,
        "evidence_strength": data.evidence_strength,
        "how_we_know": data.how_we_know.strip(),
        "advice": data.advice.strip(),
    }
    if not first:
        if all(getattr(adoption, k) == v for k, v in values.items()):
            raise Conflict("Nothing changed: this is the report as it stands.")
        await _keep_revision(session, adoption, person)
    for name, value in values.items():
        setattr(adoption, name, value)
    if first:
        adoption.reported_at = clock.now()
    adoption.reported_by_id = person.id
    await session.flush()
    await _screen_edit(session, access, post, adoption)
    await _publish(
        session, access, post, adoption, EventKind.ADOPTION_REPORTED if first else EventKind.ADOPTION_UPDATED
    )
    if first and adoption.state is ContentState.VISIBLE:
        await tell_author(session, access.network, post, adoption, person)
    return adoption


async def tell_author(session: AsyncSession, network: Network, post: Post, adoption: Adoption, actor: Person) -> None:
    """The practice's author hears that an organisation reported how it went (while they may read the network)."""
    assert adoption.result is not None
    await activity.notify(
        session,
        post.author_id,
        "adoption.reported",
        {
            "post_id": post.id,
            "title": post.title,
            "adoption_id": adoption.id,
            "organisation": adoption.organisation.name,
            "result": adoption.result.value,
        },
        network=network,
        actor=actor,
    )


# ---- reading ------------------------------------------------------------------------------------------------


async def records_of(session: AsyncSession, post_id: int) -> list[Adoption]:
    result = await session.execute(select(Adoption).where(Adoption.post_id == post_id).order_by(Adoption.id))
    return list(result.scalars())


def summary_from(records: Iterable[Adoption]) -> rules.Summary:
    """The summary of the shown records among these."""
    return rules.summarise(
        rules.Reported(a.result, a.evidence_strength) for a in records if a.state is ContentState.VISIBLE
    )


async def summary_of(session: AsyncSession, post_id: int) -> rules.Summary:
    return summary_from(await records_of(session, post_id))


async def list_for_post(session: AsyncSession, access: Access, post: Post) -> AdoptionList:
    """The practice's records as the reader may see them (reported ones first, then newest), and the
    summary of the shown ones."""
    enforce(posts.read_refusal(access, post))
    records = await records_of(session, post.id)
    seen = [a for a in records if rules.can_see(access, facts(a)) and a.state is not ContentState.REMOVED]
    seen.sort(key=lambda a: (a.reported_at is None, -a.id))
    return AdoptionList(summary=summary_from(records), items=[adoption_view(a) for a in seen])


async def revisions(session: AsyncSession, adoption: Adoption) -> list[AdoptionRevisionView]:
    """The record's earlier versions, newest first."""
    result = await session.execute(
        select(AdoptionRevision)
        .where(AdoptionRevision.adoption_id == adoption.id)
        .order_by(AdoptionRevision.revision.desc())
    )
    return [
        AdoptionRevisionView(revision=r.revision, editor_id=r.editor_id, created_at=r.created_at, content=r.content)
        for r in result.scalars()
    ]


def is_due(adoption: Adoption, today: date) -> bool:
    return adoption.reported_at is None and adoption.report_due_on <= today


async def ours(session: AsyncSession, person: Person) -> list[tuple[AdoptionView, str, bool]]:
    """The records of the person's organisation on practices they may still read, with each practice's
    title and whether its report is due; due ones first (soonest due first), then the rest, newest first."""
    result = await session.execute(
        select(Adoption, Post)
        .join(Post, Post.id == Adoption.post_id)
        .where(Adoption.organisation_id == person.organisation_id, Adoption.state != ContentState.REMOVED)
        .order_by(Adoption.id.desc())
    )
    today = clock.now().date()
    found: list[tuple[Adoption, Post]] = []
    readable: dict[int, Access | None] = {}
    for adoption, post in result.tuples():
        if post.network_id not in readable:
            try:
                readable[post.network_id] = await open_network_by_id(session, post.network_id, person)
            except NotFound:
                readable[post.network_id] = None
        access = readable[post.network_id]
        if access is not None and posts.read_refusal(access, post) is None:
            found.append((adoption, post))
    found.sort(key=lambda pair: (not is_due(pair[0], today), pair[0].report_due_on if is_due(pair[0], today) else 0))
    return [(adoption_view(a), p.title, is_due(a, today)) for a, p in found]


# ---- telling ------------------------------------------------------------------------------------------------


async def _publish(session: AsyncSession, access: Access, post: Post, adoption: Adoption, kind: EventKind) -> None:
    summary = await summary_of(session, post.id)
    payload = {"adoption": to_payload(adoption_view(adoption)), "post_id": post.id, "summary": to_payload(summary)}
    await activity.record(session, access.network, kind, payload, access.person)


async def _gone(session: AsyncSession, access: Access, post: Post, adoption: Adoption) -> None:
    """Readers hear, by id, that a record left their view (hidden, removed, or held again by an edit)."""
    summary = await summary_of(session, post.id)
    payload = {
        "adoption_id": adoption.id,
        "post_id": post.id,
        "state": adoption.state.value,
        "summary": to_payload(summary),
    }
    await activity.record(session, access.network, EventKind.ADOPTION_HIDDEN, payload, access.person)


async def announce_decision(
    session: AsyncSession, access: Access, post: Post, adoption: Adoption, action: Decision
) -> None:
    """The member-visible events of a lead's decision on a record (network/casework/decisions.py)."""
    if action in (Decision.HIDE, Decision.REMOVE):
        if action is Decision.REMOVE:
            await _redact(session, access.network.id, post.id, adoption.id)
        await _gone(session, access, post, adoption)
    elif action in (Decision.APPROVE, Decision.RESTORE):
        await withholding.refresh(session, access.network.id, post.id)  # its earlier events are for readers again
        await _publish(session, access, post, adoption, EventKind.ADOPTION_UPDATED)
        if action is Decision.APPROVE and adoption.reported_at is not None:
            assert access.person is not None
            await tell_author(session, access.network, post, adoption, adoption.person)


async def _redact(session: AsyncSession, network_id: int, post_id: int, adoption_id: int) -> None:
    """A removed record's words leave the log's earlier events too (removal is most often for personal data)."""
    await session.flush()
    result = await session.execute(select(Event).where(Event.network_id == network_id, Event.subject_id == post_id))
    for event in result.scalars():
        item = event.payload.get("adoption")
        if isinstance(item, dict) and item.get("id") == adoption_id:
            blank = {**item, "setting": "", "adapted": ""}
            if isinstance(item.get("report"), dict):
                blank["report"] = {**item["report"], "how_we_know": "", "advice": "", "advice_html": ""}
            event.payload = {**event.payload, "adoption": blank}
    await session.flush()


# ---- asking for the report ----------------------------------------------------------------------------------

DUE_PER_PASS = 200


async def due_ids(session: AsyncSession, today: date, limit: int = DUE_PER_PASS) -> list[int]:
    """Records whose report is due and that nobody has been asked about yet (shown or held ones)."""
    result = await session.execute(
        select(Adoption.id)
        .where(
            Adoption.report_due_on <= today,
            Adoption.asked_at.is_(None),
            Adoption.reported_at.is_(None),
            Adoption.state.in_((ContentState.VISIBLE, ContentState.HELD)),
        )
        .order_by(Adoption.report_due_on, Adoption.id)
        .limit(limit)
    )
    return list(result.scalars())


async def ask(session: AsyncSession, adoption_id: int, now: datetime) -> bool:
    """Ask the person who recorded it for the report, once: the conditional UPDATE (asked_at IS NULL) lets
    one process of many write the notification. Nobody is asked if they have left the organisation or the
    network, or may no longer read it (their colleagues still see the record as due on their own page)."""
    taken = await session.execute(
        update(Adoption)
        .where(Adoption.id == adoption_id, Adoption.asked_at.is_(None), Adoption.reported_at.is_(None))
        .values(asked_at=now)
        .returning(Adoption.id)
        .execution_options(synchronize_session=False)
    )
    if taken.first() is None:
        return False
    adoption = await session.get(Adoption, adoption_id, populate_existing=True)
    assert adoption is not None
    post = await session.get(Post, adoption.post_id)
    network = await session.get(Network, adoption.network_id)
    recorder = adoption.person
    if post is None or network is None:
        return True
    if recorder.organisation_id != adoption.organisation_id or not recorder.is_active or recorder.deleted_at:
        return True
    membership = await membership_of(session, network.id, recorder.id)
    if membership is None or membership.state is MemberState.PENDING:  # they left the network
        return True
    await activity.notify(
        session,
        recorder.id,
        "adoption.report_due",
        {
            "post_id": post.id,
            "title": post.title,
            "adoption_id": adoption.id,
            "started_on": adoption.started_on.isoformat(),
        },
        network=network,
    )
    return True


def may_record(access: Access, post: Post, existing: Adoption | None) -> bool:
    return rules.record_refusal(access, post, existing_id=existing.id if existing else None) is None


def may_change(access: Access, adoption: Adoption) -> bool:
    return rules.change_refusal(access, facts(adoption)) is None


def may_moderate(access: Access) -> bool:
    return access.can(Action.MODERATE)
