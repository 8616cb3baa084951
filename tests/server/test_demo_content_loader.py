"""Reading the demo content file: the records it makes, and data it refuses with the record and field named."""

from __future__ import annotations

import re

import pytest

from network.enums import NetworkKind, PostKind, ReactionKind
from server.demo_content import (
    CONTENT_FILE,
    NETWORKS,
    ORGANISATIONS,
    PEOPLE,
    POSTS,
    SIGN_INS,
    DemoContent,
    DemoContentError,
    DemoReply,
    load,
)

SMALL = '''
organisations = [{ key = "trust", name = "A Trust", kind = "multi_academy_trust" }]
people = [
    { key = "ann", email = "ann@example.org", display_name = "Ann", organisation = "trust" },
    { key = "bob", email = "bob@example.org", display_name = "Bob", organisation = "trust" },
]
sign_ins = [{ person = "ann", role = "lead, Reading Network" }]
common_charter_clauses = ["Be kind."]

[[networks]]
slug = "reading"
name = "Reading Network"
kind = "thematic"
visibility = "public"
join_policy = "open"
description = "Reading."
leads = ["ann"]
members = ["bob"]
charter_preamble = "Members agree to:"
charter_clauses = ["Read."]

[[posts]]
network = "reading"
author = "ann"
kind = "practice"
title = "Phonics"
body = """
One paragraph, \\
in two lines.

Another."""
reactions = { bob = "useful" }

[[posts.replies]]
author = "bob"
body = "Thanks."
'''


def test_a_small_file_makes_the_records() -> None:
    content = load(SMALL)
    assert [person.key for person in content.people] == ["ann", "bob"]
    assert content.sign_ins == (("ann", "lead, Reading Network"),)
    network = content.networks[0]
    assert network.kind is NetworkKind.THEMATIC and network.region is None and network.observers == ()
    assert network.charter == "Members agree to:\n\n1. Read.\n2. Be kind.\n"
    post = content.posts[0]
    assert post.kind is PostKind.PRACTICE
    assert post.body == "One paragraph, in two lines.\n\nAnother."
    assert post.reactions == (("bob", ReactionKind.USEFUL),)
    assert post.replies == (DemoReply("bob", "Thanks."),)
    assert post.phases == () and post.evidence_strength is None and post.offers == ()


def test_the_module_names_come_from_the_content_file() -> None:
    content = load(CONTENT_FILE.read_text(encoding="utf-8"))
    assert content == DemoContent(ORGANISATIONS, PEOPLE, SIGN_INS, NETWORKS, POSTS)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # a value outside its vocabulary
        (
            'kind = "practice"',
            'kind = "practise"',
            "demo_content.toml: posts[0].kind: 'practise' is not one of practice, request",
        ),
        (
            'bob = "useful"',
            'bob = "liked"',
            "demo_content.toml: posts[0].reactions.bob: 'liked' is not one of useful, tried_it",
        ),
        # a required field left out
        ('title = "Phonics"\n', "", "demo_content.toml: posts[0].title: missing"),
        ('email = "bob@example.org", ', "", "demo_content.toml: people[1].email: missing"),
        ('author = "bob"', 'writer = "bob"', "demo_content.toml: posts[0].replies[0].author: missing"),
        # a misspelt field, and a value of the wrong type
        (
            'charter_clauses = ["Read."]',
            'charter_clause = ["Read."]',
            "demo_content.toml: networks[0].charter_clause: unknown field",
        ),
        ('leads = ["ann"]', 'leads = "ann"', "demo_content.toml: networks[0].leads: expected an array, found a string"),
        ('members = ["bob"]', "members = [7]", "demo_content.toml: networks[0].members[0]: expected a string"),
    ],
)
def test_bad_data_is_refused_naming_the_record_and_field(old: str, new: str, message: str) -> None:
    assert old in SMALL
    with pytest.raises(DemoContentError, match="^" + re.escape(message)):
        load(SMALL.replace(old, new, 1))


def test_a_file_that_is_not_toml_is_refused_naming_the_file() -> None:
    with pytest.raises(DemoContentError, match=r"^other\.toml: "):
        load("posts = [", source="other.toml")


ENGAGEMENT = """
[posts.engagement]
aims = "Fewer removals."
activities = "A visit."
started_weeks_ago = 3
runs_weeks = 8

[[posts.engagement.outcomes]]
author = "bob"
what_changed = "Calmer corridors."
evidence_strength = "none_yet"
work_together_again = "maybe"
"""


def test_an_engagement_is_read_with_its_outcomes_and_its_weeks_checked() -> None:
    plan = load(SMALL + ENGAGEMENT).posts[0].engagement
    assert plan is not None and plan.started_weeks_ago == 3 and plan.title == "" and not plan.closed
    assert plan.outcomes[0].evidence_strength.value == "none_yet" and plan.outcomes[0].for_whom == ""
    with pytest.raises(DemoContentError) as refused:
        load(SMALL + ENGAGEMENT.replace("started_weeks_ago = 3", 'started_weeks_ago = "three"'))
    assert str(refused.value) == (
        "demo_content.toml: posts[0].engagement.started_weeks_ago: expected a whole number from 0, found a string"
    )
    with pytest.raises(DemoContentError, match=r"posts\[0\]\.engagement\.outcomes\[0\]\.lasted: unknown field"):
        load(SMALL + ENGAGEMENT + 'lasted = "yes"\n')
