"""Integrity of the demo content: every reference resolves and every rule of the demo brief holds."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlparse

import pytest

from network.enums import (
    EvidenceStrength,
    JoinPolicy,
    Lasted,
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
from server import demo_content as dc

ORGS = {org.key: org for org in dc.ORGANISATIONS}
PEOPLE = {person.key: person for person in dc.PEOPLE}
NETWORKS = {network.slug: network for network in dc.NETWORKS}
PRACTICES = [post for post in dc.POSTS if post.kind is PostKind.PRACTICE]
REQUESTS = [post for post in dc.POSTS if post.kind is PostKind.REQUEST]
CLAUSE = re.compile(r"^\d+\. ", re.MULTILINE)


def org_of(person_key: str) -> dc.DemoOrganisation:
    return ORGS[PEOPLE[person_key].organisation]


def participants(slug: str) -> set[str]:
    """Leads and active members: the people who may post, reply, offer and react."""
    network = NETWORKS[slug]
    return set(network.leads) | set(network.members)


def post_id(post: dc.DemoPost) -> str:
    return f"{post.network}: {post.title}"


# ---- uniqueness and references ---------------------------------------------------------------


def test_keys_emails_slugs_and_titles_are_unique():
    for values in (
        [org.key for org in dc.ORGANISATIONS],
        [org.name for org in dc.ORGANISATIONS],
        [person.key for person in dc.PEOPLE],
        [person.email.lower() for person in dc.PEOPLE],
        [network.slug for network in dc.NETWORKS],
        [network.name for network in dc.NETWORKS],
        [post.title for post in dc.POSTS],
    ):
        duplicates = [value for value, count in Counter(values).items() if count > 1]
        assert not duplicates


def test_every_referenced_key_exists():
    for person in dc.PEOPLE:
        assert person.organisation in ORGS, person.key
    for network in dc.NETWORKS:
        for key in (*network.leads, *network.members, *network.observers):
            assert key in PEOPLE, (network.slug, key)
    for post in dc.POSTS:
        assert post.network in NETWORKS, post_id(post)
        assert post.author in PEOPLE, post_id(post)
        for key in (
            *(reply.author for reply in post.replies),
            *(offer.author for offer in post.offers),
            *(person for person, _ in post.reactions),
        ):
            assert key in PEOPLE, (post_id(post), key)


def test_vocabularies_are_enum_members():
    for org in dc.ORGANISATIONS:
        assert isinstance(org.kind, OrgKind)
    for network in dc.NETWORKS:
        assert isinstance(network.kind, NetworkKind)
        assert isinstance(network.visibility, Visibility)
        assert isinstance(network.join_policy, JoinPolicy)
        assert network.region is None or isinstance(network.region, Region)
    for post in dc.POSTS:
        assert isinstance(post.kind, PostKind)
        assert all(isinstance(phase, Phase) for phase in post.phases)
        assert post.evidence_strength is None or isinstance(post.evidence_strength, EvidenceStrength)
        assert post.support_type is None or isinstance(post.support_type, SupportType)
        assert post.urgency is None or isinstance(post.urgency, Urgency)
        assert all(isinstance(kind, ReactionKind) for _, kind in post.reactions)


def test_records_are_frozen():
    with pytest.raises(AttributeError):
        dc.PEOPLE[0].email = "changed@example.org"  # type: ignore[misc]


# ---- organisations and people ----------------------------------------------------------------


def test_organisations_cover_the_kinds():
    kinds = Counter(org.kind for org in dc.ORGANISATIONS)
    assert 12 <= len(dc.ORGANISATIONS) <= 14
    assert kinds[OrgKind.MULTI_ACADEMY_TRUST] >= 3
    for kind in (
        OrgKind.SINGLE_ACADEMY_TRUST,
        OrgKind.DIOCESE,
        OrgKind.LOCAL_AUTHORITY,
        OrgKind.FEDERATION,
        OrgKind.OTHER_GROUP,
    ):
        assert kinds[kind] >= 1, kind
    assert kinds[OrgKind.REGULATOR] == 1
    assert kinds[OrgKind.GOVERNMENT] <= 1


def test_people_and_emails():
    assert 25 <= len(dc.PEOPLE) <= 35
    for person in dc.PEOPLE:
        assert person.email.endswith("@example.org"), person.key
        assert person.display_name.strip(), person.key
    per_org = Counter(person.organisation for person in dc.PEOPLE)
    assert set(per_org) == set(ORGS), "every organisation has people"
    assert all(1 <= count <= 4 for count in per_org.values())


def test_admin_account():
    admins = [person for person in dc.PEOPLE if person.is_admin]
    assert [person.key for person in admins] == ["admin"]
    assert PEOPLE["admin"].email == "admin@example.org"
    assert org_of("admin").kind is OrgKind.OTHER_GROUP


def test_demo_account_is_a_member_of_several_networks_and_leads_one():
    demo = PEOPLE["demo"]
    assert demo.email == "demo@example.org"
    assert not demo.is_admin
    assert not org_of("demo").kind.observer_only
    leads = [network.slug for network in dc.NETWORKS if "demo" in network.leads]
    memberships = [network.slug for network in dc.NETWORKS if "demo" in network.members]
    assert len(leads) == 1
    assert len(memberships) >= 3


def test_demo_password():
    assert dc.DEMO_PASSWORD == "commons-demo-2026"


# ---- networks ----------------------------------------------------------------------------------


def test_nine_regional_networks_one_per_region():
    regional = [network for network in dc.NETWORKS if network.kind is NetworkKind.REGIONAL]
    assert sorted(network.region for network in regional) == sorted(Region)
    for network in regional:
        assert network.slug == network.region.value.replace("_", "-")
    assert NETWORKS["yorkshire-and-the-humber"].region is Region.YORKSHIRE_AND_THE_HUMBER


def test_thematic_networks():
    thematic = {network.slug for network in dc.NETWORKS if network.kind is NetworkKind.THEMATIC}
    assert thematic == {"reading", "attendance", "send", "curriculum", "workforce"}
    for slug in thematic:
        assert NETWORKS[slug].region is None
    assert len(dc.NETWORKS) == 14


def test_visibility_and_join_policies():
    pairs = Counter((network.visibility, network.join_policy) for network in dc.NETWORKS)
    assert pairs[(Visibility.PUBLIC, JoinPolicy.OPEN)] > len(dc.NETWORKS) // 2
    assert pairs[(Visibility.MEMBERS, JoinPolicy.REQUEST)] >= 1
    assert pairs[(Visibility.HIDDEN, JoinPolicy.INVITE)] >= 1


@pytest.mark.parametrize("network", dc.NETWORKS, ids=lambda network: network.slug)
def test_network_roles(network: dc.DemoNetwork):
    assert 1 <= len(network.leads) <= 2
    assert 3 <= len(network.members) <= 10
    everyone = [*network.leads, *network.members, *network.observers]
    assert len(everyone) == len(set(everyone)), "nobody holds two roles in one network"
    for key in (*network.leads, *network.members):
        assert not org_of(key).kind.observer_only, (network.slug, key)
    for key in network.observers:
        assert org_of(key).kind.observer_only, (network.slug, key)
    assert network.description.strip()


def test_observers_never_lead_or_join_anywhere():
    observers = {key for network in dc.NETWORKS for key in network.observers}
    participants_anywhere = {key for network in dc.NETWORKS for key in (*network.leads, *network.members)}
    assert observers
    assert not observers & participants_anywhere


def test_a_regulator_person_observes_two_or_three_networks():
    regulator_people = [person.key for person in dc.PEOPLE if ORGS[person.organisation].kind is OrgKind.REGULATOR]
    counts = [sum(key in network.observers for network in dc.NETWORKS) for key in regulator_people]
    assert any(2 <= count <= 3 for count in counts)


@pytest.mark.parametrize("network", dc.NETWORKS, ids=lambda network: network.slug)
def test_charter_has_a_preamble_and_five_to_eight_numbered_clauses(network: dc.DemoNetwork):
    clauses = CLAUSE.findall(network.charter)
    assert 5 <= len(clauses) <= 8
    numbers = [int(line.split(".")[0]) for line in network.charter.splitlines() if CLAUSE.match(line)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert not CLAUSE.match(network.charter.splitlines()[0]), "starts with a preamble"


# ---- posts ---------------------------------------------------------------------------------------


def test_post_counts_and_mix():
    assert 50 <= len(dc.POSTS) <= 70
    share = len(PRACTICES) / len(dc.POSTS)
    assert 0.5 <= share <= 0.7
    per_network = Counter(post.network for post in dc.POSTS)
    assert set(per_network) == set(NETWORKS), "every network has posts"


@pytest.mark.parametrize("post", dc.POSTS, ids=post_id)
def test_post_people_belong_to_the_network(post: dc.DemoPost):
    allowed = participants(post.network)
    assert post.author in allowed
    for reply in post.replies:
        assert reply.author in allowed
        assert reply.author != post.author
        assert reply.body.strip()
    for person, _ in post.reactions:
        assert person in allowed
        assert person != post.author
    reactors = [person for person, _ in post.reactions]
    assert len(reactors) == len(set(reactors)), "one reaction per person"
    assert len(post.replies) <= 4
    assert len(post.reactions) <= 5


@pytest.mark.parametrize("post", PRACTICES, ids=post_id)
def test_practice_fields(post: dc.DemoPost):
    for text in (post.summary, post.setting, post.what_we_did, post.what_we_stopped, post.impact):
        assert text.strip()
    assert post.evidence_strength is not None
    assert post.phases
    assert 1 <= len(post.themes) <= 3
    assert all(re.fullmatch(r"[a-z]+", theme) for theme in post.themes)
    assert len(post.resources) <= 2
    for title, url in post.resources:
        parsed = urlparse(url)
        assert title.strip()
        assert parsed.scheme == "https"
        assert parsed.hostname == "example.org" or parsed.hostname.endswith(".example.org")
    # request-only fields stay empty on practices
    assert post.support_type is None and post.urgency is None
    assert not post.closed_outcome and not post.offers


@pytest.mark.parametrize("post", REQUESTS, ids=post_id)
def test_request_fields(post: dc.DemoPost):
    assert post.support_type is not None
    assert post.urgency is not None
    # practice-only fields stay empty on requests
    assert not (post.summary or post.setting or post.what_we_did or post.what_we_stopped or post.impact)
    assert post.phases == () and post.themes == () and post.resources == ()
    assert post.evidence_strength is None
    assert not post.reactions


@pytest.mark.parametrize("post", REQUESTS, ids=post_id)
def test_offers(post: dc.DemoPost):
    allowed = participants(post.network)
    requester_org = PEOPLE[post.author].organisation
    authors = [offer.author for offer in post.offers]
    assert len(authors) == len(set(authors)), "one offer per person"
    assert len(post.offers) <= 3
    for offer in post.offers:
        assert offer.author in allowed
        assert PEOPLE[offer.author].organisation != requester_org
        assert offer.message.strip()
    accepted = [offer for offer in post.offers if offer.accepted]
    assert len(accepted) <= 1
    if post.closed_outcome:
        assert accepted or not post.offers


def test_offer_and_outcome_distribution():
    with_offers = [post for post in REQUESTS if post.offers]
    with_accepted = [post for post in REQUESTS if any(offer.accepted for offer in post.offers)]
    closed = [post for post in REQUESTS if post.closed_outcome]
    assert len(with_offers) > len(REQUESTS) // 2
    assert len(REQUESTS) // 5 <= len(with_accepted) <= len(REQUESTS) // 2
    assert 1 <= len(closed) <= len(with_accepted)


def test_practices_mostly_have_reactions_and_evidence_varies():
    assert sum(bool(post.reactions) for post in PRACTICES) > len(PRACTICES) // 2
    assert {post.evidence_strength for post in PRACTICES} == set(EvidenceStrength)
    assert sum(bool(post.replies) for post in dc.POSTS) >= len(dc.POSTS) // 3


# ---- engagements ------------------------------------------------------------------------------------

ENGAGED = [post for post in REQUESTS if post.engagement is not None]


def test_two_active_engagements_and_one_closed_with_both_outcomes_a_lasting_change_and_a_shared_practice():
    closed = [post.engagement for post in ENGAGED if post.engagement and post.engagement.closed]
    active = [post.engagement for post in ENGAGED if post.engagement and not post.engagement.closed]
    assert len(active) == 2 and len(closed) == 1
    (done,) = closed
    assert {f.lasted for f in done.follow_ups} == {Lasted.YES} and len(done.follow_ups) == 2
    assert done.shared_by in {o.author for o in done.outcomes}
    # the follow-up has come: the network's default twelve weeks after it closed, which was after it began
    assert 12 <= done.closed_weeks_ago < done.started_weeks_ago
    for plan in active:
        assert plan.messages and plan.check_ins and not plan.outcomes and not plan.follow_ups and not plan.shared_by


@pytest.mark.parametrize("post", ENGAGED, ids=post_id)
def test_an_engagements_people_are_its_named_people_on_their_own_side(post: dc.DemoPost):
    plan = post.engagement
    assert plan is not None
    accepted = [offer.author for offer in post.offers if offer.accepted]
    assert len(accepted) == 1, "an engagement follows the accepted offer"
    assert not post.closed_outcome, "its request is closed by the engagement, with its outcome"
    sides = {PEOPLE[post.author].organisation: "requester", PEOPLE[accepted[0]].organisation: "offerer"}
    named = {post.author, accepted[0], *plan.named}
    for key in plan.named:
        assert key in participants(post.network) and PEOPLE[key].organisation in sides
    for written in [*plan.messages, *plan.check_ins, *plan.outcomes, *plan.follow_ups]:
        assert written.author in named
    assert len({sides[PEOPLE[o.author].organisation] for o in plan.outcomes}) == len(plan.outcomes), "one a side"
    assert len({sides[PEOPLE[f.author].organisation] for f in plan.follow_ups}) == len(plan.follow_ups)
    assert plan.aims.strip() and plan.activities.strip() and plan.runs_weeks > 0


# ---- content safety ------------------------------------------------------------------------------

UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
HTML = re.compile(r"<[a-zA-Z/][^>]*>")
IMAGE = re.compile(r"!\[")


def all_text() -> list[str]:
    texts = [network.charter for network in dc.NETWORKS] + [network.description for network in dc.NETWORKS]
    for post in dc.POSTS:
        texts += [post.title, post.body, post.summary, post.setting, post.what_we_did]
        texts += [post.what_we_stopped, post.impact, post.closed_outcome]
        texts += [reply.body for reply in post.replies] + [offer.message for offer in post.offers]
        plan = post.engagement
        if plan is not None:
            texts += [plan.title, plan.aims, plan.activities] + [m.body for m in (*plan.messages, *plan.check_ins)]
            texts += [t for o in plan.outcomes for t in (o.what_changed, o.for_whom, o.how_we_know, o.do_differently)]
            texts += [f.note for f in plan.follow_ups]
    return texts


def test_no_pupil_identifiers_html_or_images():
    for text in all_text():
        assert not UPN.search(text), text
        assert not DATE.search(text), text
        assert not HTML.search(text), text
        assert not IMAGE.search(text), text


def test_post_bodies_are_short_markdown():
    for post in dc.POSTS:
        paragraphs = [block for block in post.body.split("\n\n") if block.strip()]
        assert 2 <= len(paragraphs) <= 5, post_id(post)


def test_printed_sign_ins_describe_each_person_truly() -> None:
    """`commons demo` prints these: each description must match the seeded data."""
    keys = [key for key, _ in dc.SIGN_INS]
    assert len(keys) == len(set(keys))
    for key, role in dc.SIGN_INS:
        person = PEOPLE[key]
        if role == "platform admin":
            assert person.is_admin
        elif role.startswith("lead, "):
            network_name, _, approver_of = role.removeprefix("lead, ").partition("; approver, ")
            assert any(n.name == network_name and key in n.leads for n in NETWORKS.values()), role
            if approver_of:
                org = ORGS[person.organisation]
                assert org.name.startswith(approver_of) and key in org.approvers, role
        elif role.startswith("waiting for "):
            org = ORGS[person.organisation]
            assert person.waiting and role == f"waiting for {org.name.split()[0]} to approve"
            assert org.approvers, "someone of the organisation decides"
        elif role.startswith("observer from "):
            kind = OrgKind.REGULATOR if role.endswith("regulator") else OrgKind.GOVERNMENT
            assert ORGS[person.organisation].kind is kind
            assert any(key in n.observers for n in NETWORKS.values())
        elif role == "member of several networks":
            assert sum(key in n.members for n in NETWORKS.values()) >= 2
        else:
            pytest.fail(f"undescribed sign-in role {role!r}")


# ---- the register sample the demo imports --------------------------------------------------------------


def test_every_demo_trust_and_federation_is_in_the_register_sample_with_its_kind():
    from network.people.register import decode, parse_extract
    from server.demo import REGISTER_SAMPLE

    extract = parse_extract(decode(REGISTER_SAMPLE.read_bytes()))
    assert extract.skipped == []
    sample = {row.name: row for row in extract.rows}
    groups = {OrgKind.MULTI_ACADEMY_TRUST, OrgKind.SINGLE_ACADEMY_TRUST, OrgKind.FEDERATION}
    for org in dc.ORGANISATIONS:
        if org.kind in groups:
            assert org.name in sample, org.key
            assert sample[org.name].kind is org.kind, org.key
        else:
            assert org.name not in sample, org.key  # the import never touches the others
    assert 10 <= len(sample) <= 15


def test_verified_domains_are_invented_and_held_once():
    domains = [domain for org in dc.ORGANISATIONS for domain in org.domains]
    assert len(domains) >= 2
    assert len(set(domains)) == len(domains)
    assert all(domain.endswith(".example.org.uk") for domain in domains)


# ---- the practice tried elsewhere (docs/design.md §3.13) ---------------------------------------------------


def test_one_practice_is_tried_by_five_other_organisations_of_its_network():
    from server import demo_adoption as da

    practice = next(p for p in PRACTICES if p.title == da.PRACTICE)
    assert practice.network == da.NETWORK
    trying = [org_of(a.person).key for a in da.ADOPTIONS]
    assert len(trying) == 5 and len(set(trying)) == 5  # one record per organisation
    assert org_of(practice.author).key not in trying  # never the practice's own organisation
    for adoption in da.ADOPTIONS:
        assert adoption.person in participants(da.NETWORK), adoption.person  # who may contribute there
        assert org_of(adoption.person).kind not in (OrgKind.REGULATOR, OrgKind.GOVERNMENT)
        assert adoption.setting and adoption.adapted
        assert 0 < adoption.recorded_days_ago <= adoption.started_days_ago  # started in the past, then recorded
        if adoption.report is not None:
            assert 0 < adoption.report.days_ago < adoption.recorded_days_ago
            assert adoption.report.how_we_know and adoption.report.advice
    assert "brightwater" not in trying  # the demo account's trust is left to record its own


def test_the_five_reports_differ_and_the_practice_page_sentence_reads_naturally():
    from network.adoption import rules
    from server import demo_adoption as da

    reported = [rules.Reported(a.report.result, a.report.evidence) if a.report else rules.Reported(None, None)
                for a in da.ADOPTIONS]  # fmt: skip
    results = Counter(r.result for r in reported)
    assert results == {
        rules.AdoptionResult.IMPROVED: 2,
        rules.AdoptionResult.NO_CHANGE: 1,
        rules.AdoptionResult.TOO_EARLY: 1,
        None: 1,
    }
    assert rules.summarise(reported).sentence == (
        "Tried in 5 organisations: 2 report improvement (1 with internal data, 1 with a comparison), "
        "1 no change, 1 too early to say, 1 not reported yet."
    )
