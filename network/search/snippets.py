"""Marked snippets into safe HTML: everything escaped, and `<mark>` the only markup.

The index marks each match with two private-use characters; here the text is escaped first and only then
does each balanced pair become `<mark>…</mark>` (a stray one, typed into a post, is dropped).
Markdown's own punctuation (`**`, `#`, `[text](url)`) is dropped so a snippet reads as prose.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from network.search.index import START, STOP

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*\)?")
_SYNTAX = re.compile(r"(^|\s)(?:#{1,6}|>|[-*+]|\d+\.)(?=\s)|\*\*|__|`+|~~")
_SPACE = re.compile(r"\s+")
_PAIR = re.compile(re.escape(escape(START)) + "([^" + START + STOP + "]*)" + re.escape(escape(STOP)))


def prose(marked: str) -> str:
    """Markdown punctuation out, whitespace to single spaces."""
    text = _LINK.sub(r"\1", marked)
    text = _SYNTAX.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


def to_html(marked: str) -> Markup:
    """The marked text as safe HTML: escaped, with <mark> around each match."""
    escaped = str(escape(prose(marked)))
    html = _PAIR.sub(r"<mark>\1</mark>", escaped)
    return Markup(html.replace(START, "").replace(STOP, ""))  # noqa: S704 - escaped above; only <mark> added
