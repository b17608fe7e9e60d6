"""A reference to a municipality that must be a party: one rule, for every table that refers."""

from __future__ import annotations

from kokeilu.registry.diagnostics import Diagnostic, error
from kokeilu.registry.model import KeyPath, Registry
from kokeilu.text.strings import t


def known(ids: object) -> str:
    """The ids a reference could have named, for the message."""
    return ", ".join(sorted(ids))  # type: ignore[call-overload]


def party_ref(
    registry: Registry, party_id: str | None, path: KeyPath, role: str
) -> list[Diagnostic]:
    """A reference to a municipality that must be a party (status `party`)."""
    if party_id is None:
        return []
    party = registry.parties.get(party_id)
    if party is None:
        return [
            error(
                "unknown_party",
                path,
                at_value=True,
                role=t(f"ref.{role}"),
                id=party_id,
                known=known(registry.parties),
            )
        ]
    if party.status != "party":
        return [
            error(
                "ref_not_party",
                path,
                at_value=True,
                role=t(f"ref.{role}"),
                name=party.name,
                status=t(f"status.{party.status}"),
            )
        ]
    return []
