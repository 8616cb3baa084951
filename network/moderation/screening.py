"""A network's filters, applied to text a member writes.

Leads keep a list of watched words, each of which blocks the text, holds it for a lead's review, or lets it
through flagged. Pupils' personal data found by `network.moderation.personal_data` is always a hold, never a block: the
patterns can be wrong, and a lead should judge rather than the writer being turned away. Leads' regular
expressions run against every post, so `check_pattern` refuses those that could match nothing at all or that
nest repetition (the shape behind catastrophic backtracking).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from network.enums import ScreenAction
from network.moderation.personal_data import find_personal_data

_STRENGTH = {ScreenAction.BLOCK: 3, ScreenAction.HOLD: 2, ScreenAction.FLAG: 1}


@dataclass(frozen=True, slots=True)
class WatchedWord:
    pattern: str
    is_regex: bool
    action: ScreenAction
    message: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    action: ScreenAction
    source: str
    label: str
    excerpt: str
    message: str


MAX_PATTERN_LENGTH = 200

DEFAULT_BLOCK_MESSAGE = "This uses wording this network does not allow. Please change it and try again."
_HOLD_MESSAGE = "This uses wording this network holds for review, so a network lead will read it before others can."
_FLAG_MESSAGE = "This uses wording this network's leads keep an eye on, so it has been flagged for them to look at."
_PERSONAL_DATA_MESSAGE = (
    "This looks like it may include {label}. Pupils' personal data should not be shared here, "
    "so a network lead will review it before others can see it."
)

# Texts a usable pattern must not match with zero width (an empty match would hit every post).
_EMPTY_PROBES = ("", "a", "A b", "1 _", "x\ny", "  ")
_BRACES_RE = re.compile(r"\{(\d*)(,?)(\d*)\}")


def check_pattern(pattern: str, is_regex: bool) -> str | None:
    """None when `pattern` can be used as a watched word, else why not, in words a lead can act on.

    Nested repetition is refused because it is exponential. Unbounded repetition (`+`, `*`, `{2,}`) is
    refused too: `[a-z]+ing` is quadratic on a long run of letters (seconds on a 40,000-character post,
    with every other request waiting), and a bounded `{1,30}` says the same for any real word.
    """
    if not pattern.strip():
        return "The word or pattern is empty."
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"The word or pattern is {len(pattern)} characters long; the limit is {MAX_PATTERN_LENGTH}."
    if not is_regex:
        return None
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        return f"This is not a valid regular expression: {exc}."
    if _has_nested_repetition(pattern):
        return (
            "This pattern repeats a group that itself contains a repeat or alternatives, like (a+)+, (a*)* or "
            "(a|a)*; that can take an extremely long time on some posts. Rewrite it without the nested repetition."
        )
    if _has_unbounded_repeat(pattern):
        return (
            "Use a bounded repeat such as {1,30} instead of +, * or {n,}: an unbounded repeat can make "
            "checking a long post take seconds."
        )
    for probe in _EMPTY_PROBES:
        if any(match.end() == match.start() for match in compiled.finditer(probe)):
            return (
                "This pattern can match empty text, so it would match every post; make at least one character required."
            )
    return None


@dataclass(slots=True)
class _Group:
    """What one parenthesised group (or the whole pattern) contains, as far as backtracking is concerned."""

    repeats_inside: bool = False
    has_alternatives: bool = False
    literal: bool = True
    alternatives: list[list[str]] = field(default_factory=lambda: [[]])

    def ambiguous_when_repeated(self) -> bool:
        if self.repeats_inside:
            return True
        if not self.has_alternatives:
            return False
        # Plain words whose first letters all differ cannot overlap, so (cat|dog)+ is safe; anything else is not.
        if not self.literal or any(not alternative for alternative in self.alternatives):
            return True
        firsts = [alternative[0].casefold() for alternative in self.alternatives]
        return len(set(firsts)) != len(firsts)


def _quantifier(pattern: str, index: int) -> tuple[int, bool]:
    """The length of a quantifier at `index` (0 if none) and whether it allows more than one repetition."""
    if index >= len(pattern):
        return 0, False
    char = pattern[index]
    if char in "*+?":
        length, repeats = 1, char != "?"
    elif char == "{" and (braces := _BRACES_RE.match(pattern, index)) is not None and braces.group() != "{}":
        low, comma, high = braces.groups()
        length = braces.end() - index
        repeats = (comma == "," and high == "") or int(high or low or "0") > 1
    else:
        return 0, False
    if index + length < len(pattern) and pattern[index + length] in "?+":
        length += 1  # lazy or possessive
    return length, repeats


def _class_end(pattern: str, index: int) -> int:
    """The index just past the character class that opens at `index`."""
    index += 1
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1


def _group_opening(pattern: str, index: int) -> tuple[int, bool]:
    """The index just past a group's opening at `index`, and whether it opens a group with content."""
    if pattern.startswith("(?", index):
        rest = pattern[index + 2 : index + 4]
        if rest[:1] in (":", "=", "!", ">"):
            return index + 3, True
        if rest in ("<=", "<!"):
            return index + 4, True
        if rest == "P<" or rest[:1] == "<":
            return pattern.index(">", index) + 1, True
        if rest == "P=" or rest[:1] == "#":
            return pattern.index(")", index) + 1, False
        if rest[:1] == "(":
            return pattern.index(")", index + 2) + 1, True
        end = index + 2
        while pattern[end] not in ":)":
            end += 1
        return end + 1, pattern[end] == ":"
    return index + 1, True


def _has_unbounded_repeat(pattern: str) -> bool:
    """Whether a `+`, `*` or `{n,}` repeat appears outside escapes and character classes."""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
        elif char == "[":
            index = _class_end(pattern, index)
        elif char in "*+":
            return True
        elif char == "{" and (braces := _BRACES_RE.match(pattern, index)) is not None:
            if braces.group(2) == "," and braces.group(3) == "":
                return True
            index = braces.end()
        else:
            index += 1
    return False


def _has_nested_repetition(pattern: str) -> bool:
    """Whether a repeated group contains a repeat, or alternatives that could overlap. Assumes a valid pattern."""
    stack = [_Group()]
    index = 0
    while index < len(pattern):
        char = pattern[index]
        group = stack[-1]
        if char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if escaped.isalnum():
                group.literal = False
            else:
                group.alternatives[-1].append(escaped)
            index += 2
        elif char == "[":
            group.literal = False
            index = _class_end(pattern, index)
        elif char == "(":
            index, opens = _group_opening(pattern, index)
            if opens:
                stack.append(_Group())
            else:
                group.literal = False
        elif char == ")":
            inner = stack.pop()
            length, repeats = _quantifier(pattern, index + 1)
            if repeats and inner.ambiguous_when_repeated():
                return True
            parent = stack[-1]
            parent.repeats_inside = parent.repeats_inside or inner.repeats_inside or length > 0
            parent.literal = False
            index += 1 + length
        elif char == "|":
            group.has_alternatives = True
            group.alternatives.append([])
            index += 1
        else:
            length, _ = _quantifier(pattern, index)
            if length:
                group.repeats_inside = True
                group.literal = False
                index += length
            else:
                if char in ".^$":
                    group.literal = False
                else:
                    group.alternatives[-1].append(char)
                index += 1
    return False


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str, is_regex: bool) -> re.Pattern[str] | None:
    if check_pattern(pattern, is_regex) is not None:
        return None
    if is_regex:
        return re.compile(pattern, re.IGNORECASE)
    parts = pattern.split()
    body = r"\s+".join(re.escape(part) for part in parts)
    start = r"(?<!\w)" if re.match(r"\w", parts[0]) else ""
    end = r"(?!\w)" if re.match(r"\w", parts[-1][-1]) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def _watched_hit(word: WatchedWord, excerpt: str) -> Hit:
    kind = "pattern" if word.is_regex else "word"
    if word.action is ScreenAction.BLOCK:
        message = word.message or DEFAULT_BLOCK_MESSAGE
    elif word.action is ScreenAction.HOLD:
        message = _HOLD_MESSAGE
    else:
        message = _FLAG_MESSAGE
    return Hit(word.action, "watched_word", f"watched {kind} '{word.pattern}'", excerpt, message)


def screen(text: str, words: Sequence[WatchedWord], *, personal_data: bool = True) -> list[Hit]:
    """Every watched word that `text` contains (its first occurrence) and, unless turned off, each piece of
    apparent personal data as a hold; in order of where they appear. Words that fail `check_pattern` are skipped.
    """
    found: list[tuple[int, int, Hit]] = []
    for word in words:
        compiled = _compiled(word.pattern, word.is_regex)
        if compiled is None:
            continue
        match = next((match for match in compiled.finditer(text) if match.end() > match.start()), None)
        if match is not None:
            found.append((match.start(), len(found), _watched_hit(word, match.group())))
    if personal_data:
        for finding in find_personal_data(text):
            message = _PERSONAL_DATA_MESSAGE.format(label=finding.label)
            hit = Hit(ScreenAction.HOLD, "personal_data", finding.label, finding.excerpt, message)
            found.append((max(text.find(finding.excerpt), 0), len(found), hit))
    return [hit for _, _, hit in sorted(found, key=lambda item: (item[0], item[1]))]


def hit_record(hit: Hit) -> dict[str, str]:
    """A hit as a queue entry keeps it, for the leads to see what matched."""
    return {"source": hit.source, "label": hit.label, "excerpt": hit.excerpt[:200], "action": hit.action.value}


def strongest(hits: Sequence[Hit]) -> Hit | None:
    """The first hit with the strongest action (block, then hold, then flag), or None when there are none."""
    best: Hit | None = None
    for hit in hits:
        if best is None or _STRENGTH[hit.action] > _STRENGTH[best.action]:
            best = hit
    return best
