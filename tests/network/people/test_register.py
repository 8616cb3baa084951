"""The register's groups extract on a plain session: what is added, updated, closed and skipped, and that a
file that is not the extract writes nothing. Also a platform admin's organisations and verified domains."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.enums import OrgKind, OrgStatus, Region
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.inputs import NewOrganisationInput
from network.models import Organisation, OrganisationDomain, Person
from network.people import organisations, register
from network.people.register import ImportReport, NotAnExtract

Maker = async_sessionmaker[AsyncSession]
SAMPLE = Path(__file__).resolve().parents[3] / "server" / "data" / "gias_groups_sample.csv"
HEADER = "Group UID,Group ID,Group Name,Companies House Number,Group Type,Group Status,Group Closed Date,UKPRN"


def extract(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


async def run(db: Maker, text: str) -> ImportReport:
    async with db() as session:
        report = await register.import_extract(session, text)
        await session.commit()
    return report


async def rows(db: Maker) -> dict[str, Organisation]:
    async with db() as session:
        found = await session.execute(select(Organisation))
        return {org.name: org for org in found.scalars()}


async def add(db: Maker, name: str, kind: OrgKind, **fields: object) -> int:
    async with db() as session:
        org = Organisation(name=name, kind=kind, **fields)
        session.add(org)
        await session.commit()
        return org.id


async def count(db: Maker, table: type[Organisation] | type[OrganisationDomain] = Organisation) -> int:
    async with db() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


# ---- the import ----------------------------------------------------------------------------------------


async def test_the_sample_loads_once_and_a_second_run_changes_nothing(db: Maker) -> None:
    text = SAMPLE.read_text()
    first = await run(db, text)
    assert (first.added, first.updated, first.unchanged, first.closed, first.skipped) == (14, 0, 0, 1, [])
    found = await rows(db)
    assert len(found) == 14
    hollinbrook = found["Hollinbrook Schools Trust"]
    assert hollinbrook.kind is OrgKind.MULTI_ACADEMY_TRUST
    assert (hollinbrook.gias_group_uid, hollinbrook.gias_group_id) == ("90001", "TR90001")
    assert (hollinbrook.companies_house_number, hollinbrook.ukprn) == ("09900001", "10090001")
    assert (hollinbrook.region, hollinbrook.status, hollinbrook.closed_on) == (Region.NORTH_EAST, OrgStatus.OPEN, None)
    assert found["Ashcombe Park Academy Trust"].kind is OrgKind.SINGLE_ACADEMY_TRUST
    assert found["Oakbrook and Sallow Lane Federation"].companies_house_number is None
    assert found["Tidewater Education Foundation"].kind is OrgKind.OTHER_GROUP  # a school sponsor
    assert found["Greystone Fold Learning Trust"].status is OrgStatus.OPEN  # proposed to open counts as open
    closed = found["Old Quarry Academy Trust"]
    assert (closed.status, closed.closed_on) == (OrgStatus.CLOSED, date(2022, 8, 31))

    second = await run(db, text)
    assert second.summary().startswith("0 added, 0 updated, 14 unchanged, 0 closed, 0 skipped")
    assert await count(db) == 14


async def test_a_sign_up_organisation_is_adopted_by_name_and_a_change_is_an_update(db: Maker) -> None:
    typed = await add(db, "hollinbrook SCHOOLS trust", OrgKind.OTHER_GROUP, region=Region.LONDON)
    diocese = await add(db, "Diocese of Fenmoor", OrgKind.DIOCESE)
    report = await run(
        db,
        extract(
            "101,TR101,Hollinbrook Schools Trust,09900001,Multi-academy trust,Open,,10090001",
            "102,SP102,Diocese of Fenmoor,,School sponsor,Open,,",
        ),
    )
    assert (report.added, report.updated, report.unchanged) == (0, 2, 0)
    found = await rows(db)
    adopted = found["Hollinbrook Schools Trust"]
    assert adopted.id == typed
    assert (adopted.kind, adopted.gias_group_uid, adopted.region) == (OrgKind.MULTI_ACADEMY_TRUST, "101", Region.LONDON)
    assert found["Diocese of Fenmoor"].id == diocese
    assert found["Diocese of Fenmoor"].kind is OrgKind.DIOCESE  # a catch-all type keeps the kind we hold

    renamed = await run(
        db,
        extract(
            "101,TR101,Hollinbrook Schools Trust (Renamed),09900001,Multi-academy trust,Closed,31-03-2024,10090001",
            "102,SP102,Diocese of Fenmoor,,School sponsor,Open,,",
        ),
    )
    assert (renamed.added, renamed.updated, renamed.unchanged, renamed.closed) == (0, 1, 1, 1)
    found = await rows(db)
    closed = found["Hollinbrook Schools Trust (Renamed)"]
    assert closed.id == typed  # matched by its UID, not deleted
    assert (closed.status, closed.closed_on) == (OrgStatus.CLOSED, date(2024, 3, 31))
    assert await count(db) == 2


async def test_bad_rows_are_reported_by_line_and_the_good_ones_written(db: Maker) -> None:
    await add(db, "Schools Inspection Office", OrgKind.REGULATOR)
    await add(db, "Registered Elsewhere Trust", OrgKind.MULTI_ACADEMY_TRUST, gias_group_uid="555")
    text = extract(
        "201,TR201,Good Trust One,,Multi-academy trust,Open,,",  # line 2
        ",TR202,No Uid Trust,,Multi-academy trust,Open,,",  # 3
        "203,TR203,,,Multi-academy trust,Open,,",  # 4
        "204,TR204,Odd Type Trust,,Academy chain,Open,,",  # 5
        "205,TR205,Bad Date Trust,,Multi-academy trust,Closed,31-02-2023,",  # 6
        "201,TR201,Good Trust One Again,,Multi-academy trust,Open,,",  # 7: the UID again
        "207,TR207,schools inspection office,,Trust,Open,,",  # 8: a regulator's name
        "208,TR208,Registered Elsewhere Trust,,Multi-academy trust,Open,,",  # 9: another group's name
        "209,TR209,Good Trust Two,,Federation,Open,,12345",  # 10: a UKPRN of five digits
        "210,TR210,Good Trust Two,,Federation,Open,,",  # 11
        "211,TR211,Good Trust two,,Federation,Open,,",  # 12: the name of line 11's group
    )
    report = await run(db, text)
    assert (report.added, report.updated, report.unchanged) == (2, 0, 0)
    lines = [line for line, _ in report.skipped]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 12]
    why = dict(report.skipped)
    assert "no Group UID" in why[3]
    assert "no Group Name" in why[4]
    assert "unknown Group Type 'Academy chain'" in why[5]
    assert "31-02-2023" in why[6]
    assert "already on line 2" in why[7]
    assert "regulator" in why[8] and "platform admin" in why[8]
    assert "Group UID 555" in why[9]
    assert "UKPRN" in why[10]
    assert "Good Trust Two" in why[12]
    found = await rows(db)
    assert set(found) == {"Schools Inspection Office", "Registered Elsewhere Trust", "Good Trust One", "Good Trust Two"}
    assert found["Schools Inspection Office"].kind is OrgKind.REGULATOR
    assert found["Schools Inspection Office"].gias_group_uid is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name,kind\nOak Trust,multi_academy_trust\n",
        "Group UID,Group Name,Group Type\n301,Oak Trust,Multi-academy trust\n",  # no Group Status
    ],
)
async def test_a_file_that_is_not_the_extract_is_refused_and_writes_nothing(db: Maker, text: str) -> None:
    await add(db, "Already Here Trust", OrgKind.MULTI_ACADEMY_TRUST)
    async with db() as session:
        with pytest.raises(NotAnExtract, match="not the register's groups extract") as refused:
            await register.import_extract(session, text)
        await session.commit()
    assert "Group Status" in refused.value.message
    assert await count(db) == 1


async def test_the_extract_is_read_in_windows_1252_and_with_gias_own_header_names(db: Maker) -> None:
    header = "Group UID,Group Name,Group Type,Group Status,Closed Date,Ukprn,Companies House Number"
    data = extract("401,Caf\xe9 Lane Trust,Trust,Closed,1/9/2021,10000401,1234", header=header).encode("cp1252")
    report = await run(db, register.decode(data))
    assert (report.added, report.closed) == (1, 1)
    org = (await rows(db))["Caf\xe9 Lane Trust"]
    assert (org.closed_on, org.ukprn, org.companies_house_number) == (date(2021, 9, 1), "10000401", "00001234")


# ---- a platform admin's organisations and domains -----------------------------------------------------


async def people(session: AsyncSession) -> tuple[Person, Person]:
    org = Organisation(name="Commons Stewards", kind=OrgKind.OTHER_GROUP)
    session.add(org)
    await session.flush()
    admin = Person(email="admin@example.org", display_name="Admin", password_hash="-", organisation=org, is_admin=True)
    member = Person(email="member@example.org", display_name="Member", password_hash="-", organisation=org)
    session.add_all([admin, member])
    await session.flush()
    return admin, member


async def test_only_a_platform_admin_creates_organisations_of_any_kind(db: Maker) -> None:
    data = NewOrganisationInput(
        name="  Schools   Inspection Office ",
        kind=OrgKind.REGULATOR,
        region=Region.LONDON,
        domains=["@Inspection.Example.Gov.UK", "inspection.example.gov.uk"],
    )
    async with db() as session:
        admin, member = await people(session)
        with pytest.raises(Forbidden):
            await organisations.create_organisation(session, member, data)
        org = await organisations.create_organisation(session, admin, data)
        assert (org.name, org.kind, org.region) == ("Schools Inspection Office", OrgKind.REGULATOR, Region.LONDON)
        assert await organisations.domains_of(session, [org.id]) == {org.id: ["inspection.example.gov.uk"]}
        with pytest.raises(Conflict, match="already registered"):
            await organisations.create_organisation(session, admin, data)
        await session.commit()
    assert await count(db) == 2
    assert await count(db, OrganisationDomain) == 1


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("gmail.com", "public mail provider"),
        ("@Outlook.com", "public mail provider"),
        ("hotmail.com", "public mail provider"),
        ("localhost", "not a domain name"),
        ("trust..org.uk", "not a domain name"),
        ("trust org.uk", "not a domain name"),
    ],
)
async def test_a_domain_must_be_an_organisations_own(db: Maker, raw: str, words: str) -> None:
    async with db() as session:
        admin, _ = await people(session)
        with pytest.raises(Invalid, match=words) as refused:
            await organisations.add_domain(session, admin, admin.organisation, raw)
        assert set(refused.value.fields) == {"domain"}
        await session.commit()
    assert await count(db, OrganisationDomain) == 0


async def test_a_domain_is_held_by_one_organisation_and_removed_by_a_platform_admin(db: Maker) -> None:
    async with db() as session:
        admin, member = await people(session)
        other = Organisation(name="Hollinbrook Schools Trust", kind=OrgKind.MULTI_ACADEMY_TRUST)
        session.add(other)
        await session.flush()
        await organisations.add_domain(session, admin, other, "Hollinbrook.Example.org.uk")
        await organisations.add_domain(session, admin, other, "hollinbrook.example.org.uk")  # again: nothing new
        with pytest.raises(Conflict, match="Hollinbrook Schools Trust"):
            await organisations.add_domain(session, admin, admin.organisation, "@hollinbrook.example.org.uk")
        with pytest.raises(Forbidden):
            await organisations.add_domain(session, member, member.organisation, "stewards.example.org.uk")
        with pytest.raises(Forbidden):
            await organisations.remove_domain(session, member, other, "hollinbrook.example.org.uk")
        with pytest.raises(NotFound):
            await organisations.remove_domain(session, admin, admin.organisation, "hollinbrook.example.org.uk")
        assert await organisations.domains_of(session, [other.id]) == {other.id: ["hollinbrook.example.org.uk"]}
        await organisations.remove_domain(session, admin, other, "HOLLINBROOK.example.org.uk")
        await session.commit()
    assert await count(db, OrganisationDomain) == 0
