"""Compose and edit forms for practices and requests.

The form's fields are those of `network.inputs.PostInput` / `PostEdit`, and so are its limits:
each field is checked on its own against the same msgspec types the API uses, so every broken
field gets its own message beside it (msgspec alone stops at the first). A refused form is
rendered again with exactly what was typed. "Preview" re-renders the form with the sanitised
HTML of its markdown fields (network.markdown) and works without JavaScript; the page also
asks htmx to refresh the preview as the writer types (`/compose/preview`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access, open_network
from network.content import posts
from network.enums import EvidenceStrength, Phase, PostKind, SupportType, Urgency
from network.errors import DomainError, NotFound
from network.inputs import PostEdit, PostInput, Resource
from network.models import Network, Person, Post
from network.moderation import gatekeeping
from network.views import PostView
from server.deps import Db, Viewer
from web.content.post_pages import EVIDENCE_MEANING, label, not_found, rendered
from web.forms import post_action, read_form, sign_in_first
from web.render import page

PRACTICE = ("title", "summary", "body", "setting", "phases", "what_we_did", "what_we_stopped", "impact",
            "evidence_strength", "themes", "resources")  # fmt: skip
REQUEST = ("title", "body", "support_type", "urgency")
FIELDS = {PostKind.PRACTICE: PRACTICE, PostKind.REQUEST: REQUEST}
MARKDOWN = {"body", "what_we_did", "what_we_stopped", "impact"}
TEXT = ("title", "body", "summary", "setting", "what_we_did", "what_we_stopped", "impact", "reason")
CHOICES = ("evidence_strength", "support_type", "urgency")
RESOURCE_ROWS_SPARE = 2


def _limits() -> dict[str, int]:
    """Each field's maximum length (characters, or items for lists), read from PostInput itself."""
    limits = {}
    info = msgspec.inspect.type_info(PostInput)
    assert isinstance(info, msgspec.inspect.StructType)
    for f in info.fields:
        max_length = getattr(f.type, "max_length", None)
        if max_length is not None:
            limits[f.name] = int(max_length)
    return limits


LIMITS = _limits()


def _explain(error: msgspec.ValidationError, name: str, typed: Any) -> str:
    """msgspec's message for one field, said for the person filling in the form."""
    text = str(error)
    if "length >= 1" in text:
        return {"title": "Enter a title.", "body": "Write the text of your post."}.get(name, "Fill this in.")
    if match := re.search(r"`(str|array)` of length <= (\d+)", text):
        if match[1] == "array":
            return f"Choose at most {match[2]}."
        size = len(typed) if isinstance(typed, str) else 0
        return f"Keep this to {int(match[2]):,} characters or fewer (you have {size:,})."
    if "Invalid enum value" in text:
        return "Choose one of the options given."
    return "This is not valid."


@dataclass
class PostForm:
    """A practice or request form: what was typed (kept as typed), and a message per field at fault."""

    kind: PostKind
    typed: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""

    @classmethod
    def blank(cls, kind: PostKind) -> PostForm:
        return cls(
            kind,
            {name: "" for name in TEXT} | {"phases": [], "themes": "", "resources": []} | dict.fromkeys(CHOICES, ""),
        )

    @classmethod
    def of_post(cls, view: PostView) -> PostForm:
        form = cls.blank(view.kind)
        for name in TEXT:
            form.typed[name] = str(getattr(view, name, "") or "")
        for name in CHOICES:
            value = getattr(view, name)
            form.typed[name] = value.value if value is not None else ""
        form.typed["reason"] = ""
        form.typed["phases"] = list(view.phases)
        form.typed["themes"] = ", ".join(view.themes)
        form.typed["resources"] = [{"title": r.get("title", ""), "url": r.get("url", "")} for r in view.resources]
        return form

    @classmethod
    def submitted(cls, kind: PostKind, form: FormMultiDict) -> PostForm:
        typed: dict[str, Any] = {name: str(form.get(name, "")) for name in (*TEXT, *CHOICES, "themes")}
        typed["phases"] = [str(p) for p in form.getall("phases", [])]
        titles = [str(t) for t in form.getall("resource_title", [])]
        urls = [str(u) for u in form.getall("resource_url", [])]
        rows = [{"title": t, "url": u} for t, u in zip(titles, urls, strict=False)]
        typed["resources"] = [r for r in rows if r["title"].strip() or r["url"].strip()]
        return cls(kind, typed)

    @property
    def theme_list(self) -> list[str]:
        return [t.strip() for t in str(self.typed["themes"]).split(",") if t.strip()]

    def resource_rows(self) -> list[dict[str, str]]:
        """The filled rows and a couple of empty ones (without JavaScript there is no "add a row")."""
        rows = list(self.typed["resources"])
        spare = max(0, min(RESOURCE_ROWS_SPARE, LIMITS["resources"] - len(rows)))
        return rows + [{"title": "", "url": ""} for _ in range(spare)]

    def values(self) -> dict[str, Any]:
        """The fields of this kind as the domain takes them."""
        values: dict[str, Any] = {}
        for name in FIELDS[self.kind]:
            if name == "themes":
                values[name] = self.theme_list
            elif name == "resources":
                values[name] = [{"title": r["title"].strip(), "url": r["url"].strip()} for r in self.typed[name]]
            elif name in CHOICES:
                values[name] = self.typed[name] or None
            else:
                values[name] = self.typed[name]
        return values

    def check(self) -> bool:
        """Check every field against the domain's types; a message per broken field. True when all pass."""
        values = self.values()
        for name, value in values.items():
            if name in ("title", "body") and not str(value).strip():
                self.errors[name] = _explain(msgspec.ValidationError("length >= 1"), name, value)
                continue
            try:
                msgspec.convert({name: value}, PostEdit)
            except msgspec.ValidationError as exc:
                self._explain_list(name, value, exc)
        return not self.errors

    def _explain_list(self, name: str, value: Any, exc: msgspec.ValidationError) -> None:
        if name == "themes" and len(value) <= LIMITS["themes"]:
            for theme in value:
                try:
                    msgspec.convert({"themes": [theme]}, PostEdit)
                except msgspec.ValidationError as item_exc:
                    if "length <=" in str(item_exc):
                        self.errors[name] = f"“{theme}” is too long for a theme."
                    else:
                        self.errors[name] = f"“{theme}”: use letters, numbers, spaces and hyphens only."
                    return
        if name == "resources" and len(value) <= LIMITS["resources"]:
            for i, row in enumerate(value):
                if message := _resource_part("title", row["title"]):
                    self.errors[f"resource-{i}-title"] = message
                if message := _resource_part("url", row["url"]):
                    self.errors[f"resource-{i}-url"] = message
            if any(key.startswith("resource-") for key in self.errors):
                return
        if name == "resources" and len(value) > LIMITS["resources"]:
            self.errors[name] = f"Give at most {LIMITS['resources']} resources."
            return
        self.errors[name] = _explain(exc, name, self.typed.get(name, value))

    def previews(self) -> list[tuple[str, str]]:
        """(label, sanitised HTML) for each markdown field written so far."""
        names = [n for n in FIELDS[self.kind] if n in MARKDOWN and str(self.typed.get(n, "")).strip()]
        return [(field_label(self.kind, n), rendered(str(self.typed[n]), 4)) for n in names]


def _resource_part(name: str, text: str) -> str:
    """The message for one part of a resource row ("" when it is fine), checked against `Resource`."""
    if not text:
        return "Give this resource a title." if name == "title" else "Enter the resource's web address."
    sample = {"title": "a title", "url": "https://example.org"} | {name: text}
    try:
        msgspec.convert(sample, Resource)
    except msgspec.ValidationError as exc:
        if name == "url" and "regex" in str(exc):
            return "Enter a web address that starts with https:// or http://, without spaces."
        return _explain(exc, name, text)
    return ""


def field_label(kind: PostKind, name: str) -> str:
    if name == "body":
        return "What we need" if kind is PostKind.REQUEST else "The practice"
    return {
        "what_we_did": "What we did",
        "what_we_stopped": "What we stopped doing",
        "impact": "Impact",
        "evidence_strength": "Strength of evidence",
        "support_type": "Kind of support",
    }.get(name, label(name).capitalize())


def _kind(value: str | None) -> PostKind:
    try:
        return PostKind(value or "practice")
    except ValueError:
        return PostKind.PRACTICE


def _refusal(access: Access, refusal: DomainError) -> str:
    """Why the reader cannot post here (`posts.create_refusal` said they cannot), said for a newcomer."""
    membership = access.membership
    if membership is None:
        return f"Join {access.network.name} to post in it."
    if membership.role.value == "observer":
        return "Observers read the network's posts but do not post, reply or offer."
    if membership.state.value == "pending":
        return f"Your request to join {access.network.name} is waiting for a lead; you can post once it is approved."
    return refusal.message


@dataclass
class Where:
    """Where a form belongs: its network, the address it posts to, and the post it edits (if any)."""

    network: Network
    action: str
    post: PostView | None = None
    editing_other: bool = False
    reviewed: str = ""  # a new post will wait for a lead (pre-moderation): the rule, in words


async def render_form(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    form: PostForm,
    where: Where,
    *,
    preview: bool = False,
    refusal: str = "",
    status_code: int = 200,
) -> Response[Any]:
    return await page(
        "compose.html",
        request,
        db,
        viewer,
        status_code=status_code,
        form=form,
        network=where.network,
        action=where.action,
        post=where.post,
        editing_other=where.editing_other,
        reviewed=where.reviewed,
        preview=preview,
        refusal=refusal,
        label=label,
        field_label=field_label,
        limits=LIMITS,
        phases=list(Phase),
        evidence=[(e.value, label(e).capitalize(), EVIDENCE_MEANING[e]) for e in EvidenceStrength],
        support_types=[(s.value, label(s).capitalize(), "") for s in SupportType],
        urgencies=[(u.value, label(u).capitalize(), "") for u in Urgency],
    )


@dataclass
class Answer:
    """A compose or edit form being answered: shown (again), previewed, or refused with its messages."""

    request: Request[Any, Any, Any]
    db: AsyncSession
    viewer: Person
    form: PostForm
    where: Where

    async def show(self, *, preview: bool = False, refusal: str = "", status_code: int = 200) -> Response[Any]:
        return await render_form(
            self.request,
            self.db,
            self.viewer,
            self.form,
            self.where,
            preview=preview,
            refusal=refusal,
            status_code=status_code,
        )

    async def preview_or_check(self, submitted: FormMultiDict, verb: str) -> Response[Any] | None:
        """The preview when it was asked for, or the form with a message per field at fault; None to go ahead."""
        if submitted.get("action") == "preview":
            return await self.show(preview=True)
        if not self.form.check():
            self.form.problem = f"Some answers need changing before this can be {verb}."
            return await self.show(status_code=422)
        return None

    async def refused(self, exc: DomainError) -> Response[Any]:
        """The domain's refusal, shown on the form with what was typed kept."""
        self.form.problem, self.form.errors = exc.message, dict(exc.fields)
        return await self.show(status_code=exc.status)


async def _editing(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person, post_id: int
) -> tuple[Access, Post, PostView, Where] | Response[Any]:
    """The post to edit, as the form shows it, and where the form belongs; the 404 page when it may not be read."""
    try:
        access, post_ = await posts.open_post(db, post_id, viewer)
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    view = await posts.describe_post(db, post_, access.network.slug)
    return access, post_, view, Where(access.network, f"/posts/{post_id}/edit", view, post_.author_id != viewer.id)


async def _composing(db: AsyncSession, access: Access, slug: str) -> Where:
    """Where a new post's form belongs, saying whether the post will wait for a lead's approval."""
    held = await gatekeeping.premoderated(db, access)
    return Where(
        access.network,
        f"/networks/{slug}/new",
        reviewed=gatekeeping.premod_rule(access.network.premod_posts) if held else "",
    )


class ComposePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/networks/{slug:str}/new", summary="Compose a practice or request")
    async def new(
        self,
        request: Request[Any, Any, Any],
        db: Db,
        viewer: Viewer,
        slug: FromPath[str],
        kind: FromQuery[str | None] = None,
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first(f"/networks/{slug}/new")
        try:
            access = await open_network(db, slug, viewer)
        except NotFound as exc:
            return await not_found(request, db, viewer, exc.message)
        refused = posts.create_refusal(access)
        refusal = _refusal(access, refused) if refused else ""
        where = await _composing(db, access, slug)
        form = PostForm.blank(_kind(kind))
        return await render_form(request, db, viewer, form, where, refusal=refusal, status_code=403 if refusal else 200)

    @post("/networks/{slug:str}/new", summary="Publish a practice or request, or preview it")
    async def publish(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first(f"/networks/{slug}/new")
        submitted = await read_form(request)
        form = PostForm.submitted(_kind(str(submitted.get("kind", ""))), submitted)
        try:
            access = await open_network(db, slug, viewer)
        except NotFound as exc:
            return await not_found(request, db, viewer, exc.message)
        answer = Answer(request, db, viewer, form, await _composing(db, access, slug))
        if (stop := await answer.preview_or_check(submitted, "published")) is not None:
            return stop
        try:
            data = msgspec.convert({"kind": form.kind.value, **form.values()}, PostInput)
        except msgspec.ValidationError as exc:  # check() passed, so this is not expected; say it anyway
            form.problem = f"This could not be published: {exc}."
            return await answer.show(status_code=422)
        return await post_action(
            db,
            lambda: posts.create_post(db, access, data),
            then=lambda created: f"/posts/{created.id}",
            refused=answer.refused,
        )

    @get("/posts/{post_id:int}/edit", summary="Edit a practice or request")
    async def edit(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first(f"/posts/{post_id}/edit")
        opened = await _editing(request, db, viewer, post_id)
        if isinstance(opened, Response):
            return opened
        access, post_, view, where = opened
        answer = Answer(request, db, viewer, PostForm.of_post(view), where)
        refused = posts.edit_refusal(access, post_)
        if refused is not None:
            return await answer.show(refusal=refused.message, status_code=refused.status)
        return await answer.show()

    @post("/posts/{post_id:int}/edit", summary="Save an edit (the previous version is kept), or preview it")
    async def save(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first(f"/posts/{post_id}/edit")
        opened = await _editing(request, db, viewer, post_id)
        if isinstance(opened, Response):
            return opened
        access, post_, _view, where = opened
        submitted = await read_form(request)
        form = PostForm.submitted(post_.kind, submitted)
        answer = Answer(request, db, viewer, form, where)
        if (stop := await answer.preview_or_check(submitted, "saved")) is not None:
            return stop
        try:
            data = msgspec.convert({**form.values(), "reason": form.typed["reason"]}, PostEdit)
        except msgspec.ValidationError as exc:  # the other fields passed check(): the reason is at fault
            form.errors["reason"] = _explain(exc, "reason", form.typed["reason"])
            form.problem = "Some answers need changing before this can be saved."
            return await answer.show(status_code=422)
        return await post_action(
            db,
            lambda: posts.edit_post(db, access, post_, data),
            then=lambda _: f"/posts/{post_id}",
            refused=answer.refused,
        )

    @post("/compose/preview", summary="The preview of a form's markdown (asked for by htmx as one types)")
    async def preview(self, request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Response[Any]:
        if viewer is None:
            return sign_in_first("/networks")
        submitted = await read_form(request)
        form = PostForm.submitted(_kind(str(submitted.get("kind", ""))), submitted)
        return await page("partials/compose_preview.html", request, db, viewer, form=form)


handlers = [ComposePages]
