"""The rules of the letter of intent, as pure functions of a registry.

No I/O here, and no clock: the caller says what day it is. Findings carry registry paths; turning
them into file positions is the report's job. Each rule is written here once: the forms judge a
draft by previewing its edit through `check`, not with copies of the rules.
"""

from __future__ import annotations

import datetime as dt

from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document
from kokeilu.registry.model import Registry
from kokeilu.rules.counts import check_caseloads, check_resources
from kokeilu.rules.parties import check_agreement, check_party, check_regions
from kokeilu.rules.people import check_people
from kokeilu.rules.services import check_service_agreements
from kokeilu.rules.status import (
    AgreementStatus,
    RegionSummary,
    agreement_status,
    days_to_deadline,
    deadline_words,
    participants,
    waiting_words,
)

__all__ = [
    "AgreementStatus",
    "RegionSummary",
    "agreement_status",
    "check",
    "days_to_deadline",
    "deadline_words",
    "findings",
    "participants",
    "waiting_words",
]


def check(registry: Registry, today: dt.date) -> list[Diagnostic]:
    """Every rule of the letter and every reference between the registry's tables."""
    found: list[Diagnostic] = []
    found += check_agreement(registry)
    found += check_regions(registry)
    for party in registry.parties.values():
        found += check_party(registry, party, today)
    found += check_service_agreements(registry)
    found += check_resources(registry)
    found += check_caseloads(registry, today)
    found += check_people(registry)
    return found


def findings(document: Document, today: dt.date) -> list[Diagnostic]:
    """Everything `kokeilu check` reports about a registry file: what reading it found (its
    schema), then every rule, on `today`."""
    return document.diagnostics + check(document.registry, today)
