"""The rules of the service agreements: a known service, a provider and recipients that are parties."""

from __future__ import annotations

from kokeilu.registry.diagnostics import Diagnostic, error
from kokeilu.registry.model import Registry
from kokeilu.rules.references import known, party_ref


def check_service_agreements(registry: Registry) -> list[Diagnostic]:
    """Each service known, its provider a party, its recipients other parties, in date order."""
    found = []
    for sa in registry.service_agreements:
        path = ("service_agreements", sa.index)
        if sa.service is not None and sa.service not in registry.services:
            found.append(
                error(
                    "unknown_service",
                    (*path, "service"),
                    at_value=True,
                    id=sa.service,
                    known=known(registry.services),
                )
            )
        if sa.provider is not None:
            found += party_ref(registry, sa.provider, (*path, "provider"), "provider")
        recipients = sa.recipients or ()
        if sa.recipients == ():
            found.append(error("no_recipients", (*path, "recipients"), at_value=True))
        for recipient in sorted({r for r in recipients if recipients.count(r) > 1}):
            found.append(
                error("duplicate_recipient", (*path, "recipients"), at_value=True, id=recipient)
            )
        for recipient in dict.fromkeys(recipients):
            if recipient == sa.provider:
                found.append(
                    error(
                        "provider_is_recipient", (*path, "recipients"), at_value=True, id=recipient
                    )
                )
            else:
                found += party_ref(registry, recipient, (*path, "recipients"), "recipient")
        if sa.start and sa.end and sa.end < sa.start:
            found.append(
                error(
                    "ends_before_start", (*path, "end"), at_value=True, start=sa.start, end=sa.end
                )
            )
    return found
