"""What each table of the registry holds: the one declaration of every key, its type and whether
it is required. `schema.build` reads the file by it, and the forms learn from it through the
findings of a preview, so "required" is said here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kokeilu.registry.model import (
    ACCESS,
    BODIES,
    IN_FORCE_RULES,
    KINDS,
    LANGUAGES,
    OUTCOMES,
    ROLES,
    STATUSES,
)

# The agreement's prose fields: text of the letter, shown as written.
AGREEMENT_TEXTS = (
    "government",
    "pilot_start",
    "parties_note",
    "purpose",
    "background",
    "aim",
    "application",
    "coordination",
    "operations",
    "costs",
    "resource_rule",
    "cooperation",
    "signatures",
    "attachments",
)


@dataclass(frozen=True, slots=True)
class Field:
    """What one key of a table must hold."""

    kind: str  # text | id | ids | choice | choices | date | bool | int | number
    required: bool = False
    choices: tuple[str, ...] = ()


def _text(required: bool = False) -> Field:
    return Field("text", required)


def _id(required: bool = False) -> Field:
    return Field("id", required)


def _choice(choices: tuple[str, ...], required: bool = False) -> Field:
    return Field("choice", required, choices)


class Spec(dict[str, Field]):
    """The fields of one kind of table, with its required keys listed once, not once per table."""

    def __init__(self, fields: Mapping[str, Field]) -> None:
        super().__init__(fields)
        self.required = tuple(key for key, rule in fields.items() if rule.required)


TOP_LEVEL = Spec(
    {
        "schema": Field("int", True),
        "example_figures": Field("bool"),
        "language": _choice(LANGUAGES),
        "agreement": Field("table", True),
        "regions": Field("table", True),
        "typ_areas": Field("table"),
        "parties": Field("table", True),
        "services": Field("table"),
        "service_agreements": Field("array"),
        "resources": Field("table"),
        "caseloads": Field("table"),
        "people": Field("table"),
    }
)
AGREEMENT = Spec(
    {
        "title": _text(True),
        "area": _text(),
        "applicant": _id(True),
        "administrator": _id(True),
        "national_contact": _id(),
        "ministry": _text(),
        "ministry_letter": Field("date", True),
        # The last day of the ministry's call for applications (a decision after it is late).
        "application_deadline": Field("date"),
        "entry_into_force": _choice(IN_FORCE_RULES),
    }
    | {name: _text() for name in AGREEMENT_TEXTS}
)
REGION = Spec({"name": _text(True), "coordinator": _id(True), "typ_area": _id(), "role": _text()})
TYP_AREA = Spec({"name": _text(True)})
PARTY = Spec(
    {
        "name": _text(True),
        "kind": _choice(KINDS, True),
        "body": _choice(BODIES, True),
        "region": _id(True),
        "typ_area": _id(),
        "status": _choice(STATUSES, True),
        "note": _text(),
        "decision": Field("table"),
    }
)
DECISION = Spec(
    {
        "outcome": _choice(OUTCOMES, True),
        "body": _choice(BODIES),
        "date": Field("date"),
        "minutes": _text(),
        "case": _text(),
        "attachment": _text(),
        "note": _text(),
    }
)
SERVICE = Spec({"name": _text(True)})
SERVICE_AGREEMENT = Spec(
    {
        "service": _id(True),
        "provider": _id(True),
        "recipients": Field("ids", True),
        "start": Field("date"),
        "end": Field("date"),
        "note": _text(),
    }
)
RESOURCE = Spec(
    {
        "name": _text(True),
        "unit": _text(True),
        "step": Field("number", True),
        "total": Field("number", True),
        "note": _text(),
    }
)
PERSON = Spec(
    {
        "name": _text(True),
        "organisation": _text(),
        "email": Field("text"),
        "phone": Field("text"),
        "roles": Field("choices", False, ROLES),
        "placeholder": Field("bool"),
        "party": _id(),
        "access": _choice(ACCESS),
        # Replaced by `access`: still known, so that the warning can say what to write instead.
        "may_edit": Field("bool"),
    }
)
