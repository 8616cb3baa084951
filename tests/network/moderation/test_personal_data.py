"""Pupil personal data is found in realistic posts, and ordinary improvement writing passes untouched."""

from __future__ import annotations

import random
import re

import pytest

from network.moderation import personal_data
from network.moderation.personal_data import Finding, find_personal_data

UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # A..Z without I, O and S


def upn_check_letter(body: str) -> str:
    """DfE: characters 2..13 weighted 2..13; a temporary UPN's final letter counts as its alphabet index."""
    total = sum(
        weight * (int(char) if char.isdigit() else UPN_ALPHABET.index(char))
        for weight, char in zip(range(2, 14), body, strict=True)
    )
    return UPN_ALPHABET[total % 23]


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 over weights 10..2; 11 becomes 0 and 10 means no valid number."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    return None if check == 10 else check % 11


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in find_personal_data(text)]


def test_the_check_algorithms_agree_with_published_examples() -> None:
    assert upn_check_letter("801200005001") == "B"  # B801200005001, a commonly quoted valid UPN
    assert nhs_check_digit("943476591") == 9  # 943 476 5919, the NHS's own example number


# --- What must be found --------------------------------------------------------------------------------------

FOUND = [
    (
        "Can someone check our census return? The UPN B801200005001 appears twice, once against a pupil who left"
        " in July.",
        "upn",
    ),
    (
        "The exam board rejected ULN 9276308686 in the Year 11 mock upload because it did not match the learner"
        " record we hold.",
        "uln",
    ),
    (
        "Her care plan lists NHS number 943 476 5919 and the surgery's details; I've attached it so the SENCo can"
        " follow up.",
        "nhs_number",
    ),
    ("Medical form returned: NHS no 9434765919, allergy to nuts, inhaler kept in the office.", "nhs_number"),
    (
        "Transition notes for September: DOB 12/03/2015, joined in Reception, strong reader, loves dinosaurs.",
        "date_of_birth",
    ),
    (
        "Referral form, section 1, date of birth: 3 March 2014; home language Polish; two siblings in school.",
        "date_of_birth",
    ),
    ("The new starter was born on 12.03.2015 and moved to us from a school in Leeds at Easter.", "date_of_birth"),
    ("Admission details (d.o.b. 04-11-2016) were sent to the class teacher before the home visit.", "date_of_birth"),
    (
        "Our pupil Jayden Smith has gone from reluctant reader to reading every lunchtime since we started the"
        " paired reading scheme.",
        "named_pupil",
    ),
    (
        "Jayden Smith (Year 4) made the most progress of anyone in the reading intervention group this term.",
        "named_pupil",
    ),
    (
        "Case study child: Amelia Jones. Attendance rose from 82% to 96% over two terms after the family support"
        " worker got involved.",
        "named_pupil",
    ),
    ("A Year 5 girl, Olivia Brown, now runs the playground buddies scheme with two friends.", "named_pupil"),
    (
        "Jayden Smith has an EHCP and we are struggling to get the funded hours in place before Christmas.",
        "named_pupil_sensitive",
    ),
    (
        "Amelia Jones (FSM) is the only disadvantaged pupil in the set who met the expected standard in writing.",
        "named_pupil_sensitive",
    ),
    (
        "Update for the DSL: CP plan: Harry Wilson, core group meeting moved to Thursday at 3.30.",
        "named_pupil_sensitive",
    ),
    (
        "Ruby Taylor, who is looked after, has settled well with her new foster carers since half term.",
        "named_pupil_sensitive",
    ),
    (
        "Noah Green was excluded for five days after the incident at lunchtime, so the reintegration is Monday.",
        "named_pupil_sensitive",
    ),
    (
        "We have a pupil Kacper Nowak (SEN support) who responds really well to visual timetables and now-next boards.",
        "named_pupil_sensitive",
    ),
    (
        "Safeguarding concern about Amelia Jones logged on CPOMS this morning, please read before the meeting.",
        "named_pupil_sensitive",
    ),
]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_personal_data_in_realistic_posts_is_found(text: str, kind: str) -> None:
    findings = find_personal_data(text)
    assert kind in [finding.kind for finding in findings], findings
    for finding in findings:
        assert finding.excerpt in text, "the excerpt is the text that triggered it"
        assert finding.label


# --- What must pass ------------------------------------------------------------------------------------------

PASSES = [
    "Year 6 pupils made 4 months' additional progress in reading after the tutoring programme.",
    "Our SEND pupils benefited most from the structured phonics sessions, and EHCP reviews are now more focused.",
    "Mrs Patel, our Head of English, led the training for all staff on 5 September.",
    "We met on 12/03/2025 to review data from the autumn assessments and agree next steps.",
    "The EEF evaluation (2019) found an average impact of two additional months' progress.",
    "Trust-wide attendance rose from 91.2% to 94.8% over two years, and persistent absence halved.",
    "For bookings call the school office on 01632 960123 or 0161 496 0000 (from abroad +44 161 496 0000,"
    " or +44 (0)20 7946 0018).",
    "Oak Hill Primary (URN 123456, DfE 801/2000) joined the trust in 2021.",
    "Ofsted 2023 judged the school Good, with leadership and management Outstanding.",
    "Key Stage 2 outcomes improved, and Key Stage 1 phonics pass rates rose to 88%.",
    "Our headteacher, Tom Briggs, shared the trust's attendance strategy with governors last week.",
    "3,456 pupils across 12 academies took part in the reading challenge.",
    "Recommended reading: ISBN 978-1-913622-77-3, and the older ISBN 0198526636 (ISBN-10 0-19-852663-6).",
    "The programme cost £12,500 per school, £1,250,000 across the trust, plus $3,000 in licence fees.",
    "Sarah Patel, our Designated Safeguarding Lead, reviewed every EHCP in Year 5 before the audit.",
    "We used White Rose Maths (Year 5) and Little Wandle (Year 1) across all of our primaries.",
    "The Pupil Premium Grant strategy was discussed by the Pupil Voice Council in March.",
    "Pupil A and Pupil B both made accelerated progress in writing after the conferencing trial.",
    "Born in 2015, this cohort missed much of Reception during the partial closures.",
    "Liam Cooper (Year 6 lead) shared his reading spine with the network.",
    "Headteacher Tom Briggs talked about exclusions and suspension rates at the conference.",
    "Our free school meals pupils closed the gap with their peers in Key Stage 2 maths.",
    "Emma Hughes, the trust's Director of Education, visited on 14 March 2024 to see the new curriculum.",
    "Invoice 1234567890 was paid on 02/04/2024.",
    "The trust's reference 9276308686 appears on the invoice from the exam board.",
    "Our SENCo, Grace Adams, has written guidance on EHCP applications for the network.",
    "Oliver Twist (Year 6 class reader) was a hit, and the Year 3 pupils loved The Iron Man.",
    "Thanks to Jack Reid, Year 5 and 6 phase leader, for sharing the planning.",
    "Jack Reid spoke about SEND provision at the conference in Leeds.",
    "Child Protection Policy review: the DSL and Sarah Patel updated the safeguarding training log.",
    "For our pupils, Little Wandle and Read Write Inc were compared over a full year.",
    "Contacts for the network: Grace Adams (SEND), Emma Hughes (Safeguarding), Jack Reid (Attendance).",
    "Webinar from Emma Hughes on safeguarding in the early years, recording to follow.",
    "Thanks to Emma Hughes for the safeguarding session last week; slides are attached.",
    "Safeguarding: Emma Hughes to circulate the updated policy before the next meeting.",
    "Harry Potter (Year 3 class text) was the most borrowed book in the library this year.",
    "Emma Hughes is on safeguarding duty this week, so please send queries to the office.",
]


@pytest.mark.parametrize("text", PASSES)
def test_ordinary_improvement_writing_is_not_held(text: str) -> None:
    assert find_personal_data(text) == []


# --- Check characters ----------------------------------------------------------------------------------------


def _random_upns(rng: random.Random, count: int, *, temporary: bool) -> list[str]:
    upns = []
    for _ in range(count):
        digits = "".join(rng.choice("0123456789") for _ in range(11 if temporary else 12))
        body = digits + rng.choice(UPN_ALPHABET) if temporary else digits
        upns.append(upn_check_letter(body) + body)
    return upns


@pytest.mark.parametrize("temporary", [False, True], ids=["permanent", "temporary"])
def test_upns_are_found_only_with_the_right_check_letter(temporary: bool) -> None:
    rng = random.Random(2024)
    for upn in _random_upns(rng, 40, temporary=temporary):
        found = find_personal_data(f"Please correct UPN {upn} on the spring census.")
        assert [(finding.kind, finding.excerpt) for finding in found] == [("upn", upn)]
        assert ("temporary" in found[0].label) is temporary
        for wrong in UPN_ALPHABET.replace(upn[0], "") + "IOS":
            assert find_personal_data(f"Please correct UPN {wrong}{upn[1:]} on the spring census.") == []


def test_a_upn_is_found_in_lower_case_but_not_inside_a_longer_code() -> None:
    assert kinds("upn b801200005001 needs fixing") == ["upn"]
    assert kinds("order XB801200005001 and B8012000050012") == []


def _random_nhs_numbers(rng: random.Random, count: int) -> list[str]:
    numbers: list[str] = []
    while len(numbers) < count:
        first_nine = "".join(rng.choice("0123456789") for _ in range(9))
        check = nhs_check_digit(first_nine)
        if check is not None and len(set(first_nine)) > 1:
            numbers.append(first_nine + str(check))
    return numbers


@pytest.mark.parametrize("spaced", [False, True], ids=["together", "3-3-4"])
def test_nhs_numbers_are_found_only_with_the_right_check_digit(spaced: bool) -> None:
    rng = random.Random(11)

    def written(number: str) -> str:
        return f"{number[:3]} {number[3:6]} {number[6:]}" if spaced else number

    for number in _random_nhs_numbers(rng, 40):
        found = find_personal_data(f"Her NHS number is {written(number)} according to the form.")
        assert [(finding.kind, finding.excerpt) for finding in found] == [("nhs_number", written(number))]
        for digit in "0123456789":
            if digit != number[-1]:
                assert (
                    find_personal_data(f"Her NHS number is {written(number[:-1] + digit)} according to the form.") == []
                )


def test_an_nhs_number_is_not_taken_from_phone_numbers_or_isbns() -> None:
    # 0198526636 is a valid ISBN-10, and every ISBN-10 with a numeric check digit passes the NHS check too.
    assert nhs_check_digit("019852663") == 6
    assert find_personal_data("NHS 0198526636") != []
    assert find_personal_data("See ISBN 0198526636 for the research.") == []
    assert find_personal_data("Call us on 943 476 5919 any time.") == []
    assert find_personal_data("From abroad dial +44 943 476 5919.") == []
    assert find_personal_data("Our number is +44 (0)943 476 5919.") == []


def test_a_uln_needs_its_label() -> None:
    assert kinds("ULN: 9276308686") == ["uln"]
    assert kinds("unique learner number 9276308686 was rejected") == ["uln"]
    assert kinds("9276308686 (ULN) was rejected") == ["uln"]
    assert kinds("Reference 9276308686 was rejected") == []
    assert kinds("ULN returns are due.\n\nReference 9276308686 was rejected") == []


def test_a_date_of_birth_needs_a_real_day_month_and_year_after_a_birth_label() -> None:
    assert kinds("DOB: 31/12/2014") == ["date_of_birth"]
    assert kinds("DOB 12/31/2014") == ["date_of_birth"], "month-first dates still count"
    assert kinds("date of birth 2014-03-03") == ["date_of_birth"]
    assert kinds("birthday March 3rd, 2014") == ["date_of_birth"]
    assert kinds("born on 3rd of March 2014") == ["date_of_birth"]
    assert kinds("DOB 45/45/2014") == []
    assert kinds("born in March 2014") == []
    assert kinds("The meeting is on 12/03/2015.") == []


def test_findings_come_in_order_without_repeating_a_name() -> None:
    findings = find_personal_data("New pupil Jayden Smith (UPN B801200005001, DOB 12/03/2015) has an EHCP.")
    assert [finding.kind for finding in findings] == ["named_pupil", "upn", "date_of_birth"]
    assert findings[0] == Finding("named_pupil", "a pupil's full name", "pupil Jayden Smith")

    # A name with a pupil word and a sensitive attribute is one finding, the more serious one.
    findings = find_personal_data("Our pupil Jayden Smith has an EHCP.")
    assert [(finding.kind, finding.excerpt) for finding in findings] == [
        ("named_pupil_sensitive", "pupil Jayden Smith has an EHCP")
    ]
    assert "EHCP" in findings[0].label


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Jayden Smith is on SEN support.", "Jayden Smith is on SEN support"),
        ("Amelia Jones is eligible for free school meals.", "Amelia Jones is eligible for free school meals"),
        ("Jayden Smith's EHCP arrived today.", "Jayden Smith's EHCP"),
        ("Jayden Smith (Year 4, SEND) joined in May.", "Jayden Smith (Year 4, SEND)"),
        ("SEND pupil Jayden Smith joined in May.", "SEND pupil Jayden Smith"),
        ("The exclusion of Noah Green was discussed.", "exclusion of Noah Green"),
        ("Noah Green has been permanently excluded.", "Noah Green has been permanently excluded"),
        ("LAC: Amelia Jones", "LAC: Amelia Jones"),
    ],
)
def test_a_name_with_a_sensitive_attribute_is_one_finding(text: str, excerpt: str) -> None:
    [finding] = find_personal_data(text)
    assert (finding.kind, finding.excerpt) == ("named_pupil_sensitive", excerpt)


def test_a_topic_next_to_a_name_needs_a_verb_unless_the_name_is_a_pupil() -> None:
    assert find_personal_data("Jayden Smith (SEND) joined in May.") == [], "as likely a staff member's area of work"
    assert kinds("Our pupil Jayden Smith (SEND) joined in May.") == ["named_pupil_sensitive"]
    assert kinds("Jayden Smith (FSM) joined in May.") == ["named_pupil_sensitive"], "FSM is always about a pupil"
    assert find_personal_data("Tom Briggs excluded fewer pupils this year than any other head.") == []


def test_a_named_staff_member_near_a_sensitive_word_passes() -> None:
    assert find_personal_data("Our SENCo Sarah Patel has an EHCP tracker for every class.") == []
    assert find_personal_data("Mrs Sarah Patel is the safeguarding lead.") == []
    assert find_personal_data("Sarah Patel is our looked after children lead.") == []
    assert find_personal_data("Ask Sarah Patel (DSL) about the safeguarding referral.") == []


ADVERSARIAL = {
    "letters": "a",
    "capitals": "A",
    "digits": "1",
    "spaced digits": "1 ",
    "digit groups": "943 476 ",
    "dotted digits": "1.",
    "name-shaped words": "Aa ",
    "one long run of names": "Jayden Smith ",
    "hyphenated capitals": "Aaaa-",
    "brackets": "(",
    "birth labels": "DOB ",
    "pupil words": "pupil ",
    "attributes": "EHCP ",
    "labelled numbers": "ULN 1234567890 ",
    "everything": "pupil Jayden Smith (Year 4, FSM) DOB 12/03/2015 B801200005001 ",
}


@pytest.mark.parametrize("unit", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_long_adversarial_text_completes(unit: str) -> None:
    text = (unit * (40_000 // len(unit) + 1))[:40_000]
    assert isinstance(find_personal_data(text), list)


# --- Scanning shortcuts --------------------------------------------------------------------------------------
# The scan skips in C what cannot match; these check that it skips nothing that could.

SCANNED = [
    *(text for text, _ in FOUND),
    *PASSES,
    *ADVERSARIAL.values(),
    "-Smith 'Jones x-Smith Jayden-Lee O'Brien \u2019Tis _Bob 2Bob \u00c9mile \u00e9mile",
    "\u017fafeguarding \u212aai DOB: 1/2/2015",  # a long s and a Kelvin sign match s and k in any case
]
VARIANTS = [variant for text in SCANNED for variant in (text, text.lower(), text.upper(), text.title())]


def test_a_first_letter_lookahead_lets_every_alternative_through_in_either_case() -> None:
    lookahead = re.compile(personal_data._starting("ULN|learner[ \t](?:number|ref)", "born"))
    for text in ("ULN", "uln", "Learner", "born", "BORN", "Ref"):  # a nested alternative's letter too
        assert lookahead.match(text), text
    for text in ("x", "1", " ", "_", "-"):
        assert not lookahead.match(text), text
    with pytest.raises(AssertionError):
        personal_data._starting(r"\bULN")  # an alternative must start with a plain letter


@pytest.mark.parametrize("name", ["_ULN_LABEL_RE", "_DOB_RE", "_PUPIL_WORD_RE", "_SENSITIVE_RE"])
def test_a_pattern_behind_its_lookahead_finds_what_it_finds_without_it(name: str) -> None:
    fast: re.Pattern[str] = getattr(personal_data, name)
    plain = re.compile(re.sub(r"\(\?=\(\?i:\[[a-z]+\]\)\)", "", fast.pattern, count=1), fast.flags)
    assert plain.pattern != fast.pattern
    for text in VARIANTS:
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
            (m.span(), m.groups()) for m in plain.finditer(text)
        ], text


def test_the_capitalised_tokens_are_the_tokens_that_start_with_a_capital() -> None:
    tokens = re.compile(r"\w[\w'\u2019-]*")  # what a name's words are made of, read token by token
    for text in VARIANTS:
        capitalised = [m.span() for m in tokens.finditer(text) if re.match(r"[^\W\d_a-z]", m.group())]
        assert [m.span(1) for m in personal_data._CAPITALISED_TOKEN_RE.finditer(text)] == capitalised, text
