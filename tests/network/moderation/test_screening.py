"""A network's watched words and the personal-data check, applied to what a member writes."""

from __future__ import annotations

import re

import pytest

from network.moderation.screening import (
    DEFAULT_BLOCK_MESSAGE,
    Hit,
    ScreenAction,
    WatchedWord,
    check_pattern,
    screen,
    strongest,
)


def word(
    pattern: str, action: ScreenAction = ScreenAction.FLAG, *, regex: bool = False, message: str = ""
) -> WatchedWord:
    return WatchedWord(pattern=pattern, is_regex=regex, action=action, message=message)


# --- check_pattern -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "is_regex"),
    [
        ("cheap essays", False),
        ("ass", False),
        ("£££", False),
        ("x" * 200, False),
        ("x" * 200, True),
        (r"essay\s{1,3}mills?", True),
        ("colou?r", True),
        ("(cat|dog){1,5}", True),
        ("(?:ab){1,9}c", True),
        (r"\d{3}-\d{4}", True),
        ("(?i)buy now", True),
        (r"(?P<word>spam)\s(?P=word)", True),
        ("[a-z]{1,30}ing", True),
        ("[+*]", True),
        (r"a\+b", True),
    ],
)
def test_usable_patterns_are_accepted(pattern: str, is_regex: bool) -> None:
    assert check_pattern(pattern, is_regex) is None


@pytest.mark.parametrize("is_regex", [False, True])
@pytest.mark.parametrize("pattern", ["", "   ", "\t\n"])
def test_an_empty_pattern_is_refused(pattern: str, is_regex: bool) -> None:
    assert check_pattern(pattern, is_regex) == "The word or pattern is empty."


@pytest.mark.parametrize("is_regex", [False, True])
def test_a_pattern_over_200_characters_is_refused(is_regex: bool) -> None:
    reason = check_pattern("x" * 201, is_regex)
    assert reason is not None and "201" in reason and "200" in reason


@pytest.mark.parametrize("pattern", ["(", "[a-z", "a)", "*a", r"\\p{L}x(?<", "(?P<1>x)"])
def test_an_invalid_regex_is_refused_with_what_re_said(pattern: str) -> None:
    with pytest.raises(re.error) as raised:
        re.compile(pattern)
    reason = check_pattern(pattern, True)
    assert reason is not None
    assert reason.startswith("This is not a valid regular expression")
    assert str(raised.value) in reason
    assert check_pattern(pattern, False) is None, "as a plain word the same text is just characters"


@pytest.mark.parametrize("pattern", ["b?", "x?", "^", "$", r"\b", "(?=a)", "a|", "(abc)?", "a{0,3}", ".{0,9}"])
def test_a_regex_that_matches_empty_text_is_refused(pattern: str) -> None:
    reason = check_pattern(pattern, True)
    assert reason is not None and "empty text" in reason


@pytest.mark.parametrize(
    "pattern",
    [
        "(a+)+",
        "(a*)*",
        "(a|a)*",
        "(a|aa)+b",
        r"(?:\w+\s?)+$",
        "((ab)+c)*",
        "(a+){3}",
        "(x+x+)+y",
        "(?:a|b?)+c",
        "(?:[a-z]+)*!",
        "(a?){2,}",
        "(.|x)+y",
        r"(\d|\w)+z",
    ],
)
def test_a_regex_with_nested_repetition_is_refused(pattern: str) -> None:
    reason = check_pattern(pattern, True)
    assert reason is not None and "nested repetition" in reason


# --- screen --------------------------------------------------------------------------------------------------


def test_plain_words_match_whole_words_only() -> None:
    ass = [word("ass", ScreenAction.BLOCK)]
    assert screen("Our Year 3 class assembled in the hall for the class assembly.", ass) == []
    assert screen("Don't be an ass about it.", ass)[0].excerpt == "ass"
    assert screen("passive, bass, assess", ass) == []
    assert screen("ass.", ass) != [] and screen("(ass)", ass) != []


def test_a_phrase_matches_across_any_whitespace_and_any_case() -> None:
    words = [word("cheap essays", ScreenAction.HOLD)]
    [hit] = screen("Get CHEAP   Essays\ntoday", words)
    assert hit.excerpt == "CHEAP   Essays"
    assert hit.label == "watched word 'cheap essays'"
    assert hit.source == "watched_word"
    assert screen("cheap essayshop and cheapessays", words) == []


def test_a_plain_word_made_of_symbols_is_matched_literally() -> None:
    hits = screen("Prices from £££ to $$$ (a.b)", [word("£££"), word("(a.b)"), word("a+b")])
    assert [hit.excerpt for hit in hits] == ["£££", "(a.b)"]


def test_regexes_match_case_insensitively() -> None:
    [hit] = screen("Try our ESSAY  Mill service", [word(r"essay\s{1,3}mills?", ScreenAction.BLOCK, regex=True)])
    assert hit.excerpt == "ESSAY  Mill"
    assert hit.label == "watched pattern 'essay\\s{1,3}mills?'"


@pytest.mark.parametrize("pattern", ["[a-z]+ing", "a*b", "x{2,}", r"essay\s+mill", "(cat|dog)+"])
def test_an_unbounded_repeat_is_refused(pattern: str) -> None:
    # `[a-z]+ing` is quadratic on a long run of letters; a bounded {1,30} says the same for real words
    reason = check_pattern(pattern, True)
    assert reason is not None and "bounded repeat" in reason


def test_a_block_shows_the_word_message_or_a_default() -> None:
    text = "Visit casino-bonus now"
    [hit] = screen(text, [word("casino", ScreenAction.BLOCK, message="No gambling adverts, please.")])
    assert (hit.action, hit.message) == (ScreenAction.BLOCK, "No gambling adverts, please.")
    [hit] = screen(text, [word("casino", ScreenAction.BLOCK)])
    assert hit.message == DEFAULT_BLOCK_MESSAGE
    [hold] = screen(text, [word("casino", ScreenAction.HOLD, message="ignored for holds")])
    [flag] = screen(text, [word("casino", ScreenAction.FLAG, message="ignored for flags")])
    assert hold.message and hold.message != "ignored for holds"
    assert flag.message and flag.message != "ignored for flags"


def test_personal_data_is_a_hold_and_can_be_turned_off() -> None:
    text = "Our pupil Jayden Smith (DOB 12/03/2015) loves the new library."
    hits = screen(text, [])
    assert [(hit.action, hit.source, hit.excerpt) for hit in hits] == [
        (ScreenAction.HOLD, "personal_data", "pupil Jayden Smith"),
        (ScreenAction.HOLD, "personal_data", "DOB 12/03/2015"),
    ]
    assert hits[1].label == "a date of birth" and "a date of birth" in hits[1].message
    assert screen(text, [], personal_data=False) == []


def test_hits_come_in_text_order_one_per_word() -> None:
    text = "Spam first. Then DOB 12/03/2015, then spam again and finally casino."
    hits = screen(text, [word("casino", ScreenAction.BLOCK), word("spam")])
    assert [hit.excerpt for hit in hits] == ["Spam", "DOB 12/03/2015", "casino"]


def test_unusable_stored_words_are_skipped_not_raised() -> None:
    words = [word("(", regex=True), word("(a+)+", regex=True), word("a*", regex=True), word(""), word("spam")]
    assert [hit.excerpt for hit in screen("spam and aaaa", words)] == ["spam"]


def test_nothing_watched_and_nothing_personal_gives_no_hits() -> None:
    assert screen("Year 6 pupils made 4 months' additional progress.", [word("casino")]) == []


# --- strongest -----------------------------------------------------------------------------------------------


def hit(action: ScreenAction, excerpt: str) -> Hit:
    return Hit(action=action, source="watched_word", label=f"watched word '{excerpt}'", excerpt=excerpt, message="")


def test_strongest_is_the_first_hit_of_the_strongest_action() -> None:
    flag, hold, hold_2 = hit(ScreenAction.FLAG, "f"), hit(ScreenAction.HOLD, "h1"), hit(ScreenAction.HOLD, "h2")
    block, block_2 = hit(ScreenAction.BLOCK, "b1"), hit(ScreenAction.BLOCK, "b2")
    assert strongest([]) is None
    assert strongest([flag]) is flag
    assert strongest([flag, hold, hold_2]) is hold
    assert strongest([hold_2, flag, hold]) is hold_2
    assert strongest([flag, hold, block, block_2]) is block
    assert strongest([block_2, hold, block]) is block_2


def test_strongest_of_a_screen_blocks_over_a_personal_data_hold() -> None:
    hits = screen("DOB 12/03/2015 and a casino link", [word("casino", ScreenAction.BLOCK, message="No adverts.")])
    assert [hit.action for hit in hits] == [ScreenAction.HOLD, ScreenAction.BLOCK]
    best = strongest(hits)
    assert best is not None and best.message == "No adverts."


def test_actions_are_their_stored_strings() -> None:
    assert [action.value for action in ScreenAction] == ["block", "hold", "flag"]
    assert ScreenAction("hold") is ScreenAction.HOLD


# --- Long text -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["a", "1", "ab ", "(", "cat dog ", "Aa ", "943 476 "], ids=repr)
def test_long_adversarial_text_completes(unit: str) -> None:
    text = (unit * (40_000 // len(unit) + 1))[:40_000]
    words = [
        word("(cat|dog){1,3}s", ScreenAction.FLAG, regex=True),
        word(r"a{2,5}b", ScreenAction.HOLD, regex=True),
        word("aaaa b", ScreenAction.BLOCK),
        word("cat dog cat dog x"),
    ]
    assert isinstance(screen(text, words), list)
