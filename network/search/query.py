"""What a searcher typed, read into words, phrases and exclusions: pure, the same on both databases.

Nothing typed is ever handed to a database's own query syntax. Words are runs of letters and digits
(punctuation, operators and control characters separate them, as both indexes' tokenisers do); a
quoted run is a phrase; a leading `-` leaves a word or phrase out. The result is written out again
for each index (`websearch()` for PostgreSQL's websearch_to_tsquery, `fts5()` for SQLite's MATCH)
from these parts alone, so unbalanced quotes, operator soup or a NUL can only ever mean "fewer words".

Very common English words (PostgreSQL's English stop list, which SQLite's FTS5 lacks) are dropped
from loose words on both, so "the phonics" finds what "phonics" finds on either database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY = 500  # characters read; the rest is ignored, and the searcher told
MAX_TERMS = 12  # words and phrases (kept or left out) in one search
MAX_WORD = 60
_WORD = re.compile(r"[^\W_]+")
_QUOTES = '"\u201c\u201d\u201e'
# a phrase in quotes, optionally left out; or a run of anything else but whitespace
_TOKEN = re.compile(r"(-?)[\"\u201c\u201d\u201e]([^\"\u201c\u201d\u201e]*)(?:[\"\u201c\u201d\u201e]|$)|(\S+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ue000-\uf8ff]")

# PostgreSQL's english.stop (the Snowball list)
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most
    other some such no nor not only own same so than too very s t can will just don should now""".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Query:
    """A search read into its parts; `note` says, in a sentence, what was dropped or why nothing is searched."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def searchable(self) -> bool:
        """Something to look for (leaving words out alone finds nothing)."""
        return bool(self.words or self.phrases)

    @property
    def terms(self) -> list[str]:
        """Every word looked for, once each, for highlighting and for display."""
        seen: dict[str, None] = {}
        for word in (*self.words, *(w for p in self.phrases for w in p)):
            seen.setdefault(word, None)
        return list(seen)

    def websearch(self) -> str:
        """The query for PostgreSQL's websearch_to_tsquery (which never raises on its input)."""
        parts = [*self.words, *(f'"{" ".join(p)}"' for p in self.phrases)]
        parts += [f'-"{" ".join(x)}"' if len(x) > 1 else f"-{x[0]}" for x in self.excluded]
        return " ".join(parts)

    def fts5(self) -> str:
        """The query for SQLite's FTS5 MATCH: every word a quoted string, so no word is an operator."""
        kept = " AND ".join(_string(p) for p in [*((w,) for w in self.words), *self.phrases])
        left_out = "".join(f" NOT {_string(x)}" for x in self.excluded)
        return f"({kept}){left_out}" if kept else ""

    def websearch_any(self) -> str:
        """PostgreSQL's query for a post that has any of the words or phrases (related practice)."""
        return " or ".join([*self.words, *(f'"{" ".join(p)}"' for p in self.phrases)])

    def fts5_any(self) -> str:
        """SQLite's query for a post that has any of the words or phrases."""
        return " OR ".join(_string(p) for p in [*((w,) for w in self.words), *self.phrases])

    def longest_word(self) -> str:
        """The longest word looked for (the likeliest to be rare): a saved search's anchor."""
        return max(self.terms, key=len, default="")


def _string(words: tuple[str, ...]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def _words(text: str) -> list[str]:
    return [w[:MAX_WORD].lower() for w in _WORD.findall(text)]


def distinct_words(text: str, *, whole: bool = False) -> list[str]:
    """Each word of a text once, as a query's words are read (lower-cased, in order of first use);
    `whole`: not cut at `MAX_WORD`, as an index reads a text's words."""
    found = (w.lower() for w in _WORD.findall(text)) if whole else _words(text)
    return list(dict.fromkeys(found))


def fts5_any(words: list[str]) -> str:
    """SQLite's FTS5 MATCH for any one of these words, each a quoted string (so no word is an operator)."""
    return " OR ".join(_string((w,)) for w in words)


def parse(text: str) -> Query:
    """The parts of what was typed (see the module's docstring); never raises."""
    notes: list[str] = []
    cleaned = _CONTROL.sub(" ", text)
    if len(cleaned) > MAX_QUERY:
        cut = cleaned[:MAX_QUERY]
        # at a word's end: the last word is not searched as a fragment of itself
        cleaned = cut if cleaned[MAX_QUERY].isspace() or not cut.strip() else cut.rsplit(None, 1)[0]
        notes.append(f"Only the first {MAX_QUERY} characters were searched.")
    words: dict[str, None] = {}
    phrases: dict[tuple[str, ...], None] = {}
    excluded: dict[tuple[str, ...], None] = {}
    common: list[str] = []
    for match in _TOKEN.finditer(cleaned):
        minus, quoted, loose = match.groups()
        if quoted is not None:
            found = tuple(_words(quoted))
            leave_out = bool(minus)
        else:
            leave_out = loose.startswith("-") and len(loose) > 1
            found = tuple(_words(loose))
        if not found:
            continue
        if leave_out:
            excluded.setdefault(found, None)
        elif len(found) > 1 and (quoted is not None or _joined(loose)):
            phrases.setdefault(found, None)  # quoted, or joined by punctuation (snake_case, a-b)
        else:
            for word in found:
                if word in STOP_WORDS:
                    common.append(word)
                else:
                    words.setdefault(word, None)
    kept = list(words) + [" ".join(p) for p in phrases]
    if len(kept) + len(excluded) > MAX_TERMS:
        notes.append(f"Only the first {MAX_TERMS} words and phrases were searched.")
    room = MAX_TERMS
    chosen_words = tuple(list(words)[:room])
    room -= len(chosen_words)
    chosen_phrases = tuple(list(phrases)[: max(room, 0)])
    room -= len(chosen_phrases)
    chosen_excluded = tuple(list(excluded)[: max(room, 0)])
    if not chosen_words and not chosen_phrases:
        if common:
            notes.append(
                f"“{' '.join(dict.fromkeys(common))}” {'is' if len(set(common)) == 1 else 'are'} too common to "
                "search for on its own: add a more particular word."
            )
        elif chosen_excluded:
            notes.append("Add a word to look for as well as the words to leave out.")
    return Query(chosen_words, chosen_phrases, chosen_excluded, tuple(notes))


def _joined(token: str | None) -> bool:
    """Words in one whitespace-free token joined by punctuation ("snake_case", "well-being")."""
    return token is not None and not token.startswith("-")
