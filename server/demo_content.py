"""Demo content for Improvement Commons: fictional trusts, people, networks and posts.

Pure data, no I/O. The seeding code turns these records into database rows. Every organisation,
person and school named here is invented; emails are on example.org. Nothing here is pupil data.
"""

from __future__ import annotations

from dataclasses import dataclass

from network.enums import (
    EvidenceStrength,
    JoinPolicy,
    NetworkKind,
    OrgKind,
    Phase,
    PostKind,
    ReactionKind,
    Region,
    SupportType,
    Urgency,
    Visibility,
)

DEMO_PASSWORD = "commons-demo-2026"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: OrgKind


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    display_name: str
    organisation: str  # organisation key
    is_admin: bool = False


@dataclass(frozen=True)
class DemoNetwork:
    slug: str
    name: str
    kind: NetworkKind
    region: Region | None
    description: str
    visibility: Visibility
    join_policy: JoinPolicy
    charter: str  # markdown: a short preamble, then a numbered list of clauses
    leads: tuple[str, ...]  # person keys
    members: tuple[str, ...]  # person keys, active members (not leads)
    observers: tuple[str, ...] = ()  # person keys, regulator or government organisations only


@dataclass(frozen=True)
class DemoReply:
    author: str  # person key
    body: str  # markdown


@dataclass(frozen=True)
class DemoOffer:
    author: str  # person key
    message: str
    accepted: bool = False


@dataclass(frozen=True)
class DemoPost:
    network: str  # network slug
    author: str  # person key
    kind: PostKind
    title: str
    body: str  # markdown
    # practice fields (kind == PRACTICE)
    summary: str = ""
    phases: tuple[Phase, ...] = ()
    setting: str = ""
    what_we_did: str = ""
    what_we_stopped: str = ""
    impact: str = ""
    evidence_strength: EvidenceStrength | None = None
    themes: tuple[str, ...] = ()
    resources: tuple[tuple[str, str], ...] = ()  # (title, url)
    # request fields (kind == REQUEST)
    support_type: SupportType | None = None
    urgency: Urgency | None = None
    closed_outcome: str = ""  # non-empty: the request is closed with this outcome
    replies: tuple[DemoReply, ...] = ()
    offers: tuple[DemoOffer, ...] = ()
    reactions: tuple[tuple[str, ReactionKind], ...] = ()  # (person key, kind)


_PRACTICE = PostKind.PRACTICE
_REQUEST = PostKind.REQUEST
_USEFUL = ReactionKind.USEFUL
_TRIED = ReactionKind.TRIED_IT


# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("stewards", "Improvement Commons Stewards", OrgKind.OTHER_GROUP),
    DemoOrganisation("hollinbrook", "Hollinbrook Schools Trust", OrgKind.MULTI_ACADEMY_TRUST),
    DemoOrganisation("brightwater", "Brightwater Learning Partnership", OrgKind.MULTI_ACADEMY_TRUST),
    DemoOrganisation("kestrel", "Kestrel Moor Academy Trust", OrgKind.MULTI_ACADEMY_TRUST),
    DemoOrganisation("cobalt", "Cobalt Vale Academies", OrgKind.MULTI_ACADEMY_TRUST),
    DemoOrganisation("lantern", "Lantern Fields Education Trust", OrgKind.MULTI_ACADEMY_TRUST),
    DemoOrganisation("saltmarsh", "Saltmarsh Bay Academies", OrgKind.MULTI_ACADEMY_TRUST),
    DemoOrganisation("chalkdown", "Chalkdown Learning Trust", OrgKind.MULTI_ACADEMY_TRUST),
    DemoOrganisation("ashcombe", "Ashcombe Park Academy Trust", OrgKind.SINGLE_ACADEMY_TRUST),
    DemoOrganisation("marrowby", "Diocese of Marrowby Board of Education", OrgKind.DIOCESE),
    DemoOrganisation("elmshire", "Elmshire County Council", OrgKind.LOCAL_AUTHORITY),
    DemoOrganisation("oakbrook", "Oakbrook and Sallow Lane Federation", OrgKind.FEDERATION),
    DemoOrganisation("sso", "Schools Standards Office", OrgKind.REGULATOR),
    DemoOrganisation("nsiu", "National School Improvement Unit", OrgKind.GOVERNMENT),
)


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------

PEOPLE: tuple[DemoPerson, ...] = (
    # Improvement Commons Stewards (platform stewardship)
    DemoPerson("admin", "admin@example.org", "Commons Admin", "stewards", is_admin=True),
    DemoPerson("priya", "priya.raman@example.org", "Priya Raman", "stewards"),
    # Hollinbrook Schools Trust (North East)
    DemoPerson("dcarr", "david.carr@example.org", "David Carr", "hollinbrook"),
    DemoPerson("nokafor", "ngozi.okafor@example.org", "Ngozi Okafor", "hollinbrook"),
    DemoPerson("lfenwick", "lucy.fenwick@example.org", "Lucy Fenwick", "hollinbrook"),
    # Brightwater Learning Partnership (North West)
    DemoPerson("demo", "demo@example.org", "Demo User", "brightwater"),
    DemoPerson("tbyrne", "tom.byrne@example.org", "Tom Byrne", "brightwater"),
    DemoPerson("shussain", "sadia.hussain@example.org", "Sadia Hussain", "brightwater"),
    # Kestrel Moor Academy Trust (Yorkshire and the Humber)
    DemoPerson("jmetcalfe", "joanne.metcalfe@example.org", "Joanne Metcalfe", "kestrel"),
    DemoPerson("rakhtar", "rizwan.akhtar@example.org", "Rizwan Akhtar", "kestrel"),
    DemoPerson("eholroyd", "emma.holroyd@example.org", "Emma Holroyd", "kestrel"),
    # Cobalt Vale Academies (West Midlands)
    DemoPerson("mbains", "manpreet.bains@example.org", "Manpreet Bains", "cobalt"),
    DemoPerson("gwalters", "gareth.walters@example.org", "Gareth Walters", "cobalt"),
    # Lantern Fields Education Trust (East of England)
    DemoPerson("cwhitlock", "claire.whitlock@example.org", "Claire Whitlock", "lantern"),
    DemoPerson("opatel", "omar.patel@example.org", "Omar Patel", "lantern"),
    DemoPerson("bnewman", "beth.newman@example.org", "Beth Newman", "lantern"),
    # Saltmarsh Bay Academies (South West)
    DemoPerson("wtrevail", "william.trevail@example.org", "William Trevail", "saltmarsh"),
    DemoPerson("agreen", "anna.green@example.org", "Anna Green", "saltmarsh"),
    DemoPerson("ipenrose", "isla.penrose@example.org", "Isla Penrose", "saltmarsh"),
    # Chalkdown Learning Trust (South East)
    DemoPerson("mforde", "mark.forde@example.org", "Mark Forde", "chalkdown"),
    DemoPerson("nsingh", "neha.singh@example.org", "Neha Singh", "chalkdown"),
    # Ashcombe Park Academy Trust (London, single academy trust)
    DemoPerson("yasante", "yaw.asante@example.org", "Yaw Asante", "ashcombe"),
    DemoPerson("fkhan", "fatima.khan@example.org", "Fatima Khan", "ashcombe"),
    # Diocese of Marrowby (East Midlands)
    DemoPerson("kpeel", "katherine.peel@example.org", "Katherine Peel", "marrowby"),
    DemoPerson("aobi", "andrew.obi@example.org", "Andrew Obi", "marrowby"),
    # Elmshire County Council (East Midlands)
    DemoPerson("smorrow", "simon.morrow@example.org", "Simon Morrow", "elmshire"),
    DemoPerson("hgrant", "hannah.grant@example.org", "Hannah Grant", "elmshire"),
    # Oakbrook and Sallow Lane Federation (London)
    DemoPerson("jdarby", "james.darby@example.org", "James Darby", "oakbrook"),
    DemoPerson("rcollins", "rosie.collins@example.org", "Rosie Collins", "oakbrook"),
    # Schools Standards Office (fictional regulator): observers only
    DemoPerson("hmarsh", "helen.marsh@example.org", "Helen Marsh", "sso"),
    DemoPerson("pquinn", "peter.quinn@example.org", "Peter Quinn", "sso"),
    # National School Improvement Unit (fictional government body): observer only
    DemoPerson("dlowe", "daniel.lowe@example.org", "Daniel Lowe", "nsiu"),
)


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------

_COMMON_CLAUSES = (
    (
        "Share what you would want to find: what you did, what you stopped doing, and how you know "
        "it made a difference. Say plainly when the evidence is thin."
    ),
    ("Never post anything that identifies a pupil, a family or a member of staff. Describe cohorts, not individuals."),
    "Offer help in proportion to your capacity. It is fine to decline a request or withdraw an offer.",
    (
        "Observers from regulators and government read and listen. They do not post, react or offer, "
        "and nothing shared here is inspection evidence."
    ),
    ("Leads moderate lightly and in the open. Raise concerns with the leads first, then with the platform stewards."),
)


def _charter(preamble: str, *clauses: str) -> str:
    """A charter in markdown: the preamble, then the network's own clauses and the common ones, numbered."""
    items = (*clauses, *_COMMON_CLAUSES)
    numbered = "\n".join(f"{number}. {text}" for number, text in enumerate(items, start=1))
    return f"{preamble}\n\n{numbered}\n"


def _regional(
    region: Region,
    description: str,
    local_clause: str,
    leads: tuple[str, ...],
    members: tuple[str, ...],
    observers: tuple[str, ...] = (),
) -> DemoNetwork:
    label = region.label
    return DemoNetwork(
        slug=region.value.replace("_", "-"),
        name=f"{label} Improvement Network",
        kind=NetworkKind.REGIONAL,
        region=region,
        description=description,
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
        charter=_charter(
            f"The {label} Improvement Network is run by and for the trusts, dioceses, local "
            f"authorities and federations working in the {label}. Members agree to:",
            local_clause,
        ),
        leads=leads,
        members=members,
        observers=observers,
    )


SIGN_INS: tuple[tuple[str, str], ...] = (
    ("admin", "platform admin"),
    ("demo", "lead, North West Improvement Network"),
    ("dcarr", "lead, North East Improvement Network"),
    ("nsingh", "member of several networks"),
    ("hmarsh", "observer from a regulator"),
    ("dlowe", "observer from government"),
)
"""The sign-ins `commons demo` prints: one of each kind of person a newcomer may want to try."""


NETWORKS: tuple[DemoNetwork, ...] = (
    _regional(
        Region.NORTH_EAST,
        "Trusts and councils from the Tees to the Tweed sharing what is working, especially in "
        "coastal and former coalfield communities.",
        "Meet in person at least once a term, rotating between schools so that every member hosts.",
        leads=("dcarr",),
        members=("nokafor", "lfenwick", "jmetcalfe", "rakhtar", "priya", "hgrant"),
        observers=("hmarsh",),
    ),
    _regional(
        Region.NORTH_WEST,
        "A practical network for school trusts across the North West: behaviour, oracy, maths and "
        "the everyday work of improving schools together.",
        "Answer every request within a fortnight, even if the answer is that we cannot help.",
        leads=("demo", "tbyrne"),
        members=("shussain", "eholroyd", "gwalters", "lfenwick", "yasante", "priya"),
    ),
    _regional(
        Region.YORKSHIRE_AND_THE_HUMBER,
        "School trusts and the local authorities of Yorkshire and the Humber working on assessment, "
        "behaviour, attendance and leadership.",
        "Share templates and documents under an open licence unless we say otherwise.",
        leads=("jmetcalfe",),
        members=("rakhtar", "eholroyd", "dcarr", "shussain", "smorrow", "opatel"),
        observers=("hmarsh",),
    ),
    _regional(
        Region.EAST_MIDLANDS,
        "Church, community and council-maintained schools and trusts across the East Midlands, with a "
        "strong focus on small rural schools and SEND.",
        "Make room for small schools: schedule meetings after the school day and record them.",
        leads=("kpeel", "smorrow"),
        members=("aobi", "hgrant", "mbains", "cwhitlock", "rakhtar"),
    ),
    _regional(
        Region.WEST_MIDLANDS,
        "West Midlands trusts and dioceses sharing improvement work, from early-career teachers to "
        "transition and reading.",
        "Pair every new member organisation with an existing one for its first term.",
        leads=("mbains",),
        members=("gwalters", "aobi", "kpeel", "tbyrne", "agreen"),
    ),
    _regional(
        Region.EAST_OF_ENGLAND,
        "Trusts and councils across the East of England, from market towns to the coast, tackling "
        "recruitment, reading and curriculum together.",
        "Treat geography as a design constraint: prefer remote visits and shared recordings where "
        "travel would take a leader out of school for a whole day.",
        leads=("cwhitlock",),
        members=("opatel", "bnewman", "hgrant", "nsingh", "yasante"),
    ),
    _regional(
        Region.LONDON,
        "London trusts, federations and single academy trusts sharing practice on curriculum, EAL, "
        "SEND and staffing in a high-mobility city.",
        "Include single academy trusts and federations in every working group, not only the large trusts.",
        leads=("yasante", "jdarby"),
        members=("fkhan", "rcollins", "nsingh", "mforde", "bnewman"),
    ),
    _regional(
        Region.SOUTH_EAST,
        "A network for South East trusts and federations working on workload, maths and leadership capacity.",
        "Publish a short note after every network meeting so that those who missed it can catch up.",
        leads=("mforde",),
        members=("nsingh", "jdarby", "agreen", "opatel", "priya"),
    ),
    _regional(
        Region.SOUTH_WEST,
        "South West trusts and dioceses, many serving rural and coastal communities, sharing "
        "improvement work and lending each other capacity.",
        "Share capacity fairly: no single trust should carry more than a third of the network's "
        "support offers in a term.",
        leads=("wtrevail",),
        members=("agreen", "ipenrose", "mforde", "gwalters", "kpeel"),
    ),
    DemoNetwork(
        slug="reading",
        name="Reading Network",
        kind=NetworkKind.THEMATIC,
        region=None,
        description="Early reading, phonics, fluency and disciplinary reading from Reception to Year 11.",
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
        charter=_charter(
            "The Reading Network exists so that no trust has to work out alone how to get every pupil "
            "reading well. Members agree to:",
            "Name the programme or assessment we use, and be honest about what it costs in time and money.",
            "Prefer approaches with published evidence, and say so when we are trying something untested.",
        ),
        leads=("nokafor", "fkhan"),
        members=("demo", "shussain", "eholroyd", "bnewman", "ipenrose", "rcollins", "aobi", "nsingh"),
    ),
    DemoNetwork(
        slug="attendance",
        name="Attendance Network",
        kind=NetworkKind.THEMATIC,
        region=None,
        description="Improving attendance through support first: first-day calling, family work, "
        "data sharing and partnership with local authorities.",
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
        charter=_charter(
            "The Attendance Network brings together trusts and local authorities who want every pupil in "
            "school, every day, and who believe support comes before sanction. Members agree to:",
            "Share attendance figures as cohort percentages only, never as lists or case studies that "
            "could identify a family.",
        ),
        leads=("rakhtar",),
        members=("demo", "lfenwick", "hgrant", "jdarby", "agreen", "tbyrne", "opatel"),
        observers=("hmarsh", "dlowe"),
    ),
    DemoNetwork(
        slug="send",
        name="SEND Network",
        kind=NetworkKind.THEMATIC,
        region=None,
        description="Special educational needs and disabilities: inclusive mainstream practice, outreach "
        "from special schools, annual reviews and transition.",
        visibility=Visibility.MEMBERS,
        join_policy=JoinPolicy.REQUEST,
        charter=_charter(
            "The SEND Network is a members-only space where SENCos, trust inclusion leads and local "
            "authority officers can talk candidly about provision. Members agree to:",
            "Keep discussion inside the network: posts are visible to members only and should not be "
            "forwarded without the author's agreement.",
            "Centre the voices of pupils and families in the practice we share.",
        ),
        leads=("smorrow",),
        members=("demo", "rcollins", "ipenrose", "gwalters", "cwhitlock", "kpeel", "shussain"),
    ),
    DemoNetwork(
        slug="curriculum",
        name="Curriculum Network",
        kind=NetworkKind.THEMATIC,
        region=None,
        description="Curriculum design and sequencing across trusts: subject by subject, phase by phase, "
        "including oracy and maths mastery.",
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
        charter=_charter(
            "The Curriculum Network is for curriculum leads, subject leads and trust directors of "
            "education. Members agree to:",
            "Share curriculum documents openly where we can, and credit the trusts we have borrowed from.",
            "Discuss the curriculum as taught, not only the curriculum as written.",
        ),
        leads=("opatel", "priya"),
        members=("demo", "eholroyd", "dcarr", "mforde", "wtrevail", "aobi", "yasante", "mbains"),
        observers=("dlowe",),
    ),
    DemoNetwork(
        slug="workforce",
        name="Workforce Network",
        kind=NetworkKind.THEMATIC,
        region=None,
        description="An invitation-only circle for trust people leads on recruitment, retention, "
        "workload, flexible working and professional development.",
        visibility=Visibility.HIDDEN,
        join_policy=JoinPolicy.INVITE,
        charter=_charter(
            "The Workforce Network is a hidden, invitation-only network because its members discuss "
            "restructures, recruitment and retention before they are public. Members agree to:",
            "Hold what is shared here in confidence; nothing leaves the network without the author's consent.",
            "Never discuss an identifiable member of staff, even anonymously.",
        ),
        leads=("gwalters",),
        members=("demo", "nsingh", "dcarr", "jmetcalfe", "wtrevail", "fkhan", "tbyrne"),
    ),
)


# --------------------------------------------------------------------------------------------
# Posts
# --------------------------------------------------------------------------------------------

_REGIONAL_POSTS: tuple[DemoPost, ...] = (
    # ---- North East ------------------------------------------------------------------------
    DemoPost(
        network="north-east",
        author="dcarr",
        kind=_PRACTICE,
        title="Termly governance health-checks across a twelve-school trust",
        body=(
            "We used to commission a full external governance review for every local governing board "
            "each year. It was expensive, the reports arrived months after the meetings they described, "
            "and boards rarely acted on them.\n\n"
            "Now each local board completes a **14-question health-check** once a term, with its link "
            "trustee in the room. The questions follow our scheme of delegation, so the conversation is "
            "about what the board is actually responsible for.\n\n"
            "The answers go into one dashboard for the trust board. Trustees can see at a glance which "
            "boards are thriving and which need support, and they ask about it the same term."
        ),
        summary="A light-touch termly self-review that each local board completes with a link trustee, "
        "replacing an annual external review.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="A twelve-school trust (nine primaries, three secondaries) across coastal towns and "
        "former pit villages.",
        what_we_did=(
            "- Wrote a 14-question health-check aligned to the scheme of delegation.\n"
            "- Paired every local board with a link trustee who attends one meeting a term.\n"
            "- Collated the results into a single dashboard reviewed at each trust board meeting."
        ),
        what_we_stopped="Commissioning a full external review of every board every year, and the 40-page "
        "annual governance report to trustees.",
        impact="Attendance at local board meetings rose from 71% to 88% over two years. Trustees identified "
        "two boards needing support a term earlier than under the old cycle.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("governance",),
        resources=(("Governance health-check template", "https://example.org/resources/governance-health-check"),),
        replies=(
            DemoReply(
                "hgrant",
                "From the local authority side, we have been looking for something like this for our "
                "maintained schools. Would you be happy for us to adapt the questions for boards that "
                "are not part of a trust?",
            ),
            DemoReply(
                "jmetcalfe",
                "We tried a similar approach and found the link trustee was the key ingredient. Where "
                "the trustee could not attend, the health-check became a tick-box exercise.",
            ),
        ),
        reactions=(("hgrant", _USEFUL), ("jmetcalfe", _USEFUL), ("priya", _USEFUL), ("rakhtar", _TRIED)),
    ),
    DemoPost(
        network="north-east",
        author="lfenwick",
        kind=_PRACTICE,
        title="Year 6 to Year 7 bridge units taught in both phases",
        body=(
            "Our Year 7 teachers told us they spent most of the autumn term finding out what pupils "
            "already knew. Our Year 6 teachers told us that nobody asked.\n\n"
            "So one secondary and its five main feeder primaries now co-plan a **six-lesson bridge unit** "
            "in English and in maths. Pupils start it in the summer term of Year 6 and finish it in the "
            "first fortnight of Year 7, in the same exercise book.\n\n"
            "The shared planning day in May has become the most valued transition event in our calendar."
        ),
        summary="Primary and secondary teachers co-plan a six-lesson English and maths unit that pupils "
        "start in Year 6 and finish in Year 7.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="One 11-16 secondary and its five main feeder primaries, all in the same trust.",
        what_we_did=(
            "- Held a joint planning day each May for Year 6 and Year 7 teachers.\n"
            "- Wrote one English and one maths unit of six lessons each.\n"
            "- Sent exercise books up with pupils, so Year 7 teachers see the Year 6 work first-hand."
        ),
        what_we_stopped="The separate transition-day booklet that pupils completed and nobody marked.",
        impact="Year 7 teachers report starting new content from week two rather than after half-term. "
        "In a pupil survey, most Year 7s said the first lessons felt familiar.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("transition", "curriculum"),
        replies=(
            DemoReply(
                "rakhtar",
                "How did you handle pupils arriving from primaries outside the trust? We take from "
                "twenty-plus schools, so full co-planning is not realistic for us.",
            ),
            DemoReply(
                "priya",
                "Rizwan, one pattern I have seen elsewhere is to send the unit to every feeder school "
                "and offer the planning day as optional. Take-up tends to grow once the first cohort "
                "arrives.",
            ),
        ),
        reactions=(("rakhtar", _USEFUL), ("hgrant", _TRIED), ("dcarr", _USEFUL)),
    ),
    DemoPost(
        network="north-east",
        author="nokafor",
        kind=_REQUEST,
        title="Looking for a trust that has re-designed KS3 science assessment to visit",
        body=(
            "Our three secondaries each assess Key Stage 3 science differently, and our heads of "
            "science agree that none of the current systems tells them much.\n\n"
            "We would like to **visit a trust that has redesigned KS3 science assessment** in the last "
            "few years, ideally with a small team: our director of secondary and two heads of "
            "department.\n\n"
            "We are particularly interested in:\n\n"
            "- how you decided what to assess and how often;\n"
            "- how teachers use the results in lessons;\n"
            "- what you stopped doing to make room for it."
        ),
        support_type=SupportType.VISIT,
        urgency=Urgency.MEDIUM,
        replies=(
            DemoReply(
                "rakhtar",
                "Joanne led our redesign at Kestrel Moor, so she is the best person to answer. It is "
                "worth seeing a department meeting where the results are discussed, not only the tests.",
            ),
        ),
        offers=(
            DemoOffer(
                "jmetcalfe",
                "We rebuilt our KS3 science assessment two years ago across four schools. You would be "
                "welcome to spend a day with us in the spring term, including a department meeting.",
                accepted=True,
            ),
            DemoOffer(
                "priya",
                "I can connect you with two other trusts who have done similar work, if a second visit would help.",
            ),
        ),
    ),
    DemoPost(
        network="north-east",
        author="hgrant",
        kind=_REQUEST,
        title="Advice on a school-to-school support agreement between a maintained school and a trust",
        body=(
            "One of our maintained primaries has agreed to receive support from a nearby trust school "
            "for two terms. Both sides are keen, but neither has written this kind of agreement before.\n\n"
            "We would value **advice on what the agreement should cover**: roles, time, cost recovery, "
            "data protection and what happens if it is not working.\n\n"
            "A template or an example agreement would be ideal, but a conversation would also help."
        ),
        support_type=SupportType.ADVICE,
        urgency=Urgency.LOW,
        replies=(
            DemoReply(
                "jmetcalfe",
                "Build in a review point at half-term. Ours nearly failed because nobody had agreed how "
                "either side could say that it was not working.",
            ),
        ),
        offers=(
            DemoOffer(
                "dcarr",
                "We have supported two maintained schools under agreements like this. Happy to share our "
                "agreement and talk through what we would change.",
            ),
            DemoOffer("priya", "I can share a short checklist that several networks have contributed to."),
        ),
    ),
    # ---- North West ------------------------------------------------------------------------
    DemoPost(
        network="north-west",
        author="tbyrne",
        kind=_PRACTICE,
        title="Oracy: structured talk routines in every Year 3 to 6 lesson",
        body=(
            "We wanted pupils to talk more, and to talk better, without adding a separate oracy "
            "lesson to an already full timetable.\n\n"
            "Every Key Stage 2 class now uses the same **three talk routines**: think-pair-share with "
            "sentence stems, a structured disagreement, and a one-minute summary to the class. Teachers "
            "choose which routine fits the lesson, but the routines themselves are the same everywhere.\n\n"
            "Because pupils meet the same routines in every classroom, they spend their effort on the "
            "content of the talk rather than on working out what the teacher wants."
        ),
        summary="Three shared talk routines used across all Key Stage 2 lessons in four primaries, "
        "rather than a separate oracy lesson.",
        phases=(Phase.PRIMARY,),
        setting="Four primary schools in an urban trust, with a high proportion of pupils learning "
        "English as an additional language.",
        what_we_did=(
            "- Chose three routines and wrote sentence stems for each.\n"
            "- Trained all Key Stage 2 teachers and teaching assistants in one twilight session.\n"
            "- Used short drop-ins focused only on talk for the first half-term."
        ),
        what_we_stopped="Whole-school 'talk weeks' and the separate oracy lesson that had been squeezed out "
        "in most classes.",
        impact="In our end-of-year oracy assessment, the proportion of Year 6 pupils meeting the expected "
        "standard rose from 58% to 71%, against 62% in two comparable schools outside the project.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("oracy", "curriculum"),
        resources=(("Talk routines and sentence stems", "https://example.org/resources/ks2-talk-routines"),),
        replies=(
            DemoReply(
                "yasante",
                "We found the structured disagreement routine the hardest to get right, especially with "
                "younger pupils. Did you model it with staff first?",
            ),
        ),
        reactions=(("demo", _USEFUL), ("eholroyd", _TRIED), ("yasante", _USEFUL)),
    ),
    DemoPost(
        network="north-west",
        author="shussain",
        kind=_PRACTICE,
        title="Maths mastery: a daily 'flashback four' retrieval starter",
        body=(
            "Every maths lesson in our primaries now opens with **four short questions**: one from "
            "last lesson, one from last week, one from last term and one from last year.\n\n"
            "It takes five minutes. Teachers use the answers to decide who needs a quick catch-up "
            "that afternoon, which has made same-day intervention much more focused.\n\n"
            "The questions are written centrally each half-term so that teachers are not writing them "
            "every night."
        ),
        summary="A five-minute daily retrieval starter of four questions spanning a year of content, "
        "written centrally and used in every primary maths lesson.",
        phases=(Phase.PRIMARY,),
        setting="Six primaries in a trust following a mastery approach to maths.",
        what_we_did=(
            "- Wrote a bank of starter questions for each year group, half-term by half-term.\n"
            "- Linked the starter to same-day catch-up groups run by teaching assistants.\n"
            "- Reviewed the question bank each term with year group leads."
        ),
        what_we_stopped="Teachers writing their own starters every evening, and the Friday arithmetic test.",
        impact="Our termly arithmetic assessment shows average scores up by about eight percentage points "
        "over a year, with the largest gains among pupils who had been furthest behind.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("maths",),
        reactions=(("gwalters", _USEFUL), ("lfenwick", _USEFUL), ("eholroyd", _TRIED)),
    ),
    DemoPost(
        network="north-west",
        author="demo",
        kind=_REQUEST,
        title="Help wanted: reducing suspensions in Year 8 without losing consistency",
        body=(
            "Suspensions in Year 8 at one of our secondaries have doubled in a year, mostly for "
            "persistent low-level disruption rather than serious incidents.\n\n"
            "We do not want to lower our expectations, but we think the system is escalating too "
            "quickly. We would like **advice from a trust that has reduced suspensions while keeping "
            "behaviour consistent**, and ideally a conversation with the person who led the work.\n\n"
            "Things we are wondering about: internal alternatives to suspension, reintegration meetings, "
            "and how to support teachers who feel the system is being softened."
        ),
        support_type=SupportType.ADVICE,
        urgency=Urgency.HIGH,
        closed_outcome="Two conversations and a visit to Kestrel Moor. We have adopted their reset-room "
        "protocol and a reintegration meeting script, and Year 8 suspensions fell by a third in the "
        "following term.",
        replies=(
            DemoReply(
                "priya",
                "It may help to look at which lessons and times of day the incidents cluster in before "
                "changing the system. Several trusts found the pattern was narrower than they expected.",
            ),
            DemoReply(
                "lfenwick",
                "We saw the same thing in Year 8 after lockdowns. Involving heads of year in the first "
                "step, rather than the third, made the biggest difference for us.",
            ),
        ),
        offers=(
            DemoOffer(
                "eholroyd",
                "We reduced suspensions by 40% over two years with a reset room and a restorative "
                "script. Happy to talk, and you would be welcome to visit.",
                accepted=True,
            ),
            DemoOffer(
                "gwalters",
                "Our behaviour lead can share our escalation flowchart and how we consulted staff on it.",
            ),
        ),
    ),
    DemoPost(
        network="north-west",
        author="gwalters",
        kind=_REQUEST,
        title="Peer review partner for our new behaviour curriculum before launch",
        body=(
            "We have written a **behaviour curriculum** for Years 7 to 9: explicit teaching of routines, "
            "expectations and the reasons behind them, delivered in tutor time.\n\n"
            "Before we launch in September we would like a critical friend from another trust to review "
            "the sequence and the first half-term of sessions. A half-day of someone's time, remotely, "
            "would be enough."
        ),
        support_type=SupportType.PEER_REVIEW,
        urgency=Urgency.MEDIUM,
        offers=(
            DemoOffer(
                "shussain",
                "I led the rollout of ours last year and would be glad to review it. I can do a remote "
                "session in the second half of the summer term.",
            ),
            DemoOffer(
                "lfenwick",
                "Our pastoral director could look at the transition-related sessions in particular.",
            ),
        ),
    ),
    # ---- Yorkshire and the Humber ----------------------------------------------------------
    DemoPost(
        network="yorkshire-and-the-humber",
        author="eholroyd",
        kind=_PRACTICE,
        title="A reset room with a two-lesson maximum and a restorative script",
        body=(
            "Our internal exclusion room had become a place where pupils spent whole days, and often "
            "returned to the same lessons without anything having changed.\n\n"
            "We replaced it with a **reset room**: a pupil can spend at most two lessons there, does "
            "the work of the lessons they have missed, and leaves only after a short restorative "
            "conversation with the teacher involved, using a five-question script.\n\n"
            "Heads of year review reset-room use weekly and look for patterns by lesson, teacher and day."
        ),
        summary="A time-limited reset room with a restorative script replaced all-day internal exclusion "
        "in three secondaries.",
        phases=(Phase.SECONDARY,),
        setting="Three 11-16 secondaries in a trust serving urban and ex-industrial communities.",
        what_we_did=(
            "- Capped time in the reset room at two lessons.\n"
            "- Introduced a five-question restorative script for the return conversation.\n"
            "- Protected time for teachers to hold the conversation within 24 hours.\n"
            "- Reviewed use weekly at heads of year meetings."
        ),
        what_we_stopped="All-day internal exclusion, and sending pupils back to class without a conversation.",
        impact="Suspensions fell by 40% over two years. Over the same period, suspensions in comparable "
        "schools in the local authority fell by about 10%.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("behaviour",),
        resources=(("Restorative return script", "https://example.org/resources/restorative-return-script"),),
        replies=(
            DemoReply(
                "smorrow",
                "This matches what our inclusion team has seen in the local authority's data. Would you "
                "be willing to present it at our heads' briefing in the spring?",
            ),
            DemoReply(
                "shussain",
                "How do you protect the teacher's time for the return conversation? That is where ours "
                "tends to fall down.",
            ),
        ),
        reactions=(("shussain", _TRIED), ("dcarr", _USEFUL), ("smorrow", _USEFUL), ("opatel", _USEFUL)),
    ),
    DemoPost(
        network="yorkshire-and-the-humber",
        author="jmetcalfe",
        kind=_PRACTICE,
        title="Trust-wide KS3 science assessment: fewer, better tests",
        body=(
            "Each of our secondaries used to set an end-of-topic test every three or four weeks in "
            "Key Stage 3 science, written by whoever taught the topic first.\n\n"
            "We now have **three common assessments a year**, written together by the heads of science, "
            "plus short low-stakes quizzes that teachers use however they like. The common assessments "
            "focus on the concepts the rest of the curriculum depends on.\n\n"
            "Department meetings after each assessment look at one or two questions in depth and agree "
            "what to reteach."
        ),
        summary="Three common Key Stage 3 science assessments a year, written jointly across four "
        "schools, replaced frequent end-of-topic tests.",
        phases=(Phase.SECONDARY,),
        setting="Four secondaries in a trust across West and South Yorkshire.",
        what_we_did=(
            "- Agreed the core concepts for each year of Key Stage 3 science.\n"
            "- Wrote three common assessments a year, moderated across schools.\n"
            "- Used department meetings to analyse a small number of questions and plan reteaching."
        ),
        what_we_stopped="End-of-topic tests every few weeks and entering every mark into the data system.",
        impact="Heads of science report more useful department meetings, and teacher time spent on "
        "assessment fell by about an hour a week. Year 9 results on the common assessment rose over two years.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("curriculum", "assessment"),
        resources=(("KS3 science core concepts map", "https://example.org/resources/ks3-science-concepts"),),
        replies=(
            DemoReply(
                "opatel",
                "We are about to start something similar. Did you keep any of the old end-of-topic tests "
                "as optional quizzes, or start again?",
            ),
        ),
        reactions=(("dcarr", _USEFUL), ("opatel", _USEFUL), ("rakhtar", _USEFUL)),
    ),
    DemoPost(
        network="yorkshire-and-the-humber",
        author="rakhtar",
        kind=_REQUEST,
        title="Data-sharing agreement template for attendance work with the local authority",
        body=(
            "We want to share daily attendance data with our two local authorities so that their "
            "attendance teams can support families earlier.\n\n"
            "Our data protection officer has asked for a **data-sharing agreement** before we start. "
            "Does anyone have one they would be willing to share, ideally one that has already been "
            "agreed with a local authority?"
        ),
        support_type=SupportType.RESOURCES,
        urgency=Urgency.MEDIUM,
        closed_outcome="Elmshire shared its agreement template. We adapted it and our data protection "
        "officer signed it off within three weeks.",
        offers=(
            DemoOffer(
                "smorrow",
                "Elmshire has a template that we use with all our academies. I will send it over with "
                "the guidance notes.",
                accepted=True,
            ),
            DemoOffer("dcarr", "Ours is agreed with two councils in the North East; happy to share it too."),
        ),
    ),
    DemoPost(
        network="yorkshire-and-the-humber",
        author="dcarr",
        kind=_REQUEST,
        title="Mentoring for new headteachers: is anyone running a cross-trust buddy scheme?",
        body=(
            "We have four headteachers in their first year of headship this year, more than we have "
            "ever had at once.\n\n"
            "We are looking for **a partner trust to set up a buddy scheme**, pairing each new head with "
            "an experienced head from outside their own trust. We think an outside perspective would help "
            "with the questions that are hard to ask your own line manager."
        ),
        support_type=SupportType.PARTNERSHIP,
        urgency=Urgency.LOW,
        replies=(
            DemoReply(
                "shussain",
                "We did this informally last year and the pairs that worked best met in each other's "
                "schools rather than online.",
            ),
        ),
        offers=(
            DemoOffer(
                "jmetcalfe",
                "We have two experienced heads who would like to do this. Shall we set up a call with our CEOs?",
            ),
            DemoOffer(
                "opatel",
                "We are a little further away, but one of our heads mentors online and would be interested.",
            ),
        ),
    ),
    # ---- East Midlands ---------------------------------------------------------------------
    DemoPost(
        network="east-midlands",
        author="kpeel",
        kind=_PRACTICE,
        title="Small rural schools sharing one subject lead per foundation subject",
        body=(
            "In a school with four teachers, each teacher can end up leading three or four subjects, "
            "and none of them well.\n\n"
            "Seven of our small church primaries now **share subject leadership**: each foundation "
            "subject has one lead across all seven schools, with a day a term released to work on it. "
            "Each teacher leads one subject for the cluster instead of four for their own school.\n\n"
            "The leads meet together twice a term, which has also made the job less lonely."
        ),
        summary="Seven small primaries share one subject lead per foundation subject across the cluster, "
        "so each teacher leads one subject instead of several.",
        phases=(Phase.PRIMARY,),
        setting="Seven rural Church of England primaries, each with fewer than 110 pupils.",
        what_we_did=(
            "- Agreed a common long-term plan for each foundation subject across the cluster.\n"
            "- Appointed one lead per subject, released for a day a term.\n"
            "- Held joint subject leader meetings twice a term."
        ),
        what_we_stopped="Every teacher leading several subjects in their own school, and separate "
        "long-term plans in each school.",
        impact="Teachers say they have more time and more expertise in the subject they lead. It is too "
        "early to see changes in outcomes.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("curriculum", "workforce"),
        replies=(
            DemoReply(
                "mbains",
                "What happens when a subject lead leaves one of the schools? That is my worry about "
                "concentrating expertise in one person.",
            ),
            DemoReply(
                "smorrow",
                "A few of our maintained small schools would be interested in joining a cluster like "
                "this. Could we talk about it at the next network meeting?",
            ),
        ),
        reactions=(("smorrow", _USEFUL), ("mbains", _USEFUL), ("cwhitlock", _TRIED)),
    ),
    DemoPost(
        network="east-midlands",
        author="smorrow",
        kind=_PRACTICE,
        title="A SEND outreach hub run from a special school",
        body=(
            "Mainstream schools in our county were asking for more specialist advice than the local "
            "authority's central team could provide.\n\n"
            "We funded one of our special schools to run an **outreach hub**: two specialist teachers "
            "and a speech and language therapist who visit mainstream schools, model strategies in "
            "classrooms and run termly training for SENCos.\n\n"
            "Schools request support through a short referral form, and each visit ends with a written "
            "plan that the class teacher owns."
        ),
        summary="A special school runs a funded outreach service that models specialist strategies in "
        "mainstream classrooms across the county.",
        phases=(Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL),
        setting="A county local authority with 240 schools, working with one of its special schools.",
        what_we_did=(
            "- Funded two outreach teachers and a speech and language therapist for three years.\n"
            "- Introduced a one-page referral form and a written plan after every visit.\n"
            "- Ran termly SENCo training at the special school."
        ),
        what_we_stopped="Central advisory visits that ended with a report but no modelling in the classroom.",
        impact="An independent evaluation found that schools using the hub were more confident meeting "
        "needs in mainstream classes, and requests for statutory assessment from those schools grew more "
        "slowly than elsewhere in the county.",
        evidence_strength=EvidenceStrength.EXTERNAL_EVALUATION,
        themes=("send",),
        resources=(
            ("Outreach hub referral form", "https://example.org/resources/send-outreach-referral"),
            ("Evaluation summary", "https://example.org/resources/send-outreach-evaluation"),
        ),
        replies=(
            DemoReply(
                "aobi",
                "Several of our church schools have used the hub and speak highly of it. The modelling "
                "in classrooms is what makes it different.",
            ),
        ),
        reactions=(("kpeel", _USEFUL), ("aobi", _USEFUL), ("rakhtar", _USEFUL), ("cwhitlock", _TRIED)),
    ),
    DemoPost(
        network="east-midlands",
        author="aobi",
        kind=_REQUEST,
        title="Peer review of SEND provision in a church primary before its next inspection",
        body=(
            "One of our diocesan primaries has seen its number of pupils with SEND support rise "
            "sharply, and the new SENCo has asked for an **external peer review** of provision before "
            "the school's next inspection, which is likely within the year.\n\n"
            "We are looking for an experienced SENCo or inclusion lead who could spend a day in the "
            "school, look at a sample of support plans and talk to staff. We can cover supply costs."
        ),
        support_type=SupportType.PEER_REVIEW,
        urgency=Urgency.HIGH,
        replies=(
            DemoReply(
                "hgrant",
                "It may be worth asking for the review to look at the graduated approach in classrooms, "
                "not only the paperwork. That is where reviewers usually find the most to say.",
            ),
        ),
        offers=(
            DemoOffer(
                "smorrow",
                "One of our outreach teachers could do this in the first half of next term.",
            ),
            DemoOffer(
                "cwhitlock",
                "Our trust SEND lead does peer reviews for other trusts and could offer a day in May.",
            ),
        ),
    ),
    DemoPost(
        network="east-midlands",
        author="hgrant",
        kind=_REQUEST,
        title="Training materials for governors on reviewing suspensions and exclusions",
        body=(
            "We are refreshing our training for governors who sit on panels reviewing suspensions and "
            "permanent exclusions.\n\n"
            "Does anyone have **short, practical materials** for governors, such as case-study exercises "
            "or a checklist for the meeting? We are happy to share ours in return once it is finished."
        ),
        support_type=SupportType.RESOURCES,
        urgency=Urgency.LOW,
        replies=(
            DemoReply(
                "kpeel",
                "Our diocesan governor training includes a mock panel exercise with fictional papers. "
                "I will look out the materials, though they may need updating for the latest guidance.",
            ),
        ),
    ),
    # ---- West Midlands ---------------------------------------------------------------------
    DemoPost(
        network="west-midlands",
        author="mbains",
        kind=_PRACTICE,
        title="Early-career teachers: weekly fifteen-minute instructional coaching",
        body=(
            "Our early-career teachers were receiving a lot of feedback and acting on very little of it.\n\n"
            "Every early-career teacher now has a **fifteen-minute coaching conversation each week** "
            "after a short drop-in. The coach names one specific action step, the teacher rehearses it "
            "there and then, and the coach looks for it at the next drop-in.\n\n"
            "We trained twenty coaches across the trust, mostly experienced class teachers rather than "
            "senior leaders."
        ),
        summary="Weekly drop-ins followed by a fifteen-minute coaching conversation with one rehearsed "
        "action step for every early-career teacher.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="A trust of eleven primaries and three secondaries with around forty early-career teachers each year.",
        what_we_did=(
            "- Trained twenty coaches over three sessions, with follow-up observation.\n"
            "- Timetabled a weekly drop-in and coaching slot for each early-career teacher.\n"
            "- Kept a shared log of action steps so coaches could spot common needs."
        ),
        what_we_stopped="Termly graded lesson observations for early-career teachers, and long written feedback forms.",
        impact="Retention of second-year teachers rose from 78% to 91%, while the retention rate in a "
        "neighbouring trust without the programme stayed at about 80%.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("workforce",),
        resources=(("Action step bank", "https://example.org/resources/ect-action-steps"),),
        reactions=(("aobi", _USEFUL), ("tbyrne", _TRIED), ("agreen", _USEFUL), ("kpeel", _USEFUL)),
    ),
    DemoPost(
        network="west-midlands",
        author="gwalters",
        kind=_PRACTICE,
        title="Whole-class feedback replaced written marking in Key Stage 3 English",
        body=(
            "English teachers in our secondaries were spending six or more hours a week marking books, "
            "and pupils were reading very little of what was written.\n\n"
            "We replaced individual written comments with **whole-class feedback**: the teacher reads "
            "a set of books, notes common strengths and errors on a single sheet, and spends the start "
            "of the next lesson on them. Pupils then redraft a paragraph in green pen.\n\n"
            "Heads of department check books for redrafting, not for teacher comments."
        ),
        summary="Whole-class feedback sheets and in-lesson redrafting replaced individual written comments "
        "in Key Stage 3 English.",
        phases=(Phase.SECONDARY,),
        setting="Three secondaries in a West Midlands trust.",
        what_we_did=(
            "- Introduced a one-page whole-class feedback sheet.\n"
            "- Gave fifteen minutes of the next lesson to feedback and redrafting.\n"
            "- Changed book looks to focus on pupils' redrafting."
        ),
        what_we_stopped="Individual written comments and 'dialogic' marking in Key Stage 3 English books.",
        impact="In our staff survey, English teachers reported saving around four hours a week. Writing "
        "assessments held steady over the first year.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("workload", "workforce"),
        replies=(
            DemoReply(
                "tbyrne",
                "Did you get any pushback from parents who were used to seeing comments in books?",
            ),
            DemoReply(
                "agreen",
                "We did the same in history and found a short explanation in the front of each book "
                "answered most parents' questions.",
            ),
        ),
        reactions=(("tbyrne", _USEFUL), ("agreen", _TRIED), ("mbains", _USEFUL)),
    ),
    DemoPost(
        network="west-midlands",
        author="kpeel",
        kind=_REQUEST,
        title="Looking for a secondary partner for Year 6 maths transition work",
        body=(
            "Our church primaries send pupils to more than a dozen secondaries, and the maths "
            "conversation at transition is usually limited to a test score.\n\n"
            "We are looking for **one or two secondaries willing to work with a cluster of primaries** "
            "over a year: a shared look at the Year 6 and Year 7 maths curriculum, and perhaps a joint "
            "teaching project on fractions."
        ),
        support_type=SupportType.PARTNERSHIP,
        urgency=Urgency.MEDIUM,
        offers=(
            DemoOffer(
                "mbains",
                "Two of our secondaries take pupils from your cluster. Our maths lead would welcome this.",
            ),
            DemoOffer(
                "tbyrne",
                "We are outside the region, but happy to share the fractions unit we co-wrote with our primaries.",
            ),
        ),
    ),
    DemoPost(
        network="west-midlands",
        author="aobi",
        kind=_PRACTICE,
        title="Parent reading cafés in diocesan primaries",
        body=(
            "Many parents told us they wanted to help their children with reading but were not sure how, "
            "especially with phonics.\n\n"
            "Five of our primaries now run a **reading café** once a fortnight after drop-off: "
            "twenty minutes in which a teacher models how to read with a child using the school's "
            "reading books, followed by coffee and time to practise with their own child.\n\n"
            "We keep it informal, and the cafés have become a way in for families who rarely come into "
            "school."
        ),
        summary="Fortnightly informal sessions where teachers model reading at home with parents, followed "
        "by time to practise together.",
        phases=(Phase.EARLY_YEARS, Phase.PRIMARY),
        setting="Five Church of England primaries in towns with low adult literacy rates.",
        what_we_did=(
            "- Scheduled a twenty-minute session once a fortnight after morning drop-off.\n"
            "- Modelled phonics and shared reading with the school's own books.\n"
            "- Sent home a one-page prompt card after each session."
        ),
        what_we_stopped="Evening phonics workshops for parents, which very few families attended.",
        impact="Regular attendance at the cafés grew to around twenty families per school. Teachers report "
        "more reading at home, but we have not measured this systematically.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("reading",),
        reactions=(("mbains", _USEFUL), ("gwalters", _USEFUL)),
    ),
    # ---- East of England -------------------------------------------------------------------
    DemoPost(
        network="east-of-england",
        author="bnewman",
        kind=_PRACTICE,
        title="Phonics catch-up with fortnightly fidelity checks",
        body=(
            "Our phonics catch-up groups were being run in slightly different ways in every school, "
            "and some sessions had drifted a long way from the programme.\n\n"
            "Each catch-up session is now checked against a **one-page fidelity checklist** every "
            "fortnight by the school's reading lead. Where a session drifts, the reading lead models "
            "the next one.\n\n"
            "Pupils are assessed every six weeks and move groups as soon as they are ready."
        ),
        summary="Fortnightly fidelity checks and six-weekly assessments for phonics catch-up groups in Years 2 to 4.",
        phases=(Phase.PRIMARY,),
        setting="Eight primaries in a rural and coastal trust, several with mixed-age classes.",
        what_we_did=(
            "- Wrote a one-page fidelity checklist based on the phonics programme's own guidance.\n"
            "- Released reading leads for half a day a fortnight to observe and model.\n"
            "- Assessed catch-up pupils every six weeks and regrouped them."
        ),
        what_we_stopped="Home-grown catch-up activities, and keeping pupils in the same group all year.",
        impact="The proportion of Year 2 pupils passing the phonics check retake rose from 55% to 74%, "
        "compared with 61% for the local authority over the same period.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("reading",),
        resources=(("Phonics catch-up fidelity checklist", "https://example.org/resources/phonics-fidelity"),),
        replies=(
            DemoReply(
                "nsingh",
                "This is very close to what we are planning. How did teaching assistants feel about "
                "being observed every fortnight?",
            ),
        ),
        reactions=(("nsingh", _TRIED), ("yasante", _USEFUL), ("hgrant", _USEFUL), ("cwhitlock", _USEFUL)),
    ),
    DemoPost(
        network="east-of-england",
        author="cwhitlock",
        kind=_PRACTICE,
        title="A 'grow your own' route from teaching assistant to teacher",
        body=(
            "Recruiting teachers to our coastal schools is hard, but many of our teaching assistants "
            "live locally and want to teach.\n\n"
            "We built a **route from teaching assistant to qualified teacher**: a funded degree "
            "apprenticeship for those without a degree, and a salaried training place for those with "
            "one. Each trainee has a mentor in a school other than their own."
        ),
        summary="A funded pathway taking local teaching assistants through to qualified teacher status "
        "to tackle coastal recruitment.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="A trust of fourteen schools, many in coastal towns that struggle to recruit.",
        what_we_did=(
            "- Funded degree apprenticeships and salaried training places for teaching assistants.\n"
            "- Matched every trainee with a mentor from another school in the trust.\n"
            "- Guaranteed an interview for a teaching post at the end of training."
        ),
        what_we_stopped="Relying on national recruitment advertising for hard-to-fill primary posts.",
        impact="Eleven former teaching assistants have qualified in three years, and nine are still "
        "teaching in the trust. Spending on recruitment advertising has halved.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("workforce",),
        reactions=(("opatel", _USEFUL), ("hgrant", _USEFUL)),
    ),
    DemoPost(
        network="east-of-england",
        author="opatel",
        kind=_REQUEST,
        title="Visiting a school that teaches history chronologically across KS2 and KS3",
        body=(
            "We are redesigning our primary history curriculum and want it to connect properly with "
            "Key Stage 3.\n\n"
            "We would like to **visit a school or trust that teaches history chronologically** across "
            "both key stages, to see lessons and talk to the people who made the sequencing decisions."
        ),
        support_type=SupportType.VISIT,
        urgency=Urgency.MEDIUM,
        closed_outcome="We visited Ashcombe Park in March. Their Year 1 to Year 11 concept map is now the "
        "starting point for our redesign, and their history lead will review our draft in the summer.",
        replies=(
            DemoReply(
                "yasante",
                "Bring your Key Stage 2 lead and one secondary history teacher if you can. The useful "
                "conversations are between phases.",
            ),
        ),
        offers=(
            DemoOffer(
                "yasante",
                "We are an all-through school with a chronological history curriculum from Year 1 to "
                "Year 11. You would be very welcome.",
                accepted=True,
            ),
            DemoOffer("nsingh", "One of our primaries has a strong chronological model; happy to host a visit."),
        ),
    ),
    DemoPost(
        network="east-of-england",
        author="cwhitlock",
        kind=_REQUEST,
        title="Advice on bringing two trusts' central teams together",
        body=(
            "We are in the early stages of combining with a smaller trust. Both have small central "
            "teams, and staff understandably want to know what the change will mean for them.\n\n"
            "We would welcome **advice from anyone who has merged central teams**, especially on "
            "sequencing the changes and communicating with staff. A conversation with a CEO or COO who "
            "has been through it would be ideal."
        ),
        support_type=SupportType.ADVICE,
        urgency=Urgency.HIGH,
        replies=(
            DemoReply(
                "yasante",
                "Not a merger, but when we changed our central structure the single most useful thing "
                "was publishing a timeline early, even when some dates were provisional.",
            ),
        ),
        offers=(
            DemoOffer(
                "nsingh",
                "Chalkdown brought two central teams together three years ago. Our COO is happy to talk.",
            ),
            DemoOffer(
                "hgrant",
                "I supported several school transfers into trusts and can share what helped staff most.",
            ),
        ),
    ),
    # ---- London ----------------------------------------------------------------------------
    DemoPost(
        network="london",
        author="yasante",
        kind=_PRACTICE,
        title="An all-through history curriculum sequenced from Year 1 to Year 11",
        body=(
            "As an all-through school, we had two history curricula that barely spoke to each other.\n\n"
            "We rebuilt history as **one chronological sequence** from Year 1 to Year 11, organised "
            "around a small number of substantive concepts (such as *empire*, *parliament* and *trade*) "
            "that pupils meet again and again in different periods.\n\n"
            "Primary and secondary teachers now plan together each summer, and Year 7 lessons refer "
            "explicitly back to what pupils studied in Key Stage 2."
        ),
        summary="One chronological history curriculum built around recurring substantive concepts, planned "
        "jointly by primary and secondary teachers.",
        phases=(Phase.ALL_THROUGH,),
        setting="A single all-through academy of 1,600 pupils in outer London.",
        what_we_did=(
            "- Mapped six substantive concepts across every year from Year 1 to Year 11.\n"
            "- Rewrote units so that each revisits at least two concepts from earlier years.\n"
            "- Held a joint planning week each summer for primary and secondary history teachers."
        ),
        what_we_stopped="Separate primary and secondary long-term plans, and the Year 7 'skills' unit that "
        "repeated primary content.",
        impact="In Year 7 baseline tasks, pupils now use the concepts accurately far more often than "
        "comparable pupils joining from other primaries. Uptake of GCSE history rose from 38% to 47%.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("curriculum",),
        resources=(
            ("History concept map, Years 1 to 11", "https://example.org/resources/history-concept-map"),
            ("Sample Year 7 unit", "https://example.org/resources/history-y7-unit"),
        ),
        replies=(
            DemoReply(
                "mforde",
                "The concept map is excellent. Have you found that pupils joining in Year 7 from other "
                "primaries catch up quickly?",
            ),
            DemoReply(
                "fkhan",
                "Mark, we run a short bridging unit for new joiners in the first half-term. It covers "
                "the concepts rather than the periods.",
            ),
        ),
        reactions=(("mforde", _USEFUL), ("bnewman", _USEFUL), ("nsingh", _TRIED), ("rcollins", _USEFUL)),
    ),
    DemoPost(
        network="london",
        author="jdarby",
        kind=_PRACTICE,
        title="One SENCo shared across a two-school federation",
        body=(
            "Both of our schools were struggling to recruit an experienced SENCo, and neither could "
            "afford a full-time post on its own.\n\n"
            "We appointed **one full-time SENCo across the federation**, supported by a SEND "
            "administrator and a lead teaching assistant in each school. The SENCo works in each "
            "school on fixed days so that staff and families know when to find them."
        ),
        summary="A federation appointed a single experienced SENCo working across both schools on fixed "
        "days, supported by an administrator.",
        phases=(Phase.PRIMARY,),
        setting="A federation of two inner-London primaries, about a mile apart.",
        what_we_did=(
            "- Combined two part-time SENCo budgets into one full-time post.\n"
            "- Appointed a shared SEND administrator to handle paperwork and meetings.\n"
            "- Fixed the SENCo's days in each school and published them to families."
        ),
        what_we_stopped="Class teachers acting as SENCo alongside a full teaching timetable.",
        impact="Staff say advice is quicker and more consistent. Annual reviews are now all held on "
        "time, which was not the case before.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("send", "workforce"),
        reactions=(("rcollins", _USEFUL), ("fkhan", _USEFUL)),
    ),
    DemoPost(
        network="london",
        author="fkhan",
        kind=_REQUEST,
        title="Supporting pupils who arrive mid-year in Key Stage 3 with little English",
        body=(
            "We have had an unusually high number of mid-year arrivals in Years 7 to 9 this year, many "
            "of them new to English.\n\n"
            "We would like **advice from a school with a strong induction model** for new arrivals: "
            "the first two weeks, assessment, timetabling and how you support subject teachers.\n\n"
            "We are especially interested in what has worked without a separate unit."
        ),
        support_type=SupportType.ADVICE,
        urgency=Urgency.HIGH,
        replies=(
            DemoReply(
                "rcollins",
                "Our primaries use a buddy system and a visual timetable for the first fortnight. It "
                "translates well to secondary in our experience.",
            ),
        ),
        offers=(
            DemoOffer(
                "jdarby",
                "Our federation's EAL lead can share our induction pack, though it is written for primary.",
            ),
            DemoOffer(
                "nsingh",
                "One of our secondaries has a strong model. Happy to set up a call with their EAL lead.",
            ),
            DemoOffer(
                "bnewman",
                "We built a two-week induction timetable for new arrivals last year and could talk you "
                "through it, including the subject teacher guidance.",
                accepted=True,
            ),
        ),
    ),
    DemoPost(
        network="london",
        author="rcollins",
        kind=_REQUEST,
        title="Jointly commissioning speech and language therapy with other schools",
        body=(
            "We buy speech and language therapy time for both our schools, but at our size the price "
            "per hour is high and the therapist's time is spread very thin.\n\n"
            "Is anyone **commissioning therapy jointly with other schools or trusts**? We would be "
            "interested in joining an existing arrangement or starting one with neighbouring schools."
        ),
        support_type=SupportType.PARTNERSHIP,
        urgency=Urgency.MEDIUM,
        replies=(
            DemoReply(
                "fkhan",
                "We are looking at the same question for next year. It might be worth a joint call "
                "with anyone else who is interested.",
            ),
        ),
        offers=(
            DemoOffer(
                "mforde",
                "We jointly commission with three other trusts nearby. I can introduce you to our "
                "provider and share the contract terms.",
            ),
        ),
    ),
    # ---- South East ------------------------------------------------------------------------
    DemoPost(
        network="south-east",
        author="nsingh",
        kind=_PRACTICE,
        title="A two-page trust-wide marking and feedback policy",
        body=(
            "Our old feedback policy was eighteen pages long, differed from school to school and was "
            "the most common reason staff gave for working late.\n\n"
            "We replaced it with a **two-page policy** built around three principles: feedback should "
            "be acted on in lesson time, should not be written for an audience other than the pupil, "
            "and should take less time to give than to act on.\n\n"
            "Subjects then wrote a one-page note on what this looks like for them."
        ),
        summary="A short, principle-based feedback policy replaced an eighteen-page marking policy across "
        "a nine-school trust.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="Nine schools (six primaries, three secondaries) in a South East trust.",
        what_we_did=(
            "- Consulted staff on what marking they found useful.\n"
            "- Wrote a two-page policy built on three principles.\n"
            "- Asked each subject to write a one-page note applying the principles."
        ),
        what_we_stopped="Marking codes, highlighter schemes, deep marking cycles and book scrutinies "
        "focused on teacher comments.",
        impact="In the annual staff survey, the proportion of teachers saying their workload is manageable "
        "rose from 41% to 63%. Teachers report about three hours a week saved.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("workload", "workforce"),
        resources=(("Feedback policy (two pages)", "https://example.org/resources/feedback-policy"),),
        replies=(
            DemoReply(
                "jdarby",
                "We borrowed this for our federation last year. The subject notes were the part staff "
                "found most helpful.",
            ),
        ),
        reactions=(("jdarby", _TRIED), ("agreen", _TRIED), ("opatel", _USEFUL), ("priya", _USEFUL)),
    ),
    DemoPost(
        network="south-east",
        author="mforde",
        kind=_PRACTICE,
        title="Key Stage 3 maths mastery: a shared scheme and protected co-planning time",
        body=(
            "Our three secondaries each had a different Key Stage 3 maths scheme, and new teachers spent "
            "hours every week planning from scratch.\n\n"
            "We now have **one mastery-based scheme** with fewer topics taught in more depth, and every "
            "maths department has a protected hour a week to plan the next lessons together.\n\n"
            "Heads of maths meet half-termly to adjust the scheme based on what teachers are seeing."
        ),
        summary="A common mastery-based Key Stage 3 maths scheme with a weekly protected hour for "
        "departments to co-plan lessons.",
        phases=(Phase.SECONDARY,),
        setting="Three secondaries in a trust serving a mix of town and rural communities.",
        what_we_did=(
            "- Wrote a shared Key Stage 3 scheme with fewer, deeper topics.\n"
            "- Timetabled a weekly co-planning hour for every maths department.\n"
            "- Reviewed the scheme half-termly with heads of maths."
        ),
        what_we_stopped="Separate schemes of work in each school and setting pupils by ability in Year 7.",
        impact="Year 9 results on a standardised maths assessment rose faster than in a group of similar "
        "schools using the same assessment, particularly for lower-attaining pupils.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("maths", "curriculum"),
        reactions=(("nsingh", _USEFUL), ("opatel", _USEFUL), ("agreen", _USEFUL)),
    ),
    DemoPost(
        network="south-east",
        author="jdarby",
        kind=_REQUEST,
        title="Short-term headship cover: could a trust second a deputy for a term?",
        body=(
            "The headteacher of one of our federation schools is starting a period of extended leave "
            "next term, and our deputy is already covering a vacancy at the other school.\n\n"
            "We are looking for **an experienced deputy or assistant headteacher who could be seconded "
            "to us for a term**. We would cover salary costs and are happy to discuss arrangements."
        ),
        support_type=SupportType.PARTNERSHIP,
        urgency=Urgency.HIGH,
        replies=(
            DemoReply(
                "priya",
                "Worth agreeing a clear scope for the secondment up front: which decisions the acting "
                "head can take alone and which go to governors.",
            ),
        ),
        offers=(
            DemoOffer(
                "mforde",
                "We have a deputy who is ready for a headship experience and lives nearby. Let's talk this week.",
                accepted=True,
            ),
            DemoOffer(
                "opatel",
                "We could offer two days a week of a trust school improvement lead if a full secondment "
                "is not possible.",
            ),
        ),
    ),
    DemoPost(
        network="south-east",
        author="agreen",
        kind=_REQUEST,
        title="Examples of a published trust school improvement framework",
        body=(
            "We are rewriting our school improvement framework and would like to see how other trusts "
            "describe theirs, particularly how they set out the levels of support and when a school "
            "moves between them.\n\n"
            "If you have a **published framework** you would be happy to share, we would be very grateful."
        ),
        support_type=SupportType.RESOURCES,
        urgency=Urgency.LOW,
        offers=(
            DemoOffer("nsingh", "Ours is on our website and I can send the internal version with the criteria."),
            DemoOffer("priya", "I can share three anonymised frameworks that members have contributed."),
        ),
    ),
    # ---- South West ------------------------------------------------------------------------
    DemoPost(
        network="south-west",
        author="wtrevail",
        kind=_PRACTICE,
        title="One shared moderation day a term for small rural schools",
        body=(
            "In our smallest schools there may be one teacher per key stage, so moderating writing "
            "meant a teacher agreeing with themselves.\n\n"
            "Once a term, teachers from our **eleven rural primaries meet for a shared moderation day**, "
            "grouped by year group rather than by school. Each teacher brings three pieces of writing "
            "and the groups agree judgements together."
        ),
        summary="A termly cross-school moderation day grouped by year group, so teachers in very small "
        "schools moderate with peers.",
        phases=(Phase.PRIMARY,),
        setting="Eleven rural primaries, the smallest with 34 pupils, spread over a large county.",
        what_we_did=(
            "- Scheduled one moderation day a term at a central school.\n"
            "- Grouped teachers by year group and rotated the facilitator.\n"
            "- Kept a bank of agreed exemplars for each year group."
        ),
        what_we_stopped="In-school moderation in schools with only one teacher per key stage.",
        impact="Teachers say they are more confident in their judgements, and the trust's external "
        "moderation visit agreed with every judgement sampled last year.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("assessment", "curriculum"),
        reactions=(("mforde", _USEFUL), ("kpeel", _TRIED)),
    ),
    DemoPost(
        network="south-west",
        author="ipenrose",
        kind=_PRACTICE,
        title="Reintegration plans written with the pupil and family in alternative provision",
        body=(
            "Pupils were spending longer in our alternative provision than planned, and returns to "
            "mainstream often broke down within weeks.\n\n"
            "Each pupil now has a **reintegration plan written in a meeting with the pupil, their "
            "family and the receiving school** in the first month of the placement, not at the end. "
            "The plan names the adult in the mainstream school who will meet the pupil each week after "
            "they return.\n\n"
            "Returns are phased over three to six weeks, starting with the lessons the pupil chooses."
        ),
        summary="Reintegration plans co-written early in each alternative provision placement, with a "
        "named adult and a phased return.",
        phases=(Phase.ALTERNATIVE_PROVISION, Phase.SECONDARY),
        setting="A trust alternative provision serving secondary schools across two coastal towns.",
        what_we_did=(
            "- Held the reintegration meeting in the first month of every placement.\n"
            "- Named a key adult in the receiving school for weekly check-ins.\n"
            "- Phased returns over three to six weeks."
        ),
        what_we_stopped="Open-ended placements with no planned return date.",
        impact="The proportion of pupils still in mainstream two terms after returning rose from about "
        "half to three-quarters over two years.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("behaviour", "transition"),
        replies=(
            DemoReply(
                "gwalters",
                "The named adult is such a simple idea. How do you make sure the receiving school "
                "protects that person's time?",
            ),
            DemoReply(
                "agreen",
                "Gareth, in our schools the key adult's check-ins are written into their timetable "
                "before the pupil returns. It is part of agreeing the plan.",
            ),
        ),
        reactions=(("gwalters", _USEFUL), ("kpeel", _USEFUL), ("mforde", _USEFUL)),
    ),
    DemoPost(
        network="south-west",
        author="wtrevail",
        kind=_REQUEST,
        title="Peer review of our trust's school improvement model",
        body=(
            "We have grown from six to thirteen schools in three years, and our school improvement "
            "model was designed for a much smaller trust.\n\n"
            "We would like **a peer review by another trust's director of education**: two days looking "
            "at how we allocate support, how we know it is working and how heads experience it. We will "
            "happily reciprocate."
        ),
        support_type=SupportType.PEER_REVIEW,
        urgency=Urgency.MEDIUM,
        offers=(
            DemoOffer("mforde", "Happy to help in the summer term, and we would welcome a return visit."),
            DemoOffer("kpeel", "From a diocesan view I can look at how church schools experience the model."),
            DemoOffer(
                "gwalters",
                "Our director of education did a similar review for two trusts last year and has "
                "capacity next half-term.",
                accepted=True,
            ),
        ),
    ),
    DemoPost(
        network="south-west",
        author="agreen",
        kind=_PRACTICE,
        title="Seasonal attendance in coastal towns: working with local employers",
        body=(
            "In our coastal schools, absence rises sharply in the early and late summer, partly because "
            "families work in tourism and find it hard to do school runs during the season.\n\n"
            "We met **local employers' associations** to explain the effect of absence and to agree "
            "small changes, such as shift patterns that allow for drop-off. We also opened breakfast "
            "club earlier during the season."
        ),
        summary="Working with tourism employers and extending breakfast club to reduce seasonal absence in "
        "coastal primaries.",
        phases=(Phase.PRIMARY,),
        setting="Four primaries in coastal towns with a large seasonal tourism economy.",
        what_we_did=(
            "- Met two local employers' associations each spring.\n"
            "- Opened breakfast club at 7.30am from May to September.\n"
            "- Sent a short attendance message to families before each school holiday."
        ),
        what_we_stopped="Generic attendance letters sent to all families in June.",
        impact="Attendance in the second half of the summer term rose by about two percentage points, "
        "though we cannot separate the effects of each change.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("attendance",),
        replies=(
            DemoReply(
                "kpeel",
                "Some of our rural schools see the same pattern around harvest. I will share this with "
                "our headteachers.",
            ),
        ),
        reactions=(("kpeel", _USEFUL), ("wtrevail", _USEFUL), ("gwalters", _USEFUL)),
    ),
)

_THEMATIC_POSTS: tuple[DemoPost, ...] = (
    # ---- Reading ---------------------------------------------------------------------------
    DemoPost(
        network="reading",
        author="nokafor",
        kind=_PRACTICE,
        title="Key Stage 3 reading: a 'fluency first' intervention for weaker readers",
        body=(
            "About a fifth of our Year 7 pupils arrive reading too slowly to keep up with the texts "
            "used in their lessons, even when they can decode accurately.\n\n"
            "We run a **ten-week fluency intervention** three times a week: repeated reading of short "
            "texts, modelled by an adult, with pupils reading aloud in pairs. Sessions last twenty "
            "minutes and take place in tutor time, so pupils miss no lessons.\n\n"
            "Pupils are screened in September and retested after ten weeks."
        ),
        summary="A ten-week, three-times-a-week repeated reading intervention for Year 7 pupils with "
        "accurate but slow reading.",
        phases=(Phase.SECONDARY,),
        setting="Three secondaries in the North East with high proportions of disadvantaged pupils.",
        what_we_did=(
            "- Screened all Year 7 pupils for reading fluency in September.\n"
            "- Trained teaching assistants and sixth-form volunteers to deliver repeated reading.\n"
            "- Ran twenty-minute sessions in tutor time, three times a week for ten weeks."
        ),
        what_we_stopped="Withdrawing weaker readers from foundation subjects for generic literacy lessons.",
        impact="An external evaluation by a university partner found pupils in the intervention made "
        "significantly greater gains in reading fluency than a matched group in the previous year.",
        evidence_strength=EvidenceStrength.EXTERNAL_EVALUATION,
        themes=("reading", "transition"),
        resources=(
            ("Fluency intervention handbook", "https://example.org/resources/ks3-fluency-handbook"),
            ("Evaluation report summary", "https://example.org/resources/ks3-fluency-evaluation"),
        ),
        replies=(
            DemoReply(
                "eholroyd",
                "Which screening assessment do you use in September? We are choosing one for next year.",
            ),
            DemoReply(
                "nsingh",
                "We piloted something similar with sixth-form volunteers. Training them properly was "
                "the part that made it work, so the handbook is really helpful.",
            ),
            DemoReply(
                "demo",
                "Thank you for sharing the evaluation. We are going to pilot this in one school next term.",
            ),
        ),
        reactions=(
            ("demo", _USEFUL),
            ("eholroyd", _USEFUL),
            ("nsingh", _TRIED),
            ("bnewman", _USEFUL),
            ("aobi", _USEFUL),
        ),
    ),
    DemoPost(
        network="reading",
        author="fkhan",
        kind=_PRACTICE,
        title="Disciplinary reading in every subject: one rich text a fortnight",
        body=(
            "Pupils were reading very little extended text outside English lessons, and many found "
            "subject textbooks impenetrable.\n\n"
            "Every subject in Key Stage 3 now reads **one substantial text a fortnight** together in "
            "class: an article, a primary source, a scientific account. The teacher reads aloud while "
            "pupils follow, pausing to explain vocabulary and to ask how writers in that subject work."
        ),
        summary="Every Key Stage 3 subject reads one substantial disciplinary text together in class each fortnight.",
        phases=(Phase.SECONDARY,),
        setting="An all-through academy in London where most pupils speak English as an additional language.",
        what_we_did=(
            "- Asked each department to choose and sequence texts alongside its curriculum.\n"
            "- Trained staff to read aloud and model disciplinary thinking.\n"
            "- Built a shared library of texts on the staff drive."
        ),
        what_we_stopped="Worksheets that summarised texts instead of asking pupils to read them.",
        impact="Teachers say pupils are more willing to tackle long texts. We have not yet been able to "
        "separate the effect on reading scores from other changes.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("reading", "curriculum"),
        reactions=(("rcollins", _USEFUL), ("nokafor", _USEFUL), ("shussain", _TRIED)),
    ),
    DemoPost(
        network="reading",
        author="rcollins",
        kind=_PRACTICE,
        title="Same-day phonics keep-up sessions in Reception",
        body=(
            "In Reception, pupils who did not grasp the morning's phonics lesson could fall behind "
            "within days.\n\n"
            "Every afternoon, a teaching assistant runs a **ten-minute keep-up session** for any pupil "
            "who struggled that morning, using the same resources and the same wording. Teachers decide "
            "who attends at the end of each lesson, not through a weekly assessment."
        ),
        summary="Ten-minute same-day keep-up sessions in Reception for pupils who struggled in that "
        "morning's phonics lesson.",
        phases=(Phase.EARLY_YEARS, Phase.PRIMARY),
        setting="Two primaries in an inner-London federation.",
        what_we_did=(
            "- Identified pupils for keep-up at the end of every phonics lesson.\n"
            "- Trained teaching assistants in the programme's keep-up routines.\n"
            "- Protected a ten-minute afternoon slot every day."
        ),
        what_we_stopped="Weekly catch-up groups that started only once pupils were already behind.",
        impact="The proportion of pupils meeting the expected standard in the Year 1 phonics check rose "
        "from 76% to 88%, above the average for similar schools in the borough.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("reading",),
        replies=(
            DemoReply(
                "bnewman",
                "We run keep-up the same way and also found that same-day is the crucial part.",
            ),
        ),
        reactions=(("bnewman", _TRIED), ("ipenrose", _USEFUL), ("fkhan", _USEFUL), ("demo", _USEFUL)),
    ),
    DemoPost(
        network="reading",
        author="demo",
        kind=_REQUEST,
        title="Which reading assessments do you use to screen Year 7?",
        body=(
            "We want to screen all Year 7 pupils for reading in the first half-term, so that we can "
            "target support quickly, but we are unsure which assessment to use.\n\n"
            "What do you use, what does it cost, and how long does it take to administer and act on? "
            "Any **resources or comparisons** you have would be very welcome."
        ),
        support_type=SupportType.RESOURCES,
        urgency=Urgency.MEDIUM,
        replies=(
            DemoReply(
                "fkhan",
                "Whatever you choose, plan the follow-up assessment for the weaker readers at the same "
                "time. Screening on its own tells you who, not what.",
            ),
        ),
        offers=(
            DemoOffer(
                "nokafor",
                "I can share the comparison we did of three screening tools before choosing ours.",
            ),
            DemoOffer(
                "eholroyd",
                "We moved to a group-administered test last year and can share our timings and costs.",
            ),
        ),
    ),
    DemoPost(
        network="reading",
        author="ipenrose",
        kind=_REQUEST,
        title="Training teaching assistants to deliver phonics catch-up well",
        body=(
            "Most of our phonics catch-up is delivered by teaching assistants, and quality varies a lot "
            "between schools.\n\n"
            "We would welcome **advice from a trust that has trained teaching assistants well**: what "
            "the training looks like, how often it is refreshed and how you check the quality."
        ),
        support_type=SupportType.ADVICE,
        urgency=Urgency.MEDIUM,
        replies=(
            DemoReply(
                "nokafor",
                "Short, frequent practice works better than one long training day in our experience.",
            ),
        ),
        offers=(
            DemoOffer(
                "bnewman",
                "Our fidelity checklist and modelling approach might help. Happy to talk it through.",
            ),
            DemoOffer("rcollins", "Our teaching assistants could host one of yours for a morning."),
        ),
    ),
    # ---- Attendance ------------------------------------------------------------------------
    DemoPost(
        network="attendance",
        author="rakhtar",
        kind=_PRACTICE,
        title="First-day calling with a home visit on the third day",
        body=(
            "Our attendance follow-up used to depend on the school and, often, on who was in the "
            "office that morning.\n\n"
            "Every school now follows the same steps:\n\n"
            "1. A phone call to the family **before 9.45am on the first day** of any unexplained absence.\n"
            "2. A second call and a text message on the second day.\n"
            "3. A **home visit on the third day** by a member of the pastoral team.\n\n"
            "The tone throughout is about support: asking what is getting in the way and what would help."
        ),
        summary="A common first-day calling routine across the trust, escalating to a supportive home visit "
        "on the third day of unexplained absence.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="Nine schools in a Yorkshire trust, including three secondaries with high persistent absence.",
        what_we_did=(
            "- Agreed a common three-day routine and scripts for calls and visits.\n"
            "- Gave each school's attendance officer protected time before 9.45am.\n"
            "- Reviewed persistent absence weekly with pastoral leads."
        ),
        what_we_stopped="Standard letters as the first response to absence, and waiting until the end of "
        "the week to follow up.",
        impact="Persistent absence fell from 24% to 17% across the trust in two years, compared with a fall "
        "from 23% to 21% across schools in the same local authorities.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("attendance",),
        resources=(("Call and home visit scripts", "https://example.org/resources/first-day-calling-scripts"),),
        replies=(
            DemoReply(
                "hgrant",
                "From the local authority side, the home visit on day three has made a real difference "
                "to the cases that reach us: we see them earlier and with better information.",
            ),
            DemoReply(
                "tbyrne",
                "How do you staff the home visits in the secondaries? That is our sticking point.",
            ),
            DemoReply(
                "lfenwick",
                "Tom, we pair a pastoral leader with a teaching assistant and schedule visits in the "
                "first hour after registration. It is a timetabling decision more than a staffing one.",
            ),
        ),
        reactions=(
            ("demo", _USEFUL),
            ("lfenwick", _TRIED),
            ("hgrant", _USEFUL),
            ("tbyrne", _USEFUL),
            ("opatel", _USEFUL),
        ),
    ),
    DemoPost(
        network="attendance",
        author="lfenwick",
        kind=_PRACTICE,
        title="Attendance letters rewritten with families",
        body=(
            "Our attendance letters were legalistic, and families told us they felt accused before "
            "anyone had asked what was happening.\n\n"
            "We asked a **parent group to rewrite the letters with us**. The new letters open with a "
            "question about what would help, give a named contact, and explain the legal position "
            "clearly but only at the end."
        ),
        summary="Parent-co-written attendance letters that lead with support and a named contact, keeping "
        "legal information clear but secondary.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="A twelve-school trust in the North East.",
        what_we_did=(
            "- Held three sessions with a group of parents to rewrite five standard letters.\n"
            "- Added a named contact and direct phone number to every letter.\n"
            "- Tested the letters with the local authority attendance team."
        ),
        what_we_stopped="Opening letters with the legal consequences of absence.",
        impact="Replies to first attendance letters doubled, and more families now contact school before "
        "an absence rather than after.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("attendance",),
        reactions=(("jdarby", _USEFUL), ("agreen", _TRIED), ("rakhtar", _USEFUL)),
    ),
    DemoPost(
        network="attendance",
        author="hgrant",
        kind=_PRACTICE,
        title="A local authority attendance hub for maintained schools and academies",
        body=(
            "Schools in our county were each building their own attendance tracking, and the local "
            "authority saw the data only when cases were already serious.\n\n"
            "We set up an **attendance hub**: schools share daily attendance data under a single "
            "agreement, and the hub's officers hold a termly targeting meeting with every school to agree "
            "which families need early help.\n\n"
            "The hub is open to maintained schools and academies on the same terms."
        ),
        summary="A county attendance hub with shared daily data and termly targeting meetings, open to "
        "maintained schools and academies.",
        phases=(Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL),
        setting="A county local authority with around 240 schools, two-thirds of them academies.",
        what_we_did=(
            "- Agreed one data-sharing agreement for all participating schools.\n"
            "- Held a termly targeting meeting with every school.\n"
            "- Linked families identified in those meetings with early help services."
        ),
        what_we_stopped="Separate attendance panels for maintained schools and academies.",
        impact="An external evaluation found persistent absence fell faster in participating schools than "
        "in a matched group of schools that joined later.",
        evidence_strength=EvidenceStrength.EXTERNAL_EVALUATION,
        themes=("attendance",),
        resources=(("Attendance hub overview", "https://example.org/resources/attendance-hub"),),
        reactions=(("rakhtar", _USEFUL), ("opatel", _USEFUL)),
    ),
    DemoPost(
        network="attendance",
        author="tbyrne",
        kind=_REQUEST,
        title="Emotionally based school avoidance: what has helped your pupils back into school?",
        body=(
            "We are seeing more pupils, particularly in Years 8 and 9, who are anxious about coming to "
            "school at all.\n\n"
            "We would value **advice on what has worked**: phased returns, in-school support, working "
            "with mental health services, and how you balance flexibility with expectations for "
            "attendance.\n\n"
            "We are especially keen to hear about approaches that have been sustained for more than a year."
        ),
        support_type=SupportType.ADVICE,
        urgency=Urgency.HIGH,
        replies=(
            DemoReply(
                "rakhtar",
                "The thing that made the biggest difference for us was a single named adult in school "
                "who meets the pupil at the gate each morning.",
            ),
            DemoReply(
                "opatel",
                "We found that small, predictable steps agreed with the pupil worked much better than "
                "ambitious timetables agreed with the family alone.",
            ),
        ),
        offers=(
            DemoOffer("agreen", "Our alternative provision team can share our phased return planning."),
            DemoOffer(
                "hgrant",
                "Our educational psychology service has written guidance for schools; I can send it and set up a call.",
            ),
            DemoOffer("rakhtar", "Happy to talk through our approach and the mistakes we made along the way."),
        ),
    ),
    DemoPost(
        network="attendance",
        author="demo",
        kind=_REQUEST,
        title="Looking for a partner trust to compare attendance data each week",
        body=(
            "We want to compare our weekly attendance patterns with another trust of a similar size, "
            "to see whether our dips are local or shared.\n\n"
            "We are looking for **a partner trust to exchange cohort-level figures each week** for a term, "
            "followed by a short conversation about what we each see."
        ),
        support_type=SupportType.PARTNERSHIP,
        urgency=Urgency.LOW,
        offers=(
            DemoOffer(
                "opatel",
                "We are a similar size and would be glad to do this. Shall we agree a format first?",
                accepted=True,
            ),
            DemoOffer("jdarby", "We are much smaller but happy to join if a three-way comparison helps."),
        ),
    ),
    # ---- SEND ------------------------------------------------------------------------------
    DemoPost(
        network="send",
        author="rcollins",
        kind=_PRACTICE,
        title="A ten-minute speech and language screen in Nursery",
        body=(
            "Speech and language needs were often identified in Year 1, by which point pupils had spent "
            "two years struggling to follow what was happening in class.\n\n"
            "Every child in our Nursery classes now has a **ten-minute screen** in their first half-term, "
            "carried out by a trained early years practitioner. Those who need it join small language "
            "groups three times a week straight away, without waiting for a referral."
        ),
        summary="A short speech and language screen for every Nursery child, leading straight into "
        "small-group language support.",
        phases=(Phase.EARLY_YEARS,),
        setting="Two primaries with Nursery classes in an inner-London federation.",
        what_we_did=(
            "- Trained two early years practitioners to run the screen.\n"
            "- Screened every Nursery child in their first half-term.\n"
            "- Started small language groups immediately for those who needed them."
        ),
        what_we_stopped="Waiting for a speech and language therapy referral before offering any support.",
        impact="Children who received the language groups made more progress on the rescreen than a "
        "comparison group from the year before the screen was introduced.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("send", "oracy"),
        replies=(
            DemoReply(
                "ipenrose",
                "Which screening tool do you use? We have found some of them take far longer than ten "
                "minutes in practice.",
            ),
        ),
        reactions=(("ipenrose", _USEFUL), ("smorrow", _USEFUL), ("cwhitlock", _TRIED)),
    ),
    DemoPost(
        network="send",
        author="gwalters",
        kind=_PRACTICE,
        title="Person-centred annual reviews led by the pupil",
        body=(
            "Annual reviews of education, health and care plans had become long meetings about pupils "
            "rather than with them.\n\n"
            "We moved to **person-centred reviews**: the pupil prepares, with support, a short "
            "presentation on what is working and what is not, and the meeting follows their agenda. "
            "Professionals send written advice beforehand so that time in the room is for discussion."
        ),
        summary="Annual reviews of EHC plans restructured so the pupil leads the agenda, with written "
        "advice shared in advance.",
        phases=(Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL),
        setting="Two mainstream secondaries and a special school in a West Midlands trust.",
        what_we_did=(
            "- Gave pupils a session with a key adult to prepare their part of the review.\n"
            "- Asked professionals for written advice two weeks in advance.\n"
            "- Used a one-page summary of outcomes instead of a long report."
        ),
        what_we_stopped="Reading professional reports aloud in the meeting.",
        impact="Families say the reviews feel more useful and less stressful. Review paperwork now reaches "
        "the local authority on time in most cases.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("send",),
        reactions=(("kpeel", _USEFUL), ("demo", _USEFUL)),
    ),
    DemoPost(
        network="send",
        author="kpeel",
        kind=_PRACTICE,
        title="A SENCo network across thirty church schools",
        body=(
            "Many of our SENCos work in small schools where they are the only person doing the job, "
            "and several are new to the role.\n\n"
            "We set up a **SENCo network** that meets twice a term, alternating between a short "
            "training input and a case discussion using anonymised, fictional scenarios. New SENCos are "
            "paired with an experienced colleague for their first year."
        ),
        summary="A twice-termly network and a buddy scheme for SENCos across thirty small church schools.",
        phases=(Phase.PRIMARY,),
        setting="Thirty Church of England primaries across a largely rural diocese.",
        what_we_did=(
            "- Ran meetings twice a term, alternating training and case discussion.\n"
            "- Paired each new SENCo with an experienced colleague for a year.\n"
            "- Kept a shared folder of policies and templates."
        ),
        what_we_stopped="Relying on SENCos attending separate local authority briefings in three counties.",
        impact="Attendance averages over 80% of schools. In our survey, new SENCos rated the buddy scheme "
        "as the most helpful support they received.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("send", "workforce"),
        reactions=(("smorrow", _USEFUL), ("shussain", _USEFUL), ("rcollins", _USEFUL)),
    ),
    DemoPost(
        network="send",
        author="demo",
        kind=_REQUEST,
        title="Transition to secondary for pupils with EHC plans: examples of good transition plans",
        body=(
            "We want to improve how we plan the move to secondary school for pupils with education, "
            "health and care plans.\n\n"
            "Could anyone share **examples of transition plans** (with any identifying details removed) "
            "or the templates you use? We are especially interested in how the plan is shared with "
            "subject teachers in the new school."
        ),
        support_type=SupportType.RESOURCES,
        urgency=Urgency.MEDIUM,
        replies=(
            DemoReply(
                "shussain",
                "It might help to start with the pupil's own one-page profile. Subject teachers read "
                "those when they will not read a full plan.",
            ),
        ),
        offers=(
            DemoOffer("smorrow", "The county has a transition template and guidance; I will send both."),
            DemoOffer("ipenrose", "I can share the blank template our alternative provision uses for returns."),
        ),
    ),
    DemoPost(
        network="send",
        author="ipenrose",
        kind=_REQUEST,
        title="Visit a mainstream school with a well-used sensory regulation space",
        body=(
            "We are planning a sensory regulation space in one of our secondaries and want to avoid "
            "building a room that nobody uses.\n\n"
            "We would like to **visit a mainstream school where such a space works well**, and to "
            "hear how access is managed during lessons."
        ),
        support_type=SupportType.VISIT,
        urgency=Urgency.LOW,
        offers=(
            DemoOffer(
                "cwhitlock",
                "One of our secondaries has had a regulation space for three years. You would be welcome.",
            ),
            DemoOffer("gwalters", "Our special school could host a visit and explain how we adapted it."),
        ),
    ),
    # ---- Curriculum ------------------------------------------------------------------------
    DemoPost(
        network="curriculum",
        author="opatel",
        kind=_PRACTICE,
        title="Trust-wide history sequencing around shared substantive concepts",
        body=(
            "Each of our primaries had chosen its own history topics, so pupils who moved schools "
            "could study the Romans twice and the Victorians never.\n\n"
            "We agreed **one trust-wide sequence** for history in Key Stages 1 and 2, built around "
            "substantive concepts that recur across units, and wrote knowledge-rich unit plans that "
            "teachers adapt to their own classes.\n\n"
            "Subject leads from every school meet termly to review the units as taught."
        ),
        summary="A common primary history sequence across the trust, organised around recurring "
        "substantive concepts, with termly review by subject leads.",
        phases=(Phase.PRIMARY,),
        setting="Ten primaries in a trust in the East of England, several with mixed-age classes.",
        what_we_did=(
            "- Agreed five substantive concepts that recur through the sequence.\n"
            "- Wrote unit plans with core knowledge and key questions.\n"
            "- Created a two-year rolling programme for mixed-age classes."
        ),
        what_we_stopped="Schools choosing their own history topics, and cross-curricular 'topic' planning.",
        impact="In trust-wide history assessments, pupils in schools that adopted the sequence first "
        "outperformed those in schools that joined a year later on questions about the concepts.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("curriculum",),
        resources=(("Primary history sequence", "https://example.org/resources/primary-history-sequence"),),
        replies=(
            DemoReply(
                "yasante",
                "The two-year rolling programme for mixed-age classes is really thoughtful. How do you "
                "handle the concepts when pupils meet units out of order?",
            ),
            DemoReply(
                "priya",
                "Yaw, as I understand it the concepts are introduced in both years of each cycle, so "
                "either unit can come first. Omar will correct me.",
            ),
        ),
        reactions=(("yasante", _USEFUL), ("demo", _USEFUL), ("wtrevail", _TRIED), ("aobi", _USEFUL)),
    ),
    DemoPost(
        network="curriculum",
        author="eholroyd",
        kind=_PRACTICE,
        title="Knowledge organisers replaced by shared 'core questions'",
        body=(
            "Our knowledge organisers had grown to three pages per unit and pupils were copying them "
            "rather than learning from them.\n\n"
            "Each unit now has **eight to twelve core questions** with model answers, agreed across the "
            "trust. Teachers use them for retrieval practice, homework and end-of-unit checks."
        ),
        summary="Short lists of core questions and model answers replaced lengthy knowledge organisers in Key Stage 3.",
        phases=(Phase.SECONDARY,),
        setting="Three secondaries in a Yorkshire trust.",
        what_we_did=(
            "- Asked each department to reduce every unit to eight to twelve core questions.\n"
            "- Wrote model answers and shared them with pupils and families.\n"
            "- Used the questions in retrieval starters and homework."
        ),
        what_we_stopped="Knowledge organiser homework that asked pupils to copy out content.",
        impact="Teachers say pupils revise more purposefully. We have not yet compared results with earlier cohorts.",
        evidence_strength=EvidenceStrength.ANECDOTAL,
        themes=("curriculum",),
        reactions=(("mforde", _USEFUL), ("mbains", _USEFUL)),
    ),
    DemoPost(
        network="curriculum",
        author="mbains",
        kind=_PRACTICE,
        title="A common 'number sense' term in Year 7 maths",
        body=(
            "Year 7 pupils were arriving with very different grasps of place value, fractions and "
            "proportional reasoning.\n\n"
            "All our secondaries now spend the **first term of Year 7 on number sense**: place value, "
            "multiplicative reasoning and fractions, taught through a mastery approach with plenty of "
            "visual representations that pupils have met in primary."
        ),
        summary="The first term of Year 7 maths focuses on number sense, using representations pupils "
        "already know from primary.",
        phases=(Phase.SECONDARY,),
        setting="Three secondaries in a West Midlands trust, taking pupils from over forty primaries.",
        what_we_did=(
            "- Rewrote the Year 7 autumn term around place value, multiplicative reasoning and fractions.\n"
            "- Trained secondary teachers in the representations used in primary.\n"
            "- Used a short diagnostic assessment in the first week."
        ),
        what_we_stopped="Starting Year 7 with algebra and a broad review of all primary topics.",
        impact="End-of-year assessments show improved fraction and proportion scores in Year 7, "
        "especially for pupils who started below the expected standard.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("maths", "transition"),
        reactions=(("eholroyd", _USEFUL), ("dcarr", _USEFUL), ("priya", _USEFUL)),
    ),
    DemoPost(
        network="curriculum",
        author="wtrevail",
        kind=_PRACTICE,
        title="Assessing oracy in Key Stage 2 with a four-strand rubric",
        body=(
            "We had invested in oracy across our primaries but had no way of knowing whether pupils "
            "were getting better at talk.\n\n"
            "Teachers now assess a short talk task each term against a **four-strand rubric**: "
            "physical, linguistic, cognitive and social-emotional. Judgements are moderated at our "
            "termly cross-school moderation day.\n\n"
            "The rubric also gives teachers a shared language for feedback on talk."
        ),
        summary="Termly Key Stage 2 talk tasks assessed against a four-strand oracy rubric and moderated "
        "across schools.",
        phases=(Phase.PRIMARY,),
        setting="Eleven rural primaries in the South West.",
        what_we_did=(
            "- Adapted a four-strand oracy rubric for each Key Stage 2 year group.\n"
            "- Set one short talk task each term.\n"
            "- Moderated judgements at the termly cross-school moderation day."
        ),
        what_we_stopped="Recording oracy only through anecdotal notes in teachers' planning.",
        impact="Year 6 pupils at the expected standard across all four strands rose from 49% to 64%; a "
        "group of similar schools outside the trust using the same rubric rose from 51% to 55%.",
        evidence_strength=EvidenceStrength.COMPARISON,
        themes=("oracy", "assessment"),
        replies=(
            DemoReply(
                "demo",
                "This pairs nicely with the talk routines Tom shared in the North West network. "
                "Do you assess every pupil every term, or a sample?",
            ),
        ),
        reactions=(("demo", _TRIED), ("yasante", _USEFUL), ("opatel", _USEFUL)),
    ),
    DemoPost(
        network="curriculum",
        author="dcarr",
        kind=_REQUEST,
        title="Critical friend for our new Key Stage 4 geography fieldwork sequence",
        body=(
            "Our geography leads have redesigned fieldwork across Key Stage 4 so that each trip builds "
            "on the last and feeds directly into the examined content.\n\n"
            "We would welcome **a critical friend from another trust** to read the sequence and give "
            "feedback before we book next year's trips."
        ),
        support_type=SupportType.PEER_REVIEW,
        urgency=Urgency.LOW,
        offers=(
            DemoOffer("wtrevail", "Our head of geography would enjoy this, especially the coastal fieldwork."),
            DemoOffer("yasante", "Happy to read it and add an urban fieldwork perspective."),
        ),
    ),
    # ---- Workforce -------------------------------------------------------------------------
    DemoPost(
        network="workforce",
        author="jmetcalfe",
        kind=_PRACTICE,
        title="Flexible working through timetable design for part-time teachers",
        body=(
            "We were losing experienced teachers who wanted to work part-time and were told the "
            "timetable could not accommodate them.\n\n"
            "We now **collect flexible working requests in January** and build them into the timetable "
            "from the start, rather than fitting them in afterwards. Part-time staff are clustered so "
            "that shared classes have a planned handover."
        ),
        summary="Collecting flexible working requests early and designing the timetable around them to "
        "retain experienced teachers.",
        phases=(Phase.SECONDARY,),
        setting="Four secondaries in a Yorkshire trust.",
        what_we_did=(
            "- Moved the deadline for flexible working requests to January.\n"
            "- Timetabled part-time staff first, with planned handovers for shared classes.\n"
            "- Published the number of requests approved each year."
        ),
        what_we_stopped="Considering flexible working requests only after the timetable was built.",
        impact="Approved flexible working requests rose from 40% to 85%, and we retained nine experienced "
        "teachers who had said they would otherwise leave.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("workforce",),
        replies=(
            DemoReply(
                "wtrevail",
                "Did heads of department resist splitting classes between two teachers?",
            ),
            DemoReply(
                "fkhan",
                "We introduced the January deadline last year on the strength of this and it has "
                "already made timetabling less fraught.",
            ),
        ),
        reactions=(("fkhan", _TRIED), ("nsingh", _USEFUL), ("demo", _USEFUL), ("gwalters", _USEFUL)),
    ),
    DemoPost(
        network="workforce",
        author="dcarr",
        kind=_PRACTICE,
        title="Trust-wide exit interviews to reduce early-career attrition",
        body=(
            "We knew early-career teachers were leaving, but each school only saw its own handful of "
            "leavers and could not see a pattern.\n\n"
            "Every leaver is now offered an **exit interview with someone from outside their school**, "
            "and the themes are reported to trustees twice a year. The first report showed that "
            "behaviour support and timetabling, not pay, were the most common reasons."
        ),
        summary="Independent exit interviews analysed across the trust to identify why early-career teachers leave.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="A twelve-school trust in the North East.",
        what_we_did=(
            "- Offered every leaver an exit interview with someone from the central team.\n"
            "- Coded responses into themes and reported them to trustees twice a year.\n"
            "- Acted on the top two themes each year."
        ),
        what_we_stopped="Exit questionnaires completed online and read only by the headteacher.",
        impact="Early-career teacher attrition fell from 18% to 11% over three years after we changed "
        "behaviour support and early-career timetables.",
        evidence_strength=EvidenceStrength.INTERNAL_DATA,
        themes=("workforce",),
        reactions=(("jmetcalfe", _USEFUL), ("tbyrne", _USEFUL)),
    ),
    DemoPost(
        network="workforce",
        author="nsingh",
        kind=_PRACTICE,
        title="Middle leader development through paired lesson study",
        body=(
            "Our middle leader programme was a series of courses that few people remembered a term "
            "later.\n\n"
            "Middle leaders now work in **pairs from different schools on a lesson study cycle**: they "
            "plan a lesson together, observe each other teach it, and refine it. Each pair presents "
            "what they learned to the trust's leadership conference."
        ),
        summary="Cross-school pairs of middle leaders complete a lesson study cycle each term instead of "
        "attending a course.",
        phases=(Phase.PRIMARY, Phase.SECONDARY),
        setting="A nine-school trust in the South East.",
        what_we_did=(
            "- Paired middle leaders from different schools and subjects.\n"
            "- Released each pair for two half-days a term.\n"
            "- Hosted a leadership conference where pairs shared their findings."
        ),
        what_we_stopped="The six-session middle leader course delivered by an external provider.",
        impact="An external evaluation found participants reported greater confidence in leading "
        "curriculum improvement, and internal promotion to senior roles increased.",
        evidence_strength=EvidenceStrength.EXTERNAL_EVALUATION,
        themes=("workforce",),
        reactions=(("gwalters", _USEFUL), ("wtrevail", _USEFUL), ("dcarr", _TRIED)),
    ),
    DemoPost(
        network="workforce",
        author="demo",
        kind=_REQUEST,
        title="Which staff wellbeing survey do other trusts use?",
        body=(
            "We want to run a staff wellbeing and workload survey across the trust each year, and to be "
            "able to compare our results with other trusts.\n\n"
            "Which **survey instrument** do you use, and would you be willing to share your questions "
            "or results in an anonymised form?"
        ),
        support_type=SupportType.RESOURCES,
        urgency=Urgency.LOW,
        closed_outcome="We adopted the survey Kestrel Moor uses, with their questions, and agreed to "
        "share anonymised results with them each summer.",
        offers=(
            DemoOffer(
                "jmetcalfe",
                "We use a short twenty-question survey and would be glad to share it and compare results.",
                accepted=True,
            ),
            DemoOffer("nsingh", "Our survey is similar; I can send it so you can compare the two."),
            DemoOffer("wtrevail", "We can share our results from the last three years, anonymised."),
        ),
    ),
    DemoPost(
        network="workforce",
        author="fkhan",
        kind=_REQUEST,
        title="Has anyone shared a head of science across two schools?",
        body=(
            "We have been unable to appoint a head of science after two rounds of advertising.\n\n"
            "We would welcome **advice from anyone who has shared a head of department** with another "
            "school: how the role was structured, how time was split and whether it lasted."
        ),
        support_type=SupportType.ADVICE,
        urgency=Urgency.HIGH,
        replies=(
            DemoReply(
                "tbyrne",
                "We tried this for a year. It worked while there was a strong second in department in "
                "each school, and not otherwise.",
            ),
        ),
        offers=(
            DemoOffer(
                "wtrevail",
                "We shared a head of computing across two schools for two years; happy to talk it through.",
            ),
            DemoOffer("gwalters", "I can share the job description and timetable model we used."),
        ),
    ),
)

POSTS: tuple[DemoPost, ...] = _REGIONAL_POSTS + _THEMATIC_POSTS
