"""Spotting pupil (and staff) personal data in what members write.

Networks share improvement practice between trusts, so a pupil's identifiers, date of birth, or name next to
free school meals, SEND or safeguarding status should never be posted. Pattern matching cannot be certain, so a
finding holds a post for a lead to judge rather than blocking it outright. The checks are tuned for few false
positives on ordinary improvement writing: cohorts, staff names, meeting dates, statistics, school phone numbers,
URNs and ISBNs pass.

Identifiers are only reported when their check character is right (UPN, NHS number) or a label names them (ULN).
A full name is only reported next to a pupil word, a year group or a sensitive attribute; without a pupil word it
must start with a common given name, so programme names such as "White Rose" or "Little Wandle" are not mistaken
for pupils. Every pattern is precompiled and uses only single-level repetition, so a scan is linear in the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    label: str
    excerpt: str


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _starting(*alternations: str) -> str:
    """A lookahead for the letters an alternation's alternatives start with, in either case.

    Python's `re` tries every alternative at every position it scans; in front of them, this skips in C the
    positions where none could start (half or more of a scan of ordinary text). Split at every `|`, nested ones
    too: a letter too many only lets a position through to the full pattern."""
    letters = {part[:1].lower() for alternation in alternations for part in alternation.split("|")}
    assert all(letter.isalpha() for letter in letters), alternations
    return f"(?=(?i:[{''.join(sorted(letters))}]))"


# --- Unique Pupil Number -------------------------------------------------------------------------------------
# DfE's standard: a check letter, then 12 digits (LA, establishment, year, serial). A temporary UPN ends in a
# letter instead of the last digit; it is issued to a real pupil, so it is just as personal. The check letter
# weights characters 2..13 by 2..13, a temporary UPN's final letter counting as its index in the check alphabet.

_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_RE = re.compile(r"(?<!\w)[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z](?!\w)", re.IGNORECASE)


def _upn_check_letter(body: str) -> str:
    total = 0
    for weight, char in enumerate(body, start=2):
        total += weight * (int(char) if char.isdigit() else _UPN_ALPHABET.index(char))
    return _UPN_ALPHABET[total % 23]


# --- NHS number ------------------------------------------------------------------------------------------------
# Ten digits, written together or as 3-3-4. Not part of a longer number, not the tail of an international phone
# number ("+44 161 496 0000", "+44 (0)161 ..."), and the modulus-11 check digit must be right.

# A digit first, the lookbehinds after it, so the scan looks only at digits.
_NHS_RE = re.compile(r"\d(?<![\w+)]\d)(?<!\d[ ,./-]\d)\d{2}([ -]?)\d{3}\1\d{4}(?!\w)(?![,./-]\d)")
_PHONE_WORD_RE = re.compile(
    r"\b(?:tel|telephone|phone|call|ring|fax|mobile|mob|whatsapp|text|sms|contact|switchboard|helpline|office)\b"
)
_CONTEXT_BEFORE = 32


def _nhs_number_valid(digits: str) -> bool:
    if len(set(digits)) == 1:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# --- Unique Learner Number -------------------------------------------------------------------------------------
# Ten digits, first non-zero. Too many ordinary numbers have that shape, so one is only reported when a label
# such as "ULN" or "learner number" stands just before it, or "(ULN)" just after.

_ULN_LABELS = r"ULN|unique[ \t]learner[ \t]number|learner[ \t](?:number|no|ref|reference)"
_ULN_LABEL_RE = re.compile(rf"\b{_starting(_ULN_LABELS)}(?i:{_ULN_LABELS})\b")
_TEN_DIGITS_RE = re.compile(r"[1-9](?<!\w[1-9])\d{9}(?!\w)")
_ULN_LABEL_BEFORE = 40
_ULN_LABEL_AFTER = 12


# --- Date of birth ---------------------------------------------------------------------------------------------
# Only a full date (day, month, year) straight after a birth label: a bare date is a meeting, not a birthday.

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_BIRTH_LABELS = r"date[ \t]of[ \t]birth\b|d\.?o\.?b\b\.?|birth[ \t]?date\b|birthday\b|born(?:[ \t]on)?\b"
_DOB_RE = re.compile(
    rf"\b{_starting(_BIRTH_LABELS)}(?i:{_BIRTH_LABELS})"
    r"[ \t]{0,3}[:=\-\u2013]?[ \t]{0,3}(?:(?i:is|was)[ \t])?"
    r"(?:(?P<d1>\d{1,2})[./-](?P<m1>\d{1,2})[./-](?:\d{4}|\d{2})(?!\d)(?![/.-]\d)"
    r"|\d{4}-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})(?!\d)"
    rf"|(?P<d3>\d{{1,2}})(?i:st|nd|rd|th)?[ \t](?:(?i:of)[ \t])?(?i:{_MONTHS})\b\.?,?[ \t]\d{{4}}(?!\d)"
    rf"|(?i:{_MONTHS})\b\.?[ \t](?P<d4>\d{{1,2}})(?i:st|nd|rd|th)?,?[ \t]\d{{4}}(?!\d))"
)


def _date_plausible(match: re.Match[str]) -> bool:
    def number(group: str) -> int:
        value = match.group(group)
        return int(value) if value else 0

    if match.group("d1"):
        day, month = number("d1"), number("m1")
        # British order first, but a month-first date is still a date of birth.
        return (1 <= day <= 31 and 1 <= month <= 12) or (1 <= month <= 31 and 1 <= day <= 12)
    if match.group("m2"):
        return 1 <= number("m2") <= 12 and 1 <= number("d2") <= 31
    return 1 <= number("d3") + number("d4") <= 31


# --- Names ---------------------------------------------------------------------------------------------------

# A run of word characters, apostrophes and hyphens holds one token, from its first word character on. Only a
# token that starts with a capital can be a name, so the scan finds just those, in C (a prefilter: `_name_core`
# still decides); any other token between two of them breaks their run through `_runs`' gap check.
_CAPITALISED_TOKEN_RE = re.compile(r"(?<![\w'\u2019-])['\u2019-]*([^\W\d_a-z][\w'\u2019-]*)")

# Common given names of children in England's schools. Only consulted when no pupil word introduces a name, so
# a missing name is a missed hold, never a false one. Names that are also everyday capitalised words (May, Hope,
# Summer, Will, Mark, Grant, Victoria, Roman...) are left out on purpose.
_GIVEN_NAMES = _words(
    """
    aaliyah aaron abdul abdullah abigail abu ada adam adeel adrian ahmad ahmed aidan aiden aisha alana albert albie
    alex alexa alexander alexandra alfie alfred ali alice alicia alicja alisha alya amaan amani amara amber amelia
    amelie amina amir amira amy ana anaya andre andrei andrew aniya anna annabelle anthony antoni archie aria arian
    arjun arlo arthur arya aryan asher ashton aurora austin ava ayaan ayesha ayla ayman aysha bailey beatrice bella
    ben benjamin bethany bilal billy blake bobby bonnie brandon brooke caleb callum cameron carter casey charlie
    charles charlotte chloe christian ciara cian clara cody connor conor daisy daniel daniela danny darcey darcie
    darcy david declan dexter dylan eddie edie edith edward eleanor elena eli elias elijah eliza elizabeth ella
    ellie elliot elliott ellis elsie emilia emily emma erin esme ethan eva evan evelyn evie ezra faisal fatima felix
    filip finlay finley finn florence francesca frankie freddie freddy frederick freya gabriel gabriella george
    georgia grace gracie hafsa hallie hamza hana hanna hannah harley harper harriet harrison harry harvey hassan
    hazel heidi henry holly hudson hugo hussain ibrahim idris imogen iris isaac isabel isabella isabelle isla ismail
    ivy jack jackson jacob jade jake jakub james jamie jasmine jasper jaxon jay jayden jayla jenson jessica joe joel
    john jonah jonathan jordan joseph josh joshua jude julia kacper kai kaiden katie kayden kayla keira kian kieran
    kofi kyle lacey laila lara lauren layla leah leila lena leo leon levi lewis lexi liam libby lilly lily logan
    lola lottie louie louis luca lucas lucy luke lyla mabel madison maisie maja malachi marcus margot maria mariam
    marley martha maryam mason matilda matteo matthew max maya megan mia michael mila millie mohamed mohammad
    mohammed molly mollie muhammad musa mustafa nadia naomi nathan nathaniel nia niamh nicholas nico nina noah nojus
    oakley oisin olive oliver olivia oliwia ollie omar orla oscar oskar owen paige patrick penelope phoebe piper
    poppy priya rayan reggie reuben rhys riley robert robyn rohan ronnie rory rosa rose rosie rowan ruby ryan sadie
    safa samuel sana sara sarah scarlett sebastian sienna sofia sophia sophie stanley stella szymon teddy theo
    theodore thomas tia tilly toby tom tommy tyler violet willow william wiktoria xavier yahya yasmin yusuf zac zach
    zachary zain zainab zara zayn zoe zofia zuzanna
    """
)

# Capitalised words that begin or continue phrases in school writing but are not names. A token in this set
# never counts as part of a name.
_NOT_NAMES = _words(
    """
    a an and as at by for from in of on or the to with our we us you your they their this that these those it its he
    she his her him them who whose which what when where why how all each every some any no not one two three four
    five six seven eight nine ten first second third last next new old mr mrs ms miss mx dr prof professor sir dame
    lord lady rev revd head headteacher deputy assistant teacher teachers lead leader leaders principal ceo director
    trustee trustees governor governors chair manager officer coordinator co-ordinator senco sendco dsl tutor mentor
    coach adviser advisor inspector consultant staff executive senior year years key stage reception nursery primary
    secondary school schools academy academies trust trusts college university council authority department dfe
    ofsted eef national local network hub partnership federation diocese church cofe catholic community foundation
    team teams group board committee centre center unit service services office programme program project scheme
    framework award awards plan policy strategy premium grant voice parliament leadership wellbeing mental health
    support protection safeguarding attendance behaviour behavior curriculum assessment data progress outcomes
    tutoring learning teaching education educational special needs inclusion inclusive development improvement
    standards quality review report survey conference training research evidence early career maths mathematics
    english science history geography art music computing french spanish german latin design technology religious
    physical phonics reading writing spelling grammar literacy numeracy oracy sats gcse gcses btec monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august september october
    november december spring summer autumn winter term half christmas easter north south east west northern southern
    london england british united kingdom looked after children child pupil pupils student students learner learners
    boy girl boys girls free meals disadvantaged send sen ehcp social worker care
    """
)

_PUPIL_NOUNS = "pupils?|children|child|students?|learners?"
_YEAR_WORDS = "year|yr|y"
_PUPIL_WORD_RE = re.compile(
    rf"(?<!\w){_starting(_PUPIL_NOUNS, _YEAR_WORDS)}(?:(?P<noun>(?i:{_PUPIL_NOUNS}))"
    rf"|(?i:{_YEAR_WORDS})[ \t]?\d{{1,2}}[ \t](?P<ynoun>(?i:boy|girl|pupil|child|student|learner)))\b"
    r"(?:['\u2019]s)?(?:[ \t](?P<link>(?i:called|named|name)))?"
    r"(?P<sep>[ \t]?[:\u2013-]|,)?[ \t]?"
)
_PLURAL_NOUNS = frozenset({"pupils", "children", "students", "learners"})

# A year group or pupil word just after a name: "Jayden Smith (Year 4)", "Jayden Smith, a Year 4 pupil".
_AFTER_NAME_RE = re.compile(
    r"[ \t]?[(,\u2013-][ \t]?(?:(?i:a|an|our|the)[ \t])?"
    r"(?:(?i:year|yr|y)[ \t]?\d{1,2}\b|(?i:reception|nursery|pupil|student|child|learner|boy|girl)\b)"
)
_PUPIL_APPOSITIVE_WORDS = _words("a an our the year yr reception nursery pupil student child learner boy girl")
# The first appositive after a name ("Sarah Patel, our SENCo,"), read to see whether it names a staff role.
_APPOSITIVE_RE = re.compile(r"[ \t]?[(,\u2013-][ \t]?([^().,;:!?\n]{0,50})")
_WORD_RE = re.compile(r"[\w'\u2019-]+")
_STAFF_WORDS = _words(
    """
    mr mrs ms miss mx dr prof professor sir dame teacher teachers headteacher headteacher's head deputy assistant
    senco sendco dsl ddsl lead leads leader manager officer coordinator co-ordinator tutor mentor governor trustee
    principal ceo coo cfo director chair clerk consultant adviser advisor inspector hlta ta nurse counsellor
    colleague psychologist therapist ect trainee slt staff practitioner specialist librarian bursar headmaster
    headmistress executive team
    """
)
_HEAD_OF_WORDS = frozenset({"head", "director", "leader", "lead", "deputy"})

# --- Sensitive attributes ------------------------------------------------------------------------------------
# Acronyms are matched in capitals only ("send" and "cp" are ordinary lower-case text); words in any case.
_SENSITIVE_ACRONYMS = r"FSM|EHCPs?|EHC[ \t]plan|SEN[ \t]support|SEND?|LAC|CLA|CiC|CIC|CIN|CP[ \t]plan|CP|PP|ADHD|ASD"
_SENSITIVE_WORDS = (
    r"free[ \t]school[ \t]meals?|education,?[ \t]health[ \t]and[ \t]care[ \t]plan"
    r"|special[ \t]educational[ \t]needs?|looked[ \t-]after|child[ \t]protection[ \t]plan|child[ \t]protection"
    r"|child[ \t]in[ \t]need|in[ \t]care|safeguarding|exclusions?|excluded|suspensions?|suspended|expelled"
    r"|pupil[ \t]premium|disadvantaged|young[ \t]carer|autism|autistic|dyslexia|dyslexic|diagnosed|diagnosis"
    r"|social[ \t]worker|social[ \t]services"
)
_SENSITIVE_RE = re.compile(
    rf"\b{_starting(_SENSITIVE_ACRONYMS, _SENSITIVE_WORDS)}(?:{_SENSITIVE_ACRONYMS}|(?i:{_SENSITIVE_WORDS}))\b"
)
# Attributes that read as something done to a pupil need a passive link when the name comes first:
# "Noah Green was excluded", but not "Tom Briggs excluded two pupils".
_PASSIVE_ATTRIBUTES = frozenset({"excluded", "suspended", "expelled", "diagnosed"})
_PASSIVE_LINKS = frozenset({"is", "was", "were", "been", "being", "got", "gets", "get"})
# An attribute followed by one of these is about a role or a process, not a pupil: "safeguarding lead".
_NOT_ABOUT_A_PUPIL = _words(
    """
    lead leads leader leaders leadership officer officers team teams training trained policy policies procedure
    procedures process processes rate rates data figures statistics numbers trends audit audits governor governors
    trustee trustees manager managers coordinator co-ordinator champion champions network networks conference course
    courses specialist specialists practitioner practitioners expert experts expertise hub forum framework strategy
    strategies guidance toolkit webinar update updates briefing consultant consultants adviser advisor partnership
    budget spending curriculum practice awareness cpd culture work duty rota session sessions workshop workshops
    assembly assemblies week day visit visits
    """
)
# Attributes that are as often a staff member's area of work as a fact about a pupil: next to a name they need a
# verb ("Jayden Smith is on SEN support") or a relation ("safeguarding concern about ...") to count.
_TOPICS = _words("safeguarding sen send exclusion exclusions suspension suspensions disadvantaged autism dyslexia") | {
    "diagnosis",
    "pupil premium",
    "child protection",
    "special educational need",
    "special educational needs",
    "social services",
}
_COHORT_WORDS = frozenset({"children", "child", "pupils", "pupil", "students", "learners", "young", "cohort"})
# Words allowed between a name and a following attribute: "Jayden Smith (Year 4) has an EHCP".
_LINKS_AFTER_NAME = _words(
    """
    's \u2019s is was were has had have got gets receives received became becomes qualifies qualified remains now been
    being currently still also recently on an a the for under subject to placed eligible in receipt of who and year
    yr at risk permanently temporarily fixed term not awaiting pending applying identified as requires needs need
    one our
    """
)
_LINK_VERBS = _words(
    """
    is was were has had have got gets receives received became becomes qualifies qualified remains been being
    requires needs need placed awaiting applying identified
    """
)
# Words allowed between an attribute and a following name: "safeguarding concern about Amelia Jones".
_LINKS_BEFORE_NAME = _words(
    """
    for of on about regarding re concerning involving to pupil child student learner plan concern concerns referral
    meeting review notes report application request disclosure case register status list the a is are relating
    raised in respect
    """
)
_LINK_WINDOW = 45
_NO_LINK_PUNCTUATION_RE = re.compile(r"[^\w\s(),:/&'\u2019\u2013-]")


def _name_core(token: str) -> str | None:
    """The token without a possessive, if it is shaped like a name: capitalised, lower case after, letters."""
    core = token[:-2] if token.endswith(("'s", "\u2019s")) else token
    core = core.strip("'\u2019-")
    if len(core) < 2 or not core[0].isupper() or not any(char.islower() for char in core[1:]):
        return None
    if not core.replace("'", "").replace("\u2019", "").replace("-", "").isalpha():
        return None
    if core.lower() in _NOT_NAMES:
        return None
    return core


@dataclass(slots=True)
class _Name:
    start: int
    end: int
    pupil_word_start: int | None = None
    year_end: int | None = None


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Consecutive name-shaped tokens separated only by a space or two."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for match in _CAPITALISED_TOKEN_RE.finditer(text):
        core = _name_core(match.group(1))
        if core is None:
            if current:
                runs.append(current)
                current = []
            continue
        start, end = match.span(1)
        if current:
            gap = text[current[-1][1] : start]
            if not (len(gap) <= 2 and gap.strip(" \t\u00a0") == ""):
                runs.append(current)
                current = []
        current.append((start, end, core))
    if current:
        runs.append(current)
    return runs


def _name_from(run: list[tuple[int, int, str]], first: int) -> tuple[int, int]:
    """A first name, a surname, and one more surname token unless it is itself a given name."""
    last = first + 1
    if last + 1 < len(run) and run[last + 1][2].lower() not in _GIVEN_NAMES:
        last += 1
    return run[first][0], run[last][1]


def _names(text: str) -> dict[tuple[int, int], _Name]:
    names: dict[tuple[int, int], _Name] = {}
    run_at: dict[int, list[tuple[int, int, str]]] = {}
    for run in _runs(text):
        run_at[run[0][0]] = run
        index = 0
        while index + 1 < len(run):
            if run[index][2].lower() in _GIVEN_NAMES:
                start, end = _name_from(run, index)
                names[(start, end)] = _Name(start, end)
                index += 2
            else:
                index += 1

    for word in _PUPIL_WORD_RE.finditer(text):
        found = run_at.get(word.end())
        if found is None or len(found) < 2:
            continue
        noun = word.group("noun") or word.group("ynoun")
        loose = noun[0].isupper() or noun.lower() in _PLURAL_NOUNS or word.group("sep") == ","
        if loose and not word.group("link") and found[0][2].lower() not in _GIVEN_NAMES:
            continue
        start, end = _name_from(found, 0)
        names.setdefault((start, end), _Name(start, end)).pupil_word_start = word.start()

    for name in names.values():
        after = _AFTER_NAME_RE.match(text, name.end)
        appositive = _APPOSITIVE_RE.match(text, name.end)
        # Only a bare year group or pupil word: "(Year 6 class reader)" is a book, "(Year 6 lead)" a teacher.
        if (
            after is not None
            and appositive is not None
            and all(
                _is_year_group(word) or word in _PUPIL_APPOSITIVE_WORDS
                for word in (word.lower() for word in _WORD_RE.findall(appositive.group(1)))
            )
        ):
            name.year_end = appositive.start(1) + len(appositive.group(1).rstrip())
    return names


def _is_year_group(word: str) -> bool:
    """ "4", "y4", "yr4": a year group's number on its own or run into its prefix."""
    number = word.removeprefix("yr").removeprefix("y")
    return number.isdigit() and len(number) <= 2


def _is_staff(text: str, name: _Name) -> bool:
    """A title or role right before the name, or a role in the appositive right after it."""
    before = text[max(0, name.start - 40) : name.start]
    words = list(_WORD_RE.finditer(before))
    if words and before[words[-1].end() :].strip(" \t,:\u2013-") == "":
        last = words[-1].group().lower()
        if last in _STAFF_WORDS:
            return True
        if len(words) >= 3 and words[-2].group().lower() == "of" and words[-3].group().lower() in _HEAD_OF_WORDS:
            return True
    appositive = _APPOSITIVE_RE.match(text, name.end)
    if appositive is not None:
        return any(word.lower() in _STAFF_WORDS for word in _WORD_RE.findall(appositive.group(1)))
    return False


@dataclass(frozen=True, slots=True)
class _Attribute:
    start: int
    end: int
    text: str

    @property
    def topic(self) -> bool:
        """A subject a staff member works on ("Grace Adams (SEND)") as much as a fact about a pupil."""
        return " ".join(self.text.lower().split()) in _TOPICS


def _attributes(text: str) -> list[_Attribute]:
    found: list[_Attribute] = []
    for match in _SENSITIVE_RE.finditer(text):
        following = _next_words(text, match.end())
        if following and following[0] in _NOT_ABOUT_A_PUPIL:
            continue
        if len(following) == 2 and following[0] in _COHORT_WORDS and following[1] in _NOT_ABOUT_A_PUPIL:
            continue
        found.append(_Attribute(match.start(), match.end(), match.group()))
    return found


_NEXT_WORD_RE = re.compile(r"[ \t-]{1,2}([\w'\u2019-]+)")


def _next_words(text: str, position: int) -> list[str]:
    words: list[str] = []
    for _ in range(2):
        match = _NEXT_WORD_RE.match(text, position)
        if match is None:
            break
        words.append(match.group(1).lower())
        position = match.end()
    return words


def _link_words(between: str) -> list[str] | None:
    """The words between a name and an attribute, less year groups; None if a sentence ends between them."""
    if len(between) > _LINK_WINDOW or "\n" in between or _NO_LINK_PUNCTUATION_RE.search(between):
        return None
    words = [word.lower() for word in _WORD_RE.findall(between)]
    return [
        word
        for word in words
        if not (word.isdigit() or _is_year_group(word) or word in ("year", "yr", "'s", "\u2019s"))
    ]


def _linked_after_name(between: str, attribute: _Attribute, *, pupil: bool) -> bool:
    """ "Jayden Smith (FSM)", "Jayden Smith has an EHCP", "Noah Green was excluded"; not "Emma Hughes on SEND"."""
    words = _link_words(between)
    if words is None:
        return False
    if attribute.text.lower() in _PASSIVE_ATTRIBUTES and not any(word in _PASSIVE_LINKS for word in words):
        return False  # "Tom Briggs excluded two pupils" is the head at work
    if not words:
        return pupil or not attribute.topic
    return all(word in _LINKS_AFTER_NAME for word in words) and any(word in _LINK_VERBS for word in words)


def _linked_before_name(between: str, attribute: _Attribute, *, pupil: bool) -> bool:
    """ "CP plan: Harry Wilson", "safeguarding concern about Amelia Jones"; not an agenda's "SEND: Grace Adams"."""
    words = _link_words(between)
    if words is None or not all(word in _LINKS_BEFORE_NAME for word in words):
        return False
    return pupil or not attribute.topic or any(word not in ("the", "a", "is", "are") for word in words)


def _sensitive_near(text: str, name: _Name, attributes: list[_Attribute], starts: list[int]) -> _Attribute | None:
    first_after = bisect.bisect_left(starts, name.end)
    pupil = name.pupil_word_start is not None or name.year_end is not None
    for attribute in attributes[first_after:]:
        if attribute.start - name.end > _LINK_WINDOW:
            break
        if _linked_after_name(text[name.end : attribute.start], attribute, pupil=pupil):
            return attribute
    for attribute in reversed(attributes[:first_after]):
        if attribute.end > name.start:
            continue
        if name.start - attribute.end > _LINK_WINDOW:
            break
        if _linked_before_name(text[attribute.end : name.start], attribute, pupil=pupil):
            return attribute
    return None


# --- Scanning ------------------------------------------------------------------------------------------------


def _identifiers(text: str) -> list[tuple[int, int, Finding]]:
    found: list[tuple[int, int, Finding]] = []
    for match in _UPN_RE.finditer(text):
        upn = match.group().upper()
        if _upn_check_letter(upn[1:]) == upn[0]:
            label = "a temporary UPN-shaped pupil number" if upn[-1].isalpha() else "a UPN-shaped pupil number"
            found.append((match.start(), match.end(), Finding("upn", label, match.group())))

    taken: set[tuple[int, int]] = set()
    labels = list(_ULN_LABEL_RE.finditer(text))
    label_ends = [label.end() for label in labels]
    label_starts = [label.start() for label in labels]
    for match in _TEN_DIGITS_RE.finditer(text):
        before = bisect.bisect_right(label_ends, match.start())
        labelled_before = before > 0 and match.start() - label_ends[before - 1] <= _ULN_LABEL_BEFORE
        labelled_before = labelled_before and "\n" not in text[label_ends[before - 1] : match.start()]
        after = bisect.bisect_left(label_starts, match.end())
        labelled_after = after < len(label_starts) and label_starts[after] - match.end() <= _ULN_LABEL_AFTER
        if labelled_before or labelled_after:
            taken.add((match.start(), match.end()))
            found.append((match.start(), match.end(), Finding("uln", "a Unique Learner Number", match.group())))

    for match in _NHS_RE.finditer(text):
        if (match.start(), match.end()) in taken:
            continue
        digits = match.group().replace(" ", "").replace("-", "")
        if not _nhs_number_valid(digits):
            continue
        context = text[max(0, match.start() - _CONTEXT_BEFORE) : match.start()].lower()
        if "isbn" in context or ("nhs" not in context and _PHONE_WORD_RE.search(context)):
            continue
        found.append((match.start(), match.end(), Finding("nhs_number", "an NHS-number-shaped number", match.group())))

    for match in _DOB_RE.finditer(text):
        if _date_plausible(match):
            found.append((match.start(), match.end(), Finding("date_of_birth", "a date of birth", match.group())))
    return found


def _close_bracket(text: str, start: int, end: int) -> int:
    """Take in the bracket that closes one the excerpt opened: "Jayden Smith (Year 4)", not "(Year 4"."""
    excerpt = text[start:end]
    if excerpt.count("(") > excerpt.count(")") and text[end : end + 1] == ")":
        return end + 1
    return end


def _named_pupils(text: str) -> list[tuple[int, int, Finding]]:
    found: list[tuple[int, int, Finding]] = []
    names = _names(text)
    if not names:
        return found  # most posts name no one: no need to look for what could be said about them
    attributes = _attributes(text)
    starts = [attribute.start for attribute in attributes]
    for name in sorted(names.values(), key=lambda name: name.start):
        staff = name.pupil_word_start is None and _is_staff(text, name)
        if staff:
            continue
        attribute = _sensitive_near(text, name, attributes, starts)
        if attribute is not None:
            start = min(name.start if name.pupil_word_start is None else name.pupil_word_start, attribute.start)
            end = _close_bracket(text, start, max(name.end, attribute.end))
            label = f"a pupil's name alongside sensitive information ({attribute.text})"
            found.append((start, end, Finding("named_pupil_sensitive", label, text[start:end])))
        elif name.pupil_word_start is not None:
            start, end = name.pupil_word_start, name.end
            found.append((start, end, Finding("named_pupil", "a pupil's full name", text[start:end])))
        elif name.year_end is not None:
            start, end = name.start, _close_bracket(text, name.start, name.year_end)
            found.append((start, end, Finding("named_pupil", "a pupil's full name", text[start:end])))
    return found


def find_personal_data(text: str) -> list[Finding]:
    """What in `text` looks like a pupil's or staff member's personal data, in order of appearance."""
    spans = sorted(_identifiers(text) + _named_pupils(text), key=lambda span: (span[0], span[1]))
    seen: set[tuple[int, int]] = set()
    findings: list[Finding] = []
    for start, end, finding in spans:
        if (start, end) not in seen:
            seen.add((start, end))
            findings.append(finding)
    return findings
