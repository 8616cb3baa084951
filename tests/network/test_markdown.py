"""Markdown rendering, sanitising, excerpts and mentions.

Output is checked by parsing it with `html.parser`, so the assertions are about live tags and
attributes as a browser would build them; escaped text such as `&lt;script&gt;` is not a tag
and must not trip them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

import network.markdown
from network import markdown
from network.markdown import mentions, plain_text, render

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
    "em", "strong", "del", "s", "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
FORBIDDEN_TAGS = {
    "script", "svg", "math", "iframe", "object", "embed", "style", "form", "input", "img",
}  # fmt: skip
REL = "nofollow noopener noreferrer"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Parsed:
    elements: list[Element] = field(default_factory=list)
    text: str = ""

    def tags(self) -> list[str]:
        return [e.tag for e in self.elements]

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.parsed.text += data


def parse(html: str) -> Parsed:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.parsed


# What a browser does to a URL before reading its scheme: trim C0 controls and spaces, drop
# tabs and newlines anywhere (WHATWG URL parsing), compare case-insensitively.
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def browser_scheme(url: str) -> str | None:
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def squashed(value: str) -> str:
    return re.sub(r"[\x00-\x20]", "", value).lower()


# --- ordinary markdown -------------------------------------------------------------------


def test_headings_all_levels_kept() -> None:
    html = render("\n\n".join(f"{'#' * n} Level {n}" for n in range(1, 7)))
    assert parse(html).tags() == ["h1", "h2", "h3", "h4", "h5", "h6"]
    assert "<h1>Level 1</h1>" in html
    assert "<h6>Level 6</h6>" in html


def test_emphasis_strong_and_strikethrough() -> None:
    html = render("*soft* **loud** ~~gone~~")
    assert html == "<p><em>soft</em> <strong>loud</strong> <s>gone</s></p>\n"


def test_unordered_list() -> None:
    html = render("- one\n- two\n")
    assert parse(html).tags() == ["ul", "li", "li"]
    assert "<li>one</li>" in html


def test_ordered_list_keeps_start() -> None:
    html = render("3. third\n4. fourth\n")
    assert parse(html).find("ol")[0].attrs == {"start": "3"}
    assert parse(render("1. first\n")).find("ol")[0].attrs == {}


def test_fenced_code_block_keeps_text_but_not_language_class() -> None:
    html = render("```python\nif a < b:\n    pass\n```\n")
    assert html == "<pre><code>if a &lt; b:\n    pass\n</code></pre>\n"


def test_indented_code_block_and_code_span() -> None:
    assert render("    x = 1\n") == "<pre><code>x = 1\n</code></pre>\n"
    assert render("use `a<b`") == "<p>use <code>a&lt;b</code></p>\n"


def test_blockquote_and_rule() -> None:
    assert parse(render("> quoted\n\n---\n")).tags() == ["blockquote", "p", "hr"]


def test_table_renders_and_alignment_style_is_dropped() -> None:
    html = render("| Left | Right |\n|:-----|------:|\n| a | b |\n")
    parsed = parse(html)
    assert parsed.tags() == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    assert all(e.attrs == {} for e in parsed.elements)
    assert "style" not in html


def test_link_gets_rel_and_keeps_title() -> None:
    [a] = parse(render('[site](https://example.org/x?y=1 "The title")')).find("a")
    assert a.attrs == {"href": "https://example.org/x?y=1", "title": "The title", "rel": REL}


@pytest.mark.parametrize(
    "href", ["http://example.org/", "https://example.org/", "mailto:head@school.example", "/networks/x"]
)
def test_allowed_link_targets_survive(href: str) -> None:
    [a] = parse(render(f"[x]({href})")).find("a")
    assert a.attrs["href"] == href
    assert a.attrs["rel"] == REL


def test_disallowed_scheme_link_loses_href() -> None:
    for a in parse(render("[x](ftp://example.org/file)")).find("a"):
        assert "href" not in a.attrs


def test_raw_html_shows_as_text() -> None:
    html = render("a <b>bold</b> c")
    assert parse(html).tags() == ["p"]
    assert parse(html).text.strip() == "a <b>bold</b> c"


# --- hostile input -----------------------------------------------------------------------

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "md-javascript-link": "[x](javascript:alert(1))",
    "md-javascript-mixed-case": "[x](JaVaScRiPt:alert(1))",
    "md-javascript-tab-entity": "[x](java&#x09;script:alert(1))",
    "html-javascript-link": '<a href="javascript:alert(1)">x</a>',
    "md-data-url": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "math-mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "div-style-url": '<div style="background:url(javascript:alert(1))">x</div>',
    "style-block": "<style>body{display:none}</style>",
    "md-image-javascript": "![x](javascript:alert(1))",
    "md-image-tracker": "![x](https://evil.example/track.png)",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "md-vbscript-link": "[x](vbscript:msgbox(1))",
    "autolink-javascript": "<javascript:alert(1)>",
    "link-title-breakout": '[x](https://example.org "\\"><script>alert(1)</script>")',
    "form-input": "<form action=x><input name=y></form>",
    "nested-script": "<<script>script>alert(1)<</script>/script>",
    "escaped-entities": "&lt;script&gt;alert(1)&lt;/script&gt;",
}


# A parser that passes raw HTML through, to test the sanitiser on its own.
LEAKY = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def assert_defused(html: str) -> None:
    parsed = parse(html)
    tags = set(parsed.tags())
    assert not tags & FORBIDDEN_TAGS
    assert tags <= ALLOWED_TAGS
    for element in parsed.elements:
        assert set(element.attrs) <= ALLOWED_ATTRIBUTES.get(element.tag, set()), element
        for name, value in element.attrs.items():
            assert not name.startswith("on"), element
            assert name not in {"style", "class", "id", "src"}, element
            for bad in ("javascript:", "vbscript:", "data:"):
                assert bad not in squashed(value), element
            if name == "href":
                assert browser_scheme(value) in {None, "http", "https", "mailto"}, element


@pytest.mark.parametrize("source", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_is_defused(source: str) -> None:
    assert_defused(render(source))


@pytest.mark.parametrize("source", list(HOSTILE.values()), ids=list(HOSTILE))
def test_sanitiser_alone_defuses_hostile_input(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """nh3 is the gate: it must hold even if the parser passed raw HTML straight through."""
    monkeypatch.setattr(network.markdown, "_MD", LEAKY)
    assert_defused(render(source))


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        '<a href="https://example.org" class="x">x</a>',
    ],
)
def test_checks_catch_unsanitised_html(source: str) -> None:
    """The assertions above can fail: raw parser output, unsanitised, does not pass them."""
    with pytest.raises(AssertionError):
        assert_defused(LEAKY.render(source))


def test_escaped_entities_stay_escaped_text() -> None:
    html = render("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    assert parse(html).text.strip() == "<script>alert(1)</script>"


def test_javascript_link_is_not_a_link() -> None:
    html = render("[x](javascript:alert(1))")
    assert all("href" not in a.attrs for a in parse(html).find("a"))


def test_link_title_breakout_stays_inside_the_attribute() -> None:
    [a] = parse(render('[x](https://example.org "\\"><script>alert(1)</script>")')).find("a")
    assert a.attrs["title"] == '"><script>alert(1)</script>'
    assert a.attrs["href"] == "https://example.org"


def test_image_is_removed() -> None:
    assert parse(render("![x](https://evil.example/track.png)")).find("img") == []


# --- plain_text --------------------------------------------------------------------------


def test_plain_text_strips_tags_and_collapses_whitespace() -> None:
    source = "# Title\n\nSome *soft*   and **loud**\ntext.\n\n- one\n- two\n\n```\ncode  here\n```\n"
    assert plain_text(source) == "Title Some soft and loud text. one two code here"


def test_plain_text_separates_blocks_and_cells() -> None:
    assert plain_text("| a | b |\n|---|---|\n| c | d |\n") == "a b c d"
    assert plain_text("line  \nbreak") == "line break"


def test_plain_text_decodes_entities_and_keeps_raw_html_as_text() -> None:
    assert plain_text("a &amp; b <i>x</i>") == "a & b <i>x</i>"


def test_plain_text_keeps_link_text_not_target() -> None:
    assert plain_text("[click](javascript:alert(1)) here") == "[click](javascript:alert(1)) here"
    assert plain_text("[click](https://example.org) here") == "click here"


def test_plain_text_without_limit_or_under_limit_is_whole() -> None:
    assert plain_text("short text", limit=10) == "short text"
    assert plain_text("short text", limit=100) == "short text"


def test_plain_text_cuts_on_word_boundary() -> None:
    text = "The quick brown fox jumps over the lazy dog"
    assert plain_text(text, limit=12) == "The quick…"
    assert plain_text(text, limit=16) == "The quick brown…"
    assert plain_text(text, limit=11) == "The quick…"
    assert len(plain_text(text, limit=12)) <= 12


def test_plain_text_cut_drops_trailing_punctuation() -> None:
    assert plain_text("Hello, wonderful world", limit=12) == "Hello…"


def test_plain_text_long_word_is_cut_mid_word() -> None:
    assert plain_text("Supercalifragilistic", limit=6) == "Super…"


def test_plain_text_rejects_nonpositive_limit() -> None:
    with pytest.raises(ValueError):
        plain_text("x", limit=0)


# --- mentions ----------------------------------------------------------------------------


def test_mentions_in_order_distinct_lowercased() -> None:
    assert mentions("@Bob and @alice, then @BOB again (@carol.d-e_f)") == ["bob", "alice", "carol.d-e_f"]


def test_email_address_is_not_a_mention() -> None:
    assert mentions("write to head@school.example or a@b.org") == []
    assert mentions("@sam@school.example") == []


def test_mentions_skip_code_spans_and_blocks() -> None:
    source = "Hi @real `@inline`\n\n```\n@fenced\n```\n\n    @indented\n\n~~~\n@tilde\n~~~\n"
    assert mentions(source) == ["real"]


def test_mention_right_after_code_span_is_not_a_mention() -> None:
    assert mentions("`x`@bob") == []


def test_mentions_through_formatting_and_lines() -> None:
    source = "# @head\n\n> **@quoted**\n\n- @item\n\nline\n@nextline [@linked](https://example.org/@url)"
    assert mentions(source) == ["head", "quoted", "item", "nextline", "linked"]


def test_mention_boundaries() -> None:
    assert mentions("thanks @sam.") == ["sam"]
    assert mentions("x@bob y.@bob z-@bob") == []
    assert mentions("@a is too short") == []
    assert mentions("@" + "a" * 63) == ["a" * 63]
    assert mentions("@" + "a" * 64) == []
    assert mentions("@-leading @_x") == []


def test_mentions_ascii_only() -> None:
    assert mentions("@\u212aate") == []  # Kelvin sign, which folds to "k"


def test_no_mentions() -> None:
    assert mentions("") == []
    assert mentions("nothing here @ all") == []


# --- headings under a page's own, and mentions as links -------------------------------------------


@pytest.mark.parametrize(
    ("text", "top", "expected"),
    [
        ("# A\n\n## B\n\n### C", 3, ["h3", "h4", "h5"]),
        ("## A\n\n### B", 3, ["h3", "h4"]),  # the text's top level sits right under the page's
        ("## A\n\n#### B\n\n## C", 2, ["h2", "h3", "h2"]),  # a gap closes up, the order stays
        ("# A\n\n## B\n\n### C\n\n#### D\n\n##### E", 3, ["h3", "h4", "h5", "h6", "h6"]),  # no room left: h6
    ],
)
def test_headings_nest_under_the_page_keeping_their_outline(text: str, top: int, expected: list[str]) -> None:
    html = markdown.nest_headings(markdown.render(text), top)
    assert re.findall(r"<(h[1-6])>", html) == expected
    assert html.count("</h") == len(expected)


def test_text_without_headings_is_left_as_it_is() -> None:
    html = markdown.render("Just **words**.")
    assert markdown.nest_headings(html, 3) == html


NAMES = {1: "Sam Smith", 2: "Sam", 3: "Priya O'Neil", 4: "Twin", 5: "twin"}


def link(person_id: int, words: str) -> str:
    return f'<a class="mention" href="/people/{person_id}">{words}</a>'


def test_mentions_become_links_to_the_people_named() -> None:
    html = markdown.render("Hi @Sam Smith and @sam, and @Priya O'Neil & @Sam Smithers.")
    linked = markdown.link_mentions(html, NAMES, "/people/{}")
    assert link(1, "@Sam Smith") + " and " + link(2, "@sam") in linked
    assert link(3, "@Priya O'Neil") in linked and "&amp; " + link(2, "@Sam") + " Smithers" in linked


def test_mentions_in_links_and_code_or_shared_names_stay_text() -> None:
    text = '[@Sam](https://example.org "a>@Sam") `@Sam` and\n\n    @Sam\n\n@Twin, <b>@Sam</b>'
    linked = markdown.link_mentions(markdown.render(text), NAMES, "/people/{}")
    assert linked.count('class="mention"') == 1  # only the one after the escaped <b>
    assert "&lt;b&gt;" + link(2, "@Sam") + "&lt;/b&gt;" in linked
    assert "@Twin," in linked and "<code>@Sam</code>" in linked
    assert markdown.link_mentions("<p>no one</p>", NAMES, "/people/{}") == "<p>no one</p>"
    assert markdown.link_mentions("<p>@Sam</p>", {}, "/people/{}") == "<p>@Sam</p>"
