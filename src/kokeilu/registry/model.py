"""The registry's types: what a valid registry holds, independent of how it is stored.

The loader (`schema.py`) builds these from the TOML data; everything above it (rules, shares, the
command line and the dashboard) reads only these types, never the raw dictionaries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

SCHEMA_VERSION = 1

ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
# People are keyed by login name, which may hold dots and dashes (maija.meikalainen).
LOGIN_RE = re.compile(r"[a-z_][a-z0-9_.-]*\Z")
PERIOD_RE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\Z")

STATUSES = ("party", "candidate", "withdrawn")
OUTCOMES = ("pending", "approved", "rejected")
KINDS = ("kunta", "kaupunki")
BODIES = ("kunnanhallitus", "kaupunginhallitus")
ROLES = ("distribution", "info", "project_group")
IN_FORCE_RULES = ("all_parties_approved",)
# The languages a registry's commit subjects can be written in; absent, Finnish, as the letter.
LANGUAGES = ("fi", "en")
DEFAULT_LANGUAGE = "fi"
# What a person may edit (rights.py): nothing, their municipality's, their region's, everything.
ACCESS = ("read", "party", "region", "all")

# A path names a place in the registry: ("parties", "kuopio", "decision", "date"). Array items are
# named by their index: ("service_agreements", 0, "provider").
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """A board's decision on the letter of intent; `pending` until the board has decided."""

    outcome: str = "pending"
    body: str | None = None
    date: dt.date | None = None
    minutes: str | None = None
    case: str | None = None
    attachment: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A municipality named in the registry; only status `party` makes it a sopijaosapuoli."""

    id: str
    name: str
    kind: str | None
    body: str | None
    region: str | None
    typ_area: str | None
    status: str
    decision: Decision
    note: str | None = None

    @property
    def approved(self) -> bool:
        """True when the board approved the letter."""
        return self.decision.outcome == "approved"


@dataclass(frozen=True, slots=True)
class Region:
    """A coordination region (koordinaatioalue) with its one coordinating municipality."""

    id: str
    name: str
    coordinator: str | None
    typ_area: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class TypArea:
    """A TYP network area; the coordination regions follow them, with known exceptions."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Service:
    """A kind of service one municipality may produce for others."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ServiceAgreement:
    """One municipality producing a service for others (palvelutuotannon sopimus)."""

    index: int
    service: str | None
    provider: str | None
    recipients: tuple[str, ...] | None
    start: dt.date | None = None
    end: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    """A state resource divided in proportion to caseloads, in whole multiples of `step`."""

    id: str
    name: str
    unit: str
    step: Decimal
    total: Decimal
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the distribution, for-information or project-group list; the key is a login.

    `party` is the municipality the person acts for (its contact person in the application
    dossier, reached by `email` and `phone`); `access` what they may edit (see rights.py), None
    when the entry does not say (a reader, and the registry stays open).
    """

    id: str
    name: str
    organisation: str | None = None
    email: str | None = None
    roles: tuple[str, ...] = ()
    placeholder: bool = False
    party: str | None = None
    access: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Agreement:
    """The letter of intent itself: who applies, who administers, and when it enters into force."""

    title: str
    applicant: str | None
    administrator: str | None
    ministry_letter: dt.date | None
    entry_into_force: str = "all_parties_approved"
    area: str | None = None
    national_contact: str | None = None
    ministry: str | None = None
    # The last day of the ministry's call for applications: the board decisions are due by it.
    application_deadline: dt.date | None = None
    # The letter's prose, field by field (purpose, aim, costs, ...), in file order.
    texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Registry:
    """A whole registry as read from one file."""

    schema: int
    example_figures: bool
    agreement: Agreement
    regions: dict[str, Region]
    typ_areas: dict[str, TypArea]
    parties: dict[str, Party]
    services: dict[str, Service]
    service_agreements: tuple[ServiceAgreement, ...]
    resources: dict[str, Resource]
    # period (YYYY-MM) -> party id -> client count
    caseloads: dict[str, dict[str, int]]
    people: dict[str, Person]
    # period -> the parties whose count there is above limits.MAX_CASELOAD. Such a count is
    # kept out of `caseloads` (`check` reports it), but it is not missing: a division of the
    # period says it is too large to divide by rather than count the party as zero.
    too_large: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The language the registry's commit subjects are written in, whoever saves (`language`).
    language: str = DEFAULT_LANGUAGE

    @property
    def periods(self) -> list[str]:
        """The caseload periods, oldest first."""
        return sorted(self.caseloads)

    def members(self, region_id: str) -> list[Party]:
        """Every municipality whose region is `region_id`, parties and others, in file order."""
        return [p for p in self.parties.values() if p.region == region_id]

    def display_name(self, party_id: str) -> str:
        """The party's name as written, or its id when the registry does not know it."""
        party = self.parties.get(party_id)
        return party.name if party else party_id
