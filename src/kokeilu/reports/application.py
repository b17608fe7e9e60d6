"""The application dossier (*hakemus*): what the ministry's call asked of the applicant, from the
registry, in the registry's language.

TEM's call asked for the participating municipalities, a contact person for each with phone and
email, and the pilot's goals and measures; the letter attaches the boards' minutes. The dossier
gives those, the coordination regions with their roles, and what is still missing, so that the
application is not typed by hand from the dashboard.
"""

from __future__ import annotations

import datetime as dt

from kokeilu.registry.model import Party, Person, Registry
from kokeilu.reports.document import (
    Block,
    Cell,
    Document,
    Facts,
    Flag,
    Items,
    Paragraph,
    Quote,
    Section,
    Subheading,
    Table,
)
from kokeilu.rules import AgreementStatus, agreement_status
from kokeilu.text.display import date
from kokeilu.text.strings import EN, speaking, t

# The passage that says the pilot's goals: the call asked for them, so it comes first.
AIM = "aim"
ATTACHMENTS = "attachments"


def application_dossier(registry: Registry, today: dt.date) -> Document:
    """The dossier of `registry` as it stands, prepared on `today`, in the registry's language."""
    with speaking(registry.language):
        return _dossier(registry, today)


def contacts(registry: Registry) -> dict[str, list[Person]]:
    """The people who act for each municipality (`party`), placeholders left out, in file order."""
    found: dict[str, list[Person]] = {}
    for person in registry.people.values():
        if person.party is not None and not person.placeholder:
            found.setdefault(person.party, []).append(person)
    return found


def _dossier(registry: Registry, today: dt.date) -> Document:
    status = agreement_status(registry)
    people = contacts(registry)
    area = registry.agreement.area
    title = t("report.title", area=area) if area else t("report.title_no_area")
    return Document(
        title=title,
        language=registry.language,
        front=_front(registry, status, today),
        sections=(
            _participants(registry, status),
            _contacts(registry, status, people),
            _regions(registry),
            _letter(registry),
            _attachments(registry, status),
            _still_missing(registry, people),
        ),
    )


def _missing() -> Flag:
    return Flag(t("report.missing"))


def _name(registry: Registry, party_id: str | None) -> Cell:
    return registry.display_name(party_id) if party_id else _missing()


def _front(registry: Registry, status: AgreementStatus, today: dt.date) -> tuple[Block, ...]:
    agreement = registry.agreement
    parties = sum(1 for p in registry.parties.values() if p.status == "party")
    if status.in_force:
        since = status.in_force_since
        standing = t("status.in_force", date=date(since)) if since else t("status.in_force_undated")
    elif parties == 0:
        standing = t("status.no_parties")
    else:
        standing = t("status.not_in_force", count=len(status.missing), total=parties)
    pairs: list[tuple[str, Cell]] = [
        (t("report.agreement"), agreement.title),
        (t("report.applicant"), _name(registry, agreement.applicant)),
        (t("report.administrator"), _name(registry, agreement.administrator)),
    ]
    if agreement.national_contact:
        pairs.append((t("report.national_contact"), _name(registry, agreement.national_contact)))
    if agreement.ministry:
        pairs.append((t("report.ministry"), agreement.ministry))
    if agreement.ministry_letter:
        pairs.append((t("report.ministry_letter"), date(agreement.ministry_letter)))
    if agreement.application_deadline:
        pairs.append((t("report.deadline"), date(agreement.application_deadline)))
    pairs += [(t("report.standing"), standing), (t("report.prepared"), date(today))]
    return (Facts(tuple(pairs)),)


def _participants(registry: Registry, status: AgreementStatus) -> Section:
    parties = sum(1 for p in registry.parties.values() if p.status == "party")
    intro = Paragraph(t("report.participants_intro", count=len(status.application), total=parties))
    if not status.application:
        return Section(t("report.participants"), (intro, Paragraph(t("status.none"))))
    rows = []
    for pid in status.application:
        party = registry.parties[pid]
        decision = party.decision
        rows.append(
            (
                party.name,
                decision.body or party.body or _missing(),
                date(decision.date) or _missing(),
                decision.minutes or _missing(),
                decision.case or _missing(),
            )
        )
    headers = (
        t("report.col.municipality"),
        t("report.col.body"),
        t("report.col.date"),
        t("report.col.minutes"),
        t("report.col.case"),
    )
    return Section(t("report.participants"), (intro, Table(headers, tuple(rows))))


def _contacts(
    registry: Registry, status: AgreementStatus, people: dict[str, list[Person]]
) -> Section:
    intro = Paragraph(t("report.contacts_intro"))
    if not status.application:
        return Section(t("report.contacts"), (intro, Paragraph(t("status.none"))))
    rows: list[tuple[Cell, ...]] = []
    for pid in status.application:
        name = registry.parties[pid].name
        for person in people.get(pid, []):
            rows.append(
                (
                    name,
                    person.name,
                    person.organisation or "",
                    person.phone or _missing(),
                    person.email or _missing(),
                )
            )
        if not people.get(pid):
            rows.append((name, _missing(), "", _missing(), _missing()))
    headers = (
        t("report.col.municipality"),
        t("report.col.person"),
        t("report.col.organisation"),
        t("report.col.phone"),
        t("report.col.email"),
    )
    return Section(t("report.contacts"), (intro, Table(headers, tuple(rows))))


def _member(party: Party) -> str:
    if party.status == "party":
        return party.name
    return f"{party.name} ({t('status.not_party', status=t('status.' + party.status))})"


def _regions(registry: Registry) -> Section:
    blocks: list[Block] = []
    for region in registry.regions.values():
        members = ", ".join(_member(p) for p in registry.members(region.id))
        pairs: list[tuple[str, Cell]] = [
            (t("report.coordinator"), _name(registry, region.coordinator)),
            (t("report.members"), members or t("status.none")),
        ]
        typ = registry.typ_areas.get(region.typ_area or "")
        if typ is not None:
            pairs.append((t("report.typ_area"), typ.name))
        if not region.role:
            pairs.append((t("report.role"), _missing()))
        blocks += [Subheading(region.name), Facts(tuple(pairs))]
        if region.role:
            blocks.append(Quote(t("report.role"), region.role))
    if not blocks:
        blocks.append(Paragraph(t("status.none")))
    return Section(t("report.regions"), tuple(blocks))


def _passage_label(key: str) -> str:
    """The passage's label in the catalogue, or its key for a passage the catalogue lacks."""
    return t(f"letter.{key}") if f"letter.{key}" in EN else key


def _letter(registry: Registry) -> Section:
    texts = registry.agreement.texts
    # The aim first, the rest as written; the attachments are a part of their own.
    order = sorted((key for key in texts if key != ATTACHMENTS), key=lambda key: key != AIM)
    blocks: list[Block] = [Paragraph(t("report.letter_intro"))]
    blocks += [Quote(_passage_label(key), texts[key]) for key in order]
    if AIM not in texts:
        blocks.append(Facts(((_passage_label(AIM), _missing()),)))
    return Section(t("report.letter"), tuple(blocks), new_page=True)


def _attachments(registry: Registry, status: AgreementStatus) -> Section:
    blocks: list[Block] = []
    said = registry.agreement.texts.get(ATTACHMENTS)
    if said:
        blocks.append(Quote(_passage_label(ATTACHMENTS), said))
    items: list[Cell] = []
    for pid in status.application:
        party = registry.parties[pid]
        attachment = party.decision.attachment
        items.append(
            f"{party.name}: {attachment}"
            if attachment
            else Flag(t("report.no_attachment", name=party.name))
        )
    blocks.append(Items(tuple(items)) if items else Paragraph(t("status.none")))
    return Section(t("report.attachments"), tuple(blocks))


def _gaps(party: Party, people: list[Person]) -> list[str]:
    """What one party still lacks for the application: approval, the decision's details, a
    contact person reachable by phone and email."""
    decision = party.decision
    gaps = []
    if not party.approved:
        gaps.append(t("report.gap_approval", outcome=t("outcome." + decision.outcome)))
    else:
        if not decision.case:
            gaps.append(t("report.gap_case"))
        if not decision.attachment:
            gaps.append(t("report.gap_minutes"))
    if not people:
        gaps.append(t("report.gap_contact"))
    for person in people:
        lacks = [
            t(f"report.gap_{what}")
            for what, value in (("phone", person.phone), ("email", person.email))
            if not value
        ]
        if lacks:
            gaps.append(t("report.gap_reach", person=person.name, what=t("report.and").join(lacks)))
    return gaps


def _still_missing(registry: Registry, people: dict[str, list[Person]]) -> Section:
    items: list[Cell] = []
    for party in registry.parties.values():
        if party.status == "party":
            gaps = _gaps(party, people.get(party.id, []))
            if gaps:
                items.append(t("report.gaps", name=party.name, gaps="; ".join(gaps)))
    for region in registry.regions.values():
        if not region.role:
            items.append(t("report.missing_role", region=region.name))
        for party in registry.members(region.id):
            if party.status != "party":
                status = t("status." + party.status)
                items.append(
                    t("report.not_a_party", name=party.name, region=region.name, status=status)
                )
    if AIM not in registry.agreement.texts:
        items.append(t("report.missing_aim"))
    blocks: tuple[Block, ...] = (
        (Paragraph(t("report.still_missing_intro")), Items(tuple(items)))
        if items
        else (Paragraph(t("report.nothing_missing")),)
    )
    return Section(t("report.still_missing"), blocks, new_page=True)
