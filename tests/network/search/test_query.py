"""Reading what was typed: words, phrases, exclusions and limits, and nothing a database could read as syntax."""

from __future__ import annotations

from network.search import query
from network.search.query import parse


def test_words_phrases_and_exclusions() -> None:
    q = parse('Phonics "early reading" -maths -"key stage" PHONICS')
    assert q.words == ("phonics",)
    assert q.phrases == (("early", "reading"),)
    assert q.excluded == (("maths",), ("key", "stage"))
    assert q.terms == ["phonics", "early", "reading"]
    assert q.websearch() == 'phonics "early reading" -maths -"key stage"'
    assert q.fts5() == '("phonics" AND "early reading") NOT "maths" NOT "key stage"'
    assert q.notes == ()


def test_punctuation_joins_words_into_a_phrase_and_curly_quotes_quote() -> None:
    assert parse("snake_case").phrases == (("snake", "case"),)
    assert parse("well-being").phrases == (("well", "being"),)
    assert parse("\u201cpeer review\u201d").phrases == (("peer", "review"),)
    assert parse("100%").words == ("100",)


def test_unbalanced_quotes_and_operator_soup_are_only_words() -> None:
    q = parse('"attendance data')
    assert q.phrases == (("attendance", "data"),) and q.searchable
    soup = parse('AND OR NOT ( ) * : ^ + ~ { } NEAR(a b) "" " title:x')
    # AND/OR/NOT are common words here, punctuation only separates: what is left is plain words
    assert soup.words == ("b",) and soup.phrases == (("near", "a"), ("title", "x")) and soup.excluded == ()
    assert soup.websearch() == 'b "near a" "title x"'
    assert soup.fts5() == '("b" AND "near a" AND "title x")'
    assert parse("*").searchable is False and parse("()").notes == ()


def test_only_common_words_or_only_exclusions_say_why_nothing_is_searched() -> None:
    common = parse("the and of")
    assert not common.searchable and "too common" in common.notes[0]
    assert "“the and of” are too common" in common.notes[0]
    only_out = parse("-maths")
    assert not only_out.searchable and only_out.notes == ("Add a word to look for as well as the words to leave out.",)
    assert parse("").notes == () and not parse("   ").searchable


def test_control_characters_nul_and_length_are_handled() -> None:
    q = parse("phon\x00ics\x07 read\u2028ing \ue000mark")
    assert q.words == ("phon", "ics", "read", "ing", "mark")
    long = parse("word " * 4000)  # 20 kB
    assert parse("visit " * 1700).words == ("visit",)  # cut at a word's end, not inside one
    assert long.words == ("word",) and long.notes == (f"Only the first {query.MAX_QUERY} characters were searched.",)
    many = parse(" ".join(f"term{n}" for n in range(40)))
    assert len(many.words) == query.MAX_TERMS
    assert many.notes == (f"Only the first {query.MAX_TERMS} words and phrases were searched.",)
    assert len(parse("x" * 500).words[0]) == query.MAX_WORD


def test_a_quote_inside_a_word_cannot_break_out_of_the_fts5_string() -> None:
    q = parse('a"b OR c')  # the quote starts a phrase; no raw quote reaches the FTS5 text
    assert q.fts5().count('"') % 2 == 0
    assert q.longest_word() in q.terms
