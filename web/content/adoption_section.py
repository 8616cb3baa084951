"""The practice page's "Tried elsewhere" section: what trying organisations reported, and the forms to
record an adoption and write its report (docs/design.md §3.13).

What the reader may do is asked of the adoption rules the service enforces, so a form shows exactly
where it would work. Recording is offered, never forced: after "tried it" the form is open; otherwise
it waits, folded, for whoever wants it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.adoption import rules, service
from network.adoption.views import AdoptionList, AdoptionView, adoption_view
from network.enums import Phase, PostKind
from network.models import Post

PHASES = [(p.value, p.value.replace("_", " ")) for p in Phase]
SIZE_BANDS = [(band.value, words) for band, words in rules.SIZE_BANDS.items()]
RESULTS = [(r.value, words) for r, words in rules.RESULT_WORDS.items()]
EVIDENCE = [(e.value, words) for e, words in rules.EVIDENCE_WORDS.items()]


@dataclass
class Section:
    """What the section shows this reader."""

    listing: AdoptionList
    ours: AdoptionView | None = None  # the reader's organisation's record of this practice
    may_record: bool = False
    may_change: bool = False
    report_due: bool = False
    open_form: bool = False  # the reader marked "tried it": the record form is shown open
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    size_words: dict[str, str] = field(default_factory=lambda: {b.value: w for b, w in rules.SIZE_BANDS.items()})
    result_words: dict[str, str] = field(default_factory=lambda: {r.value: w for r, w in rules.RESULT_WORDS.items()})
    evidence_words: dict[str, str] = field(
        default_factory=lambda: {e.value: w for e, w in rules.EVIDENCE_WORDS.items()}
    )


async def section_for(db: AsyncSession, access: Access, post: Post, *, tried: bool) -> Section | None:
    """The section for a practice (None for a request)."""
    if post.kind is not PostKind.PRACTICE:
        return None
    listing = await service.list_for_post(db, access, post)
    person = access.person
    existing = await service.existing_for(db, post.id, person.organisation_id) if person else None
    ours = adoption_view(existing) if existing is not None and rules.can_see(access, service.facts(existing)) else None
    return Section(
        listing=listing,
        ours=ours,
        may_record=existing is None and service.may_record(access, post, None),
        may_change=existing is not None and service.may_change(access, existing),
        report_due=existing is not None and service.is_due(existing, access.now.date()),
        open_form=tried,
        choices={"phase": PHASES, "size_band": SIZE_BANDS, "result": RESULTS, "evidence_strength": EVIDENCE},
    )
