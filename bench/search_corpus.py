"""Generated posts for the search benchmark (bench/search.py): realistic length and vocabulary, loaded fast.

Words are drawn from a Zipf-like distribution (p ∝ 1 / (rank + 2.7)) over the everyday words of the
platform's posts (function words first, then the sector's own: pupils, staff, attendance …) and a long
tail of made-up words, so a few terms appear in most posts and most terms in a few; each post also
takes about one word in twelve from its themes' own words and phrases ("persistent absence", "times
tables"), so a post on attendance reads as one. A handful of rare words (`RARE`) are planted into
exactly `RARE_POSTS` posts each, whatever the corpus size.

Practices (60%) have a summary, a setting, what we did (a list), what we stopped, impact, an evidence
strength, one to three themes and one or two phases; requests (40%) have a support type, an urgency
and a status (a closed one has an outcome). Bodies are Markdown: paragraphs, a heading or two, a list,
a bold phrase. Lengths run from 300 to 1,500 words a post (median about 600). Posts spread over two
years in id order, over 20 networks of uneven size (12 public, 6 members-only, 2 hidden), by 800
people of 300 organisations; about one reply for every three posts.

PostgreSQL is loaded with COPY (asyncpg's `copy_records_to_table`), its search index and the posts'
other secondary indexes dropped first and built again after (faster than keeping them current row by
row), then ANALYZE; SQLite with executemany in one transaction, the FTS5 triggers filling the index.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import numpy as np

from network.enums import (
    ContentState,
    EvidenceStrength,
    JoinPolicy,
    MemberState,
    NetworkKind,
    OrgKind,
    Phase,
    PostKind,
    Region,
    RequestStatus,
    Role,
    SupportType,
    Urgency,
    Visibility,
)

NETWORKS = 20
ORGANISATIONS = 300
PEOPLE = 800
PRACTICE_SHARE = 0.6
TOPIC_SHARE = 1 / 16  # of a post's words, from its themes' own words
TAIL_SHARE = 0.12  # of a post's words, from the made-up tail
MIN_WORDS, MEDIAN_WORDS, MAX_WORDS = 300, 520, 1500
YEARS = 2
RARE_POSTS = 12  # each rare word is planted into this many posts, at every size
READER_EMAIL = "reader@bench.example"

# Words of the platform's posts, most common first: function words, with the sector's commonest among them.
COMMON = """
the and to of a in we for with our that it is on was were this they from as at by be are have has
their each but not pupils more who what when all so staff an had which also school into after than
then teachers about them there can would how year now time trust lessons some most other support
week term over only very no out up before class schools children one two three work new what did
families parents leaders first every day because could through these those started still just where
our own learning asked made much less same across last many need needs why found wanted
working together began whole next used using help helped better good really able often always
never around kept took gave give make making know knew think thought see seen saw look looked back
well even too few little long short high low large larger smaller important clear clearer simple
simpler hard harder easy easier quickly slowly regularly instead already again while during until
since without within between under both either such here way ways part start end set sets run ran
takes take taking come came went go going want told tell said says say felt feel means mean meant
try tried trying keep moved move show showed shows shown read wrote write written given put brought
bring agreed decided planned built building worked works worker half full whole weekly daily right
wrong real able unable enough rather quite almost later earlier soon once twice four five six ten
""".split()  # noqa: SIM905
DOMAIN = """
teaching curriculum reading attendance subject leader senior team plan planning primary secondary
data report meeting meetings weekly termly governors trustees headteacher deputy head department
classroom lesson teacher teaching assistant assistants practice approach change changes changed
behaviour group groups small tutor tutors year6 year7 results progress outcomes evidence impact
review reviewed survey feedback marking homework books writing maths english science history
geography music art sport library phonics vocabulary oracy talk questions answers retrieval quiz
quizzes knowledge skills older younger students disadvantaged premium funding budget cost costs
hours minutes mornings afternoons lunchtime breakfast club after-school trip trips visit visits
partner partners network local authority regional national academy academies federation diocese
community village town city coastal rural urban estate intake roll numbers percentage rose fell
improved improvement steady gap gaps closing attainment key stage ks1 ks2 ks3 ks4 gcse sats mock
mocks exam exams assessment assessments test tests moderation standard standards expected greater
depth catch-up intervention interventions one-to-one small-group tutoring mentoring coaching
training inset cpd development career early careers recruitment retention workload wellbeing
stress cover absence absences sickness supply agency vacancies appointed role roles responsibility
policy policies routine routines consistent consistency expectations lanyards corridors playground
uniform detention detentions reward rewards points sanctions exclusion exclusions suspension
inclusion send senco needs ehcp autism speech language therapy therapist sensory adaptations
safeguarding concerns pastoral mental health counselling anxiety nurture transition induction
bridge feeder handover information shared sharing share shared drive spreadsheet dashboard tracker
system systems software platform app email emails letter letters phone calls text messages home
visit visits conversation conversations workshop workshops evening evenings coffee morning
governance board boards committee scheme delegation link health-check audit compliance ofsted
inspection inspectors framework deep dive dives subject leads middle leaders heads chair chairs
journal research study studies trial trialled pilot piloted evaluation evaluated comparison
internal external evidence-based randomised sample control baseline measure measured measures
""".split()  # noqa: SIM905
THEMES: dict[str, list[str]] = {
    # the demo's themes first (server/demo_content.toml), then others a sector platform would carry
    "workforce": ["recruitment", "retention", "early career teachers", "mentors", "supply cover", "vacancies",
                  "flexible working", "coaching", "staff turnover", "job shares"],
    "attendance": ["attendance", "persistent absence", "absence", "punctuality", "register", "home visits",
                   "attendance officer", "late arrivals", "first day calling", "families", "breakfast club"],
    "reading": ["reading", "books", "library", "reading for pleasure", "fluency", "comprehension",
                "class novel", "reading age", "vocabulary", "book talk"],
    "curriculum": ["curriculum", "sequencing", "knowledge organisers", "subject leaders", "long-term plan",
                   "retrieval practice", "medium-term plans", "disciplinary knowledge"],
    "send": ["send", "senco", "education health and care plans", "inclusion", "additional needs",
             "teaching assistants", "adaptations", "autism", "sensory breaks", "speech and language"],
    "workload": ["workload", "marking", "feedback", "data drops", "email policy", "planning time",
                 "meetings", "report writing"],
    "transition": ["transition", "year 6", "year 7", "bridge unit", "feeder primaries", "induction day",
                   "handover", "summer school"],
    "oracy": ["oracy", "talk", "sentence stems", "debate", "talk partners", "speaking", "listening",
              "discussion guidelines"],
    "maths": ["maths", "times tables", "fluency", "number sense", "manipulatives", "bar models", "arithmetic",
              "mastery", "reasoning"],
    "assessment": ["assessment", "mock exams", "moderation", "comparative judgement", "formative assessment",
                   "question level analysis", "gap analysis", "tests"],
    "behaviour": ["behaviour", "exclusions", "detentions", "restorative conversations", "behaviour policy",
                  "corridors", "routines", "reset room", "suspensions"],
    "governance": ["governance", "trustees", "local governing boards", "scheme of delegation", "link trustee",
                   "governors", "health-check", "clerk"],
    "early reading": ["phonics", "decodable books", "blending", "reception", "letter sounds",
                      "phonics screening check", "early reading", "keep-up sessions"],
    "wellbeing": ["wellbeing", "mental health", "anxiety", "counselling", "pastoral team", "nurture group",
                  "staff wellbeing"],
    "safeguarding": ["safeguarding", "designated safeguarding lead", "concerns", "early help", "referrals",
                     "online safety"],
    "disadvantage": ["disadvantaged pupils", "pupil premium", "free school meals", "tutoring", "cost of living",
                     "uniform bank"],
    "writing": ["writing", "handwriting", "extended writing", "drafting", "editing", "grammar", "spelling"],
    "science": ["science", "practical work", "experiments", "required practicals", "working scientifically"],
    "careers": ["careers", "work experience", "gatsby benchmarks", "employers", "apprenticeships", "post-16"],
    "cpd": ["instructional coaching", "deliberate practice", "incremental coaching", "inset days",
            "teacher development", "lesson observation"],
}  # fmt: skip
THEME_NAMES = list(THEMES)
# how often each theme is chosen: the demo's commonest first
THEME_WEIGHTS = [1 / (i + 2) ** 0.8 for i in range(len(THEME_NAMES))]
PHASES = [p.value for p in Phase]
PHASE_WEIGHTS = [0.6, 3, 3, 0.8, 0.8, 0.4, 0.8]
RARE = ["kintsugi", "sociogram", "tessellation", "palimpsest", "beekeeping", "sundial", "orienteering", "calligraphy"]
HEADINGS = [
    "Why we started",
    "What happened",
    "What we learned",
    "Next steps",
    "The problem",
    "How it works",
    "What we would do differently",
    "Costs",
]
REQUEST_OPENINGS = [
    "Looking for a school that has tried",
    "Has anyone changed their approach to",
    "Advice wanted on",
    "Seeking a partner trust for",
    "Can anyone share their work on",
]
TAIL_WORDS = 30_000
_CONSONANTS = "bdfghklmnprstvz"
_VOWELS = "aeiou"

POST_COLUMNS = (
    "id",
    "network_id",
    "author_id",
    "organisation_id",
    "kind",
    "title",
    "body",
    "state",
    "pinned",
    "locked",
    "revision",
    "summary",
    "phases",
    "setting",
    "what_we_did",
    "what_we_stopped",
    "impact",
    "evidence_strength",
    "themes",
    "resources",
    "support_type",
    "urgency",
    "status",
    "outcome",
    "closed_at",
    "created_at",
    "updated_at",
)
REPLY_COLUMNS = ("id", "post_id", "author_id", "body", "state", "created_at", "updated_at")
WRITERS = 2  # COPY connections
JSON_COLUMNS = frozenset({"phases", "themes", "resources"})


def _tail(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Made-up words for the long tail (two to four syllables), none of them a real or planted word."""
    syllables = [c + v for c in _CONSONANTS for v in _VOWELS] + [c + v + "n" for c in _CONSONANTS for v in _VOWELS]
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        word = "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass
class Dataset:
    """What was made around the posts: the ids the benchmark uses."""

    posts: int
    replies: int
    networks: list[dict[str, Any]]
    reader_id: int
    reader_networks: list[int]
    people: int
    organisations: int
    rare_posts: dict[str, list[int]] = field(default_factory=dict)
    posts_per_network: dict[int, int] = field(default_factory=dict)
    authors: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # network id: (person, organisation)
    network_weights: list[float] = field(default_factory=list)


class Corpus:
    """Deterministic post text: the same seed and size give the same posts."""

    def __init__(self, seed: int = 27) -> None:
        self.seed = seed
        rng = random.Random(seed)
        real = list(dict.fromkeys(COMMON + DOMAIN))
        topic = list(dict.fromkeys(w for words in THEMES.values() for w in words if w not in real))
        # topic words and phrases sit among the ranks of the domain's words, each at a random place
        for phrase in topic:
            real.insert(rng.randint(len(COMMON), len(real)), phrase)
        tail = _tail(rng, TAIL_WORDS, set(real) | set(RARE))
        vocabulary = real + tail
        self.vocabulary = vocabulary
        self.words = np.array(vocabulary, dtype=object)
        # Zipf-like over the real words; the tail the same shape on its own, scaled to TAIL_SHARE of all words
        head = 1.0 / (np.arange(len(real)) + 2.7)
        rest = 1.0 / (np.arange(len(tail)) + 10.0)
        rest *= TAIL_SHARE / (1 - TAIL_SHARE) * head.sum() / rest.sum()
        weights = np.concatenate([head, rest])
        self.cumulative = np.cumsum(weights) / weights.sum()
        index = {w: i for i, w in enumerate(vocabulary)}
        width = 24  # a theme's words, its first ones more often (the table row cycles through them)
        self.topics = np.array(
            [[index[words[i % len(words)]] for i in range(width)] for words in THEMES.values()], dtype=np.int64
        )

    def word_near_share(self, share: float) -> str:
        """A made-up word of the tail expected in about `share` of the posts (a middling term)."""
        probabilities = np.diff(self.cumulative, prepend=0.0)
        mean_words = MEDIAN_WORDS * math.exp(0.45**2 / 2)
        shares = 1 - np.exp(-mean_words * probabilities)
        first_tail = len(self.vocabulary) - TAIL_WORDS
        best = first_tail + int(np.argmin(np.abs(shares[first_tail:] - share)))
        return self.vocabulary[best]

    # -- the people and networks around the posts ---------------------------------------------------------

    def networks(self) -> list[dict[str, Any]]:
        rng = random.Random(self.seed + 1)
        regions = list(Region)
        out = []
        for n in range(NETWORKS):
            if n < 9:
                kind, name, region = NetworkKind.REGIONAL, regions[n].label, regions[n]
            elif n < 18:
                kind, name, region = NetworkKind.THEMATIC, THEME_NAMES[n - 9].title(), None
            else:
                kind, name, region = NetworkKind.NATIONAL, f"National forum {n - 17}", None
            visibility = Visibility.HIDDEN if n in (7, 16) else Visibility.MEMBERS if n % 3 == 2 else Visibility.PUBLIC
            out.append(
                {
                    "slug": f"search-{n + 1}",
                    "name": name,
                    "kind": kind,
                    "region": region,
                    "description": "",
                    "visibility": visibility,
                    "join_policy": JoinPolicy.OPEN if visibility is Visibility.PUBLIC else JoinPolicy.REQUEST,
                    "weight": 1 / (rng.random() * 0.5 + n % 7 + 1) ** 0.8,  # some networks far busier
                }
            )
        return out

    # -- the posts ----------------------------------------------------------------------------------------

    def plant(self, total: int) -> dict[str, list[int]]:
        """Which post ids (1-based) carry each rare word."""
        rng = random.Random(self.seed + 2)
        return {word: sorted(rng.sample(range(1, total + 1), min(RARE_POSTS, total))) for word in RARE}

    def batches(
        self,
        total: int,
        authors: dict[int, list[tuple[int, int]]],
        network_ids: list[int],
        network_weights: list[float],
        *,
        batch: int = 5000,
        now: datetime | None = None,
    ) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """Posts 1..total and their replies, `batch` posts at a time, as rows in POST_COLUMNS and
        REPLY_COLUMNS order (JSON columns as lists). `authors` maps a network id to its members
        (person id, organisation id)."""
        end = now or datetime.now(UTC)
        start = end - timedelta(days=365 * YEARS)
        span = (end - start).total_seconds()
        planted: dict[int, list[str]] = {}
        for word, ids in self.plant(total).items():
            for i in ids:
                planted.setdefault(i, []).append(word)
        reply_id = 0
        np_rng = np.random.default_rng(self.seed + 3)
        rng = random.Random(self.seed + 4)
        prose = Prose(random.Random(self.seed + 6))
        everyone = sorted({a for members in authors.values() for a in members})
        for first in range(1, total + 1, batch):
            ids = list(range(first, min(total, first + batch - 1) + 1))
            count = len(ids)
            lengths = np.clip(np_rng.lognormal(np.log(MEDIAN_WORDS), 0.45, count), MIN_WORDS, MAX_WORDS).astype(
                np.int64
            )
            practice = np_rng.random(count) < PRACTICE_SHARE
            main_theme = np_rng.choice(len(THEME_NAMES), count, p=np.array(THEME_WEIGHTS) / sum(THEME_WEIGHTS))
            tokens = np.searchsorted(self.cumulative, np_rng.random(int(lengths.sum())))
            topical = np_rng.random(len(tokens)) < TOPIC_SHARE
            owner_theme = np.repeat(main_theme, lengths)[topical]
            tokens[topical] = self.topics[owner_theme, np_rng.integers(0, self.topics.shape[1], int(topical.sum()))]
            words: list[str] = self.words[tokens].tolist()
            networks = rng.choices(network_ids, network_weights, k=count)
            posts, replies = [], []
            offset = 0
            for k, post_id in enumerate(ids):
                n = int(lengths[k])
                own = words[offset : offset + n]
                offset += n
                theme = THEME_NAMES[int(main_theme[k])]
                created = start + timedelta(seconds=span * (post_id - 1 + rng.random()) / total)
                network_id = networks[k]
                author, organisation = rng.choice(authors[network_id])
                post = self._post(rng, prose, post_id, bool(practice[k]), theme, own, planted.get(post_id, []))
                post.update(
                    id=post_id,
                    network_id=network_id,
                    author_id=author,
                    organisation_id=organisation,
                    created_at=created,
                    updated_at=created,
                )
                if post["kind"] is PostKind.REQUEST and post["status"] is RequestStatus.CLOSED:
                    post["closed_at"] = created + timedelta(days=rng.uniform(5, 60))
                posts.append(tuple(post[c] for c in POST_COLUMNS))
                # none for three posts in four, then one more each time with a chance of one in four:
                # a third of a reply per post on average
                more = rng.random() < 0.25
                while more:
                    reply_id += 1
                    when = created + timedelta(hours=rng.uniform(1, 240))
                    size = rng.randint(20, 150)
                    start_at = rng.randrange(0, max(1, n - size))
                    body = prose.paragraphs(own[start_at : start_at + size])
                    state = ContentState.VISIBLE if rng.random() > 0.01 else ContentState.HIDDEN
                    replier = rng.choice(authors[network_id] if rng.random() < 0.9 else everyone)[0]
                    replies.append((reply_id, post_id, replier, body, state, when, when))
                    more = rng.random() < 0.25
            yield posts, replies

    def _post(
        self,
        rng: random.Random,
        prose: Prose,
        post_id: int,
        practice: bool,
        theme: str,
        words: list[str],
        rare: list[str],
    ) -> dict[str, Any]:
        n = len(words)
        themes = [theme]
        if practice:
            themes += [t for t in rng.choices(THEME_NAMES, THEME_WEIGHTS, k=rng.choice((0, 1, 1, 2))) if t != theme]
        cut = _cuts(n, (0.012, 0.06, 0.035, 0.14, 0.08, 0.13) if practice else (0.015, 0.0, 0.0, 0.0, 0.0, 0.0), rng)
        title_words = THEMES[theme][rng.randrange(len(THEMES[theme]))].split() + words[cut[0] : cut[1]]
        if len(title_words) < 5:
            title_words += words[-4:]
        title = _title(title_words[:14])
        if not practice:
            title = f"{rng.choice(REQUEST_OPENINGS)} {title[0].lower()}{title[1:]}"
        title = title[:200]
        if rare and rng.random() < 0.25:
            title = f"{title[: 200 - len(rare[0]) - 6]} with {rare[0]}"
        state = _state(rng)
        post: dict[str, Any] = {
            "kind": PostKind.PRACTICE if practice else PostKind.REQUEST,
            "title": title,
            "state": state,
            "pinned": rng.random() < 0.001,
            "locked": False,
            "revision": 1,
            "summary": "",
            "phases": [],
            "setting": "",
            "what_we_did": "",
            "what_we_stopped": "",
            "impact": "",
            "evidence_strength": None,
            "themes": [],
            "resources": [],
            "support_type": None,
            "urgency": None,
            "status": None,
            "outcome": "",
            "closed_at": None,
        }
        planted = [f"We borrowed the idea of {word} from a partner school." for word in rare]
        if practice:
            phases = rng.choices(PHASES, PHASE_WEIGHTS, k=rng.choice((1, 1, 2)))
            post.update(
                summary=prose.sentences(words[cut[1] : cut[2]])[:500],
                setting=prose.sentences(words[cut[2] : cut[3]])[:500],
                what_we_did=prose.items(words[cut[3] : cut[4]]),
                what_we_stopped=prose.paragraphs(words[cut[4] : cut[5]]),
                impact=prose.paragraphs(words[cut[5] : cut[6]]),
                body=prose.markdown(words[cut[6] :], planted),
                evidence_strength=rng.choices(list(EvidenceStrength), (35, 40, 15, 10))[0],
                themes=themes,
                phases=list(dict.fromkeys(phases)),
                resources=[{"title": "Our template", "url": f"https://example.org/r/{post_id}"}]
                if rng.random() < 0.2
                else [],
            )
        else:
            status = rng.choices(list(RequestStatus), (45, 20, 20, 15))[0]
            body_words = words[cut[1] :]
            outcome = ""
            if status is RequestStatus.CLOSED:
                split = len(body_words) * 9 // 10
                body_words, outcome = body_words[:split], prose.paragraphs(body_words[split:])
            post.update(
                body=prose.markdown(body_words, planted),
                support_type=rng.choice(list(SupportType)),
                urgency=rng.choices(list(Urgency), (3, 5, 2))[0],
                status=status,
                outcome=outcome,
            )
        return post

    def new_posts(self, count: int, dataset: Dataset, now: datetime) -> list[dict[str, Any]]:
        """Posts written after the corpus (another seed), visible, as column values without an id."""
        fresh = Corpus(self.seed + 1000)
        network_ids = [n["id"] for n in dataset.networks]
        out = []
        for rows, _ in fresh.batches(count, dataset.authors, network_ids, dataset.network_weights, now=now):
            for row in rows:
                values = dict(zip(POST_COLUMNS, row, strict=True))
                del values["id"]
                values.update(state=ContentState.VISIBLE, created_at=now, updated_at=now, pinned=False)
                out.append(values)
        return out

    # -- the rows around the posts ------------------------------------------------------------------------

    def organisation_rows(self) -> list[dict[str, Any]]:
        kinds = [OrgKind.MULTI_ACADEMY_TRUST] * 6 + [OrgKind.SINGLE_ACADEMY_TRUST] * 2 + [OrgKind.LOCAL_AUTHORITY]
        kinds += [OrgKind.DIOCESE]
        return [
            {"name": f"Search Trust {i + 1}", "kind": kinds[i % len(kinds)], "region": list(Region)[i % 9]}
            for i in range(ORGANISATIONS)
        ]

    def people_rows(self, organisation_ids: list[int], password_hash: str) -> list[dict[str, Any]]:
        rows = [
            {
                "email": READER_EMAIL,
                "display_name": "Search Reader",
                "password_hash": password_hash,
                "organisation_id": organisation_ids[0],
            }
        ]
        rows += [
            {
                "email": f"author-{i}@bench.example",
                "display_name": f"Author {i}",
                "password_hash": password_hash,
                "organisation_id": organisation_ids[i % len(organisation_ids)],
            }
            for i in range(1, PEOPLE)
        ]
        return rows

    def membership_rows(
        self, network_ids: list[int], networks: list[dict[str, Any]], person_ids: list[int]
    ) -> tuple[list[dict[str, Any]], list[int]]:
        """Each author a member of one to four networks; the reader (the first person) an active member
        of six: three public, two members-only and one hidden. Returns the rows and the reader's networks."""
        rng = random.Random(self.seed + 5)
        reader, authors = person_ids[0], person_ids[1:]
        by_visibility: dict[Visibility, list[int]] = {}
        for network_id, network in zip(network_ids, networks, strict=True):
            by_visibility.setdefault(network["visibility"], []).append(network_id)
        mine = (
            by_visibility[Visibility.PUBLIC][:3]
            + by_visibility[Visibility.MEMBERS][:2]
            + by_visibility[Visibility.HIDDEN][:1]
        )
        pairs = {(n, reader) for n in mine}
        for i, person in enumerate(authors):
            pairs.add((network_ids[i % len(network_ids)], person))  # every network has authors
            for n in rng.sample(network_ids, rng.randint(0, 3)):
                pairs.add((n, person))
        rows = [
            {
                "network_id": n,
                "person_id": p,
                "role": Role.MEMBER,
                "state": MemberState.ACTIVE,
            }
            for n, p in sorted(pairs)
        ]
        return rows, mine


def _cuts(n: int, shares: tuple[float, ...], rng: random.Random) -> list[int]:
    """Where a post's words divide between title, summary, setting, what we did, what we stopped and
    impact (the rest is the body)."""
    cuts = [0]
    for share in shares:
        cuts.append(cuts[-1] + (max(6, round(n * share * rng.uniform(0.7, 1.3))) if share else 0))
    cuts[1] = max(cuts[1], 5)
    return cuts


def _state(rng: random.Random) -> ContentState:
    roll = rng.random()
    if roll < 0.01:
        return ContentState.HIDDEN
    if roll < 0.015:
        return ContentState.HELD
    if roll < 0.018:
        return ContentState.REMOVED
    return ContentState.VISIBLE


def _title(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


class Prose:
    """Words into sentences, paragraphs, lists and Markdown bodies. Sentence and block lengths come from
    precomputed random cycles (drawing each from `random` cost more than the rest of the text)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sentence = itertools.cycle([rng.randint(7, 19) for _ in range(10_007)])
        self.paragraph = itertools.cycle([rng.randint(40, 90) for _ in range(10_009)])
        self.item = itertools.cycle([rng.randint(8, 22) for _ in range(10_037)])
        self.block = itertools.cycle([rng.randint(40, 110) for _ in range(10_039)])

    def sentences(self, words: list[str]) -> str:
        out = []
        i = 0
        sentence = self.sentence
        while i < len(words):
            size = next(sentence)
            text = " ".join(words[i : i + size])
            i += size
            out.append(text[:1].upper() + text[1:] + ".")
        return " ".join(out)

    def paragraphs(self, words: list[str]) -> str:
        out = []
        i = 0
        while i < len(words):
            size = next(self.paragraph)
            out.append(self.sentences(words[i : i + size]))
            i += size
        return "\n\n".join(out)

    def items(self, words: list[str]) -> str:
        out = []
        i = 0
        while i < len(words):
            size = next(self.item)
            out.append("- " + self.sentences(words[i : i + size]))
            i += size
        return "\n".join(out)

    def markdown(self, words: list[str], planted: list[str]) -> str:
        """A body: paragraphs, a heading or two, a list, a bold phrase, and any planted sentences."""
        blocks: list[str] = []
        i = 0
        headings = self.rng.sample(HEADINGS, 2)
        while i < len(words):
            size = next(self.block)
            chunk = words[i : i + size]
            i += size
            if len(blocks) in (2, 6) and headings:
                blocks.append("## " + headings.pop())
            if len(blocks) == 4:
                blocks.append(self.items(chunk))
                continue
            text = self.sentences(chunk)
            if len(blocks) == 1 and len(chunk) > 6:
                bold = " ".join(chunk[3:5])
                text = text.replace(bold, f"**{bold}**", 1)
            blocks.append(text)
        if planted:
            blocks.insert(min(1, len(blocks)), " ".join(planted))
        return "\n\n".join(blocks)


def as_copy(row: tuple[Any, ...], columns: tuple[str, ...]) -> tuple[Any, ...]:
    """A row for COPY: JSON columns as JSON text (asyncpg's jsonb codec takes text), enums as their values."""
    return tuple(json.dumps(v) if c in JSON_COLUMNS else v for c, v in zip(columns, row, strict=True))


def timed_generation(total: int) -> float:
    """Seconds to generate `total` posts without writing them (for tuning)."""
    corpus = Corpus()
    t0 = time.perf_counter()
    authors = {1: [(1, 1), (2, 1)]}
    for _ in corpus.batches(total, authors, [1], [1.0]):
        pass
    return time.perf_counter() - t0


# -- loading ---------------------------------------------------------------------------------------------


@dataclass
class Loaded:
    dataset: Dataset
    seconds: float  # generating and writing the posts and replies, and building the indexes again
    index_seconds: float  # of which building the indexes again (and ANALYZE)
    sizes: dict[str, int] = field(default_factory=dict)  # bytes: posts, ix_posts_search, …


def loaded_to_json(loaded: Loaded, seed: int) -> str:
    """What a loaded PostgreSQL corpus was, kept as the posts table's comment so `--reuse` can skip loading."""
    return json.dumps({"bench": "search", "seed": seed, **asdict(loaded)}, default=str)


def loaded_from_json(raw: str | None, seed: int, posts: int) -> Loaded | None:
    """The corpus a database holds, if it is this seed's at this size."""
    try:
        data = json.loads(raw or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("bench") != "search" or data.get("seed") != seed:
        return None
    found = data["dataset"]
    if found["posts"] != posts:
        return None
    found["posts_per_network"] = {int(k): v for k, v in found["posts_per_network"].items()}
    found["authors"] = {int(k): [(p, o) for p, o in v] for k, v in found["authors"].items()}
    return Loaded(Dataset(**found), data["seconds"], data["index_seconds"], data["sizes"])


async def _people_and_networks(
    session: Any, corpus: Corpus, password_hash: str
) -> tuple[Dataset, dict[int, list[tuple[int, int]]], list[int], list[float]]:
    """Organisations, people, networks and memberships (a few thousand rows, through SQLAlchemy)."""
    from sqlalchemy import insert, select

    from network.models import Membership, Network, Organisation, Person

    await session.execute(insert(Organisation), corpus.organisation_rows())
    organisation_ids = list((await session.execute(select(Organisation.id).order_by(Organisation.id))).scalars())
    await session.execute(insert(Person), corpus.people_rows(organisation_ids, password_hash))
    people = (await session.execute(select(Person.id, Person.organisation_id).order_by(Person.id))).all()
    person_ids = [p for p, _ in people]
    org_of = {p: o for p, o in people}
    networks = corpus.networks()
    await session.execute(insert(Network), [{k: v for k, v in n.items() if k != "weight"} for n in networks])
    network_ids = list((await session.execute(select(Network.id).order_by(Network.id))).scalars())
    rows, mine = corpus.membership_rows(network_ids, networks, person_ids)
    await session.execute(insert(Membership), rows)
    authors: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        if row["person_id"] != person_ids[0]:
            authors.setdefault(row["network_id"], []).append((row["person_id"], org_of[row["person_id"]]))
    dataset = Dataset(
        posts=0,
        replies=0,
        networks=[
            {"id": i, "slug": n["slug"], "name": n["name"], "visibility": str(n["visibility"])}
            for i, n in zip(network_ids, networks, strict=True)
        ],
        reader_id=person_ids[0],
        reader_networks=mine,
        people=len(person_ids),
        organisations=len(organisation_ids),
    )
    dataset.authors = authors
    dataset.network_weights = [n["weight"] for n in networks]
    return dataset, authors, network_ids, dataset.network_weights


def _produce(
    seed: int,
    total: int,
    authors: dict[int, list[tuple[int, int]]],
    network_ids: list[int],
    weights: list[float],
    now: datetime,
    out: Any,
    writers: int,
) -> None:
    """The generator's own process: batches of rows into the queue, then a None for each writer."""
    corpus = Corpus(seed)
    for posts, replies in corpus.batches(total, authors, network_ids, weights, now=now):
        out.put(([as_copy(r, POST_COLUMNS) for r in posts], replies))
    for _ in range(writers):
        out.put(None)


async def _write(dsn: str, queue: Any) -> tuple[int, int]:
    """One writer: COPY batches from the queue until its None; the posts and replies it wrote."""
    import asyncio

    import asyncpg

    conn = await asyncpg.connect(dsn)
    posts = replies = 0
    try:
        await conn.execute("SET session_replication_role = replica")  # no foreign-key triggers during the load
        while True:
            batch = await asyncio.to_thread(queue.get)
            if batch is None:
                return posts, replies
            post_rows, reply_rows = batch
            await conn.copy_records_to_table("posts", records=post_rows, columns=POST_COLUMNS)
            await conn.copy_records_to_table("replies", records=reply_rows, columns=REPLY_COLUMNS)
            posts += len(post_rows)
            replies += len(reply_rows)
    finally:
        await conn.close()


async def load_postgres(url: str, corpus: Corpus, total: int, password_hash: str, now: datetime) -> Loaded:
    """`total` posts into an empty, migrated PostgreSQL database."""
    import asyncio
    import multiprocessing

    import asyncpg
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    started = time.perf_counter()
    engine = create_async_engine(url)
    try:
        async with async_sessionmaker(engine)() as session:
            dataset, authors, network_ids, weights = await _people_and_networks(session, corpus, password_hash)
            await session.commit()
    finally:
        await engine.dispose()
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename IN ('posts', 'replies') AND indexname NOT LIKE 'pk\\_%'"
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
        # the text is generated in a process of its own while PostgreSQL indexes it (to_tsvector) on
        # two connections: the three keep both cores busy
        context = multiprocessing.get_context("spawn")
        queue = context.Queue(maxsize=4)
        producer = context.Process(
            target=_produce,
            args=(corpus.seed, total, authors, network_ids, weights, now, queue, WRITERS),
            daemon=True,
        )
        producer.start()
        counts = await asyncio.gather(*(_write(dsn, queue) for _ in range(WRITERS)))
        producer.join()
        posts, replies = (sum(c[i] for c in counts) for i in (0, 1))
        indexed = time.perf_counter()
        await conn.execute("SET maintenance_work_mem = '1GB'")
        for index in indexes:
            await conn.execute(index["indexdef"])
        for table in ("posts", "replies"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        await conn.execute("VACUUM (ANALYZE) posts")
        await conn.execute("VACUUM (ANALYZE) replies")
        finished = time.perf_counter()
        sizes = {}
        for name in ("posts", "replies", "ix_posts_search", "ix_replies_search"):
            sizes[name] = int(await conn.fetchval("SELECT coalesce(pg_relation_size(to_regclass($1)), 0)", name))
        sizes["posts_total"] = int(await conn.fetchval("SELECT pg_total_relation_size('posts')"))
        counted = await conn.fetch("SELECT network_id, count(*) AS n FROM posts GROUP BY network_id")
        dataset.posts_per_network = {int(r["network_id"]): int(r["n"]) for r in counted}
    finally:
        await conn.close()
    dataset.posts, dataset.replies = posts, replies
    dataset.rare_posts = corpus.plant(total)
    return Loaded(dataset, finished - started, finished - indexed, sizes)


async def load_sqlite(url: str, corpus: Corpus, total: int, password_hash: str, now: datetime) -> Loaded:
    """`total` posts into an empty, migrated SQLite database: executemany in one transaction, the FTS5
    tables filled by the migration's triggers as for any insert."""
    import asyncio
    from pathlib import Path

    from sqlalchemy import Table, create_engine, insert
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from network.models import Post, Reply

    started = time.perf_counter()
    engine = create_async_engine(url)
    try:
        async with async_sessionmaker(engine)() as session:
            dataset, authors, network_ids, weights = await _people_and_networks(session, corpus, password_hash)
            await session.commit()
    finally:
        await engine.dispose()
    path = url.split("///", 1)[1]

    def write() -> tuple[int, int, dict[int, int]]:
        sync = create_engine(f"sqlite:///{path}")
        posts = replies = 0
        try:
            with sync.begin() as conn:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for post_rows, reply_rows in corpus.batches(total, authors, network_ids, weights, now=now):
                    conn.execute(
                        insert(cast(Table, Post.__table__)),
                        [dict(zip(POST_COLUMNS, r, strict=True)) for r in post_rows],
                    )
                    if reply_rows:
                        conn.execute(
                            insert(cast(Table, Reply.__table__)),
                            [dict(zip(REPLY_COLUMNS, r, strict=True)) for r in reply_rows],
                        )
                    posts += len(post_rows)
                    replies += len(reply_rows)
            with sync.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                counted = conn.exec_driver_sql("SELECT network_id, count(*) FROM posts GROUP BY network_id").all()
        finally:
            sync.dispose()
        return posts, replies, {int(n): int(c) for n, c in counted}

    dataset.posts, dataset.replies, dataset.posts_per_network = await asyncio.to_thread(write)
    dataset.rare_posts = corpus.plant(total)
    finished = time.perf_counter()
    return Loaded(dataset, finished - started, 0.0, {"database_file": Path(path).stat().st_size})
