"""Staff-written markdown to safe HTML, plain text and @mentions.

Two layers on purpose: markdown-it runs with `html=False`, so it never emits raw HTML from the
source, but it is a parser, not a security boundary. nh3 runs on every result with an explicit
allow-list and is the single gate that guarantees what reaches a page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from html import escape, unescape
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
        "em", "strong", "del", "s", "ul", "ol", "li", "a",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
# nh3's reusable form of `nh3.clean`: the allow-list is compiled once and cannot be changed.
# Attributes not listed are dropped: no style (markdown-it's table alignment), class (fence
# languages), id or on* handler survives. Relative URLs pass through (ammonia's default).
_SANITISER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=frozenset({"script", "style"}),  # dropped with their content, not unwrapped
    attributes={"a": frozenset({"href", "title"}), "ol": frozenset({"start"})},
    url_schemes=frozenset({"http", "https", "mailto"}),
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
)


@functools.lru_cache(maxsize=1024)
def render(text: str) -> str:
    """Markdown to HTML that is safe to insert into a page unescaped (a pure function, so the
    posts a feed shows again and again are rendered once: it was a quarter of a feed request)."""
    return _SANITISER.clean(_MD.render(text))


_HEADING = re.compile(r"<(/?)h([1-6])>")


def nest_headings(html: str, top: int) -> str:
    """Sanitised HTML with its headings moved under a page's own: the highest level the text uses becomes
    `top`, and each lower level the next one down, so the text's outline keeps its shape (`#` over `##`
    over `###`) whatever level it starts at; gaps close up (`#` then `###` reads as two levels), and
    only a text using more levels than there is room for below `top` ends at h6. The sanitiser leaves
    heading tags without attributes, so the tags match exactly."""
    levels = sorted({int(m[2]) for m in _HEADING.finditer(html)})
    if not levels:
        return html
    rank = {level: min(6, top + n) for n, level in enumerate(levels)}
    return _HEADING.sub(lambda m: f"<{m[1]}h{rank[int(m[2])]}>", html)


# A whole tag (quoted attribute values may hold ">"), and the elements whose text is never a mention.
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z0-9]+)")
_NOT_MENTIONS = frozenset({"a", "code", "pre"})


def link_mentions(html: str, names: Mapping[int, str], href: str) -> str:
    """Sanitised HTML with each `@Display Name` of these people (id → name) made a link, `href` with the
    person's id in place of `{}`, of class `mention`. A name is matched as a mention notifies
    (`network.content.followers.mentioned`): case-insensitive, whole, the longest name first. Text in
    links and code is left alone, and a name two people share links neither."""
    if "@" not in html or not names:
        return html
    by_name: dict[str, int | None] = {}
    for person_id, name in names.items():
        key = name.strip().lower()
        if key:
            by_name[key] = None if key in by_name else person_id
    linked = {key: person_id for key, person_id in by_name.items() if person_id is not None}
    if not linked:
        return html
    alternatives = "|".join(re.escape(key) for key in sorted(linked, key=len, reverse=True))
    pattern = re.compile(rf"@({alternatives})(?![\w-])", re.IGNORECASE)
    parts, skipped = [], 0
    for part in _TAG.split(html):
        tag = _TAG_NAME.match(part) if part.startswith("<") else None
        if tag is not None:
            if tag[2].lower() in _NOT_MENTIONS:
                skipped = max(0, skipped - 1) if tag[1] else skipped + 1
            parts.append(part)
        elif skipped or "@" not in part:
            parts.append(part)
        else:
            parts.append(_linked_text(unescape(part), pattern, linked, href))
    return "".join(parts)


def _linked_text(text: str, pattern: re.Pattern[str], linked: Mapping[str, int], href: str) -> str:
    """Plain text escaped again, with its mentions as links."""
    pieces, last = [], 0
    for match in pattern.finditer(text):
        link = href.format(linked[match[1].lower()])
        pieces += [escape(text[last : match.start()], quote=False), f'<a class="mention" href="{link}">']
        pieces += [escape(match[0], quote=False), "</a>"]
        last = match.end()
    return "".join([*pieces, escape(text[last:], quote=False)])


# Tags whose boundaries separate words in the text (markdown-it's newlines are not relied on).
_BREAKING_TAGS = _TAGS - {"a", "code", "em", "strong", "del", "s"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKING_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKING_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str, limit: int | None = None) -> str:
    """The rendered text without tags, whitespace collapsed, for excerpts and notifications.

    The result is plain text, not HTML: escape it where it is inserted. With `limit`, a longer
    text is cut on a word boundary and ends in "…", the whole being at most `limit` characters
    (a single word longer than that is cut mid-word).
    """
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")
    collector = _TextCollector()
    collector.feed(render(text))
    collector.close()
    flat = " ".join("".join(collector.parts).split())
    if limit is None or len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    if flat[limit - 1] != " " and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:") + "…"


# `@` at the start or after whitespace or `(`; the run of handle characters is taken whole
# and checked afterwards, so a too-long run is no mention rather than a truncated one.
# ASCII only: under IGNORECASE, [a-z] would otherwise match the Kelvin sign and long s.
_MENTION = re.compile(r"(?<![^\s(])@([a-z0-9][a-z0-9._-]*)(@?)", re.IGNORECASE | re.ASCII)
_HANDLE = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}", re.IGNORECASE | re.ASCII)
_OPAQUE = "\x00"  # stands in for code spans and images: neither whitespace nor a handle character


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("code_inline", "image"):
            parts.append(_OPAQUE)
        # emphasis, strike and link open/close markers are transparent
    return "".join(parts)


def mentions(text: str) -> list[str]:
    """The distinct @handles outside code, lowercased, in order of first appearance.

    A trailing "." is read as sentence punctuation (`thanks @sam.` mentions `sam`). An address
    like `a@b.org` is not a mention, nor is `@x@b.org`.
    """
    inline = [
        _inline_text(token.children or [])
        for token in _MD.parse(text)
        if token.type == "inline"  # fences and indented code are block tokens, never inline
    ]
    found: dict[str, None] = {}
    for match in _MENTION.finditer("\n".join(inline)):
        handle, at = match.group(1).rstrip("."), match.group(2)
        if not at and _HANDLE.fullmatch(handle):
            found.setdefault(handle.lower(), None)
    return list(found)
