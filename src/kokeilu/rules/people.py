"""The rules of the people table: each person's municipality and access."""

from __future__ import annotations

from kokeilu.registry.diagnostics import Diagnostic, error, warning
from kokeilu.registry.model import Registry
from kokeilu.rules.references import known
from kokeilu.text.strings import t


def check_people(registry: Registry) -> list[Diagnostic]:
    """Each person's municipality and access: what rights.py reads, checked before it is relied on."""
    found = []
    administrators = 0
    closed = False
    for person in registry.people.values():
        path = ("people", person.id)
        access = person.access
        closed = closed or access is not None
        administrators += access == "all"
        if person.party is not None and person.party not in registry.parties:
            found.append(
                error(
                    "unknown_party",
                    (*path, "party"),
                    at_value=True,
                    role=t("ref.person"),
                    id=person.party,
                    known=known(registry.parties),
                )
            )
        elif access in ("party", "region") and person.party is None:
            found.append(
                error("access_needs_party", (*path, "access"), login=person.id, access=access)
            )
        elif (
            access == "region"
            and person.party is not None
            and not any(r.coordinator == person.party for r in registry.regions.values())
        ):
            found.append(
                warning(
                    "coordinates_nothing",
                    (*path, "access"),
                    login=person.id,
                    name=registry.display_name(person.party),
                )
            )
    if closed and not administrators:
        found.append(warning("no_administrator", ("people",)))
    return found
