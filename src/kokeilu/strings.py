"""Every user-facing string, in one catalogue per language.

Code asks for a string by key (`t("diag.unknown_region", ...)`); nothing user-facing is written
inline elsewhere. English is complete; another language may leave keys out, and those fall back
to English. The language comes from $KOKEILU_LANG (`en`, `fi`).
"""

from __future__ import annotations

import os
from typing import Any

EN: dict[str, str] = {
    # Types, as messages name them.
    "type.text": "text",
    "type.id": "an id (lowercase ASCII letters, digits and _)",
    "type.ids": "a list of ids",
    "type.list": "a list of text",
    "type.date": "a date (YYYY-MM-DD, unquoted)",
    "type.bool": "true or false",
    "type.int": "a whole number",
    "type.number": "a number",
    "type.table": "a table",
    "type.array_of_tables": "an array of tables ([[...]])",
    "type.top_level": "the top level",
    # Findings: schema and types.
    "diag.toml": "{message}",
    "diag.unreadable": "cannot read the registry: {reason}",
    "diag.not_utf8": "the file is not UTF-8 text: {reason}",
    "diag.unknown_key": "unknown key {key} in {table}",
    "diag.wrong_type": "{field} must be {expected}, not {actual}",
    "diag.bad_choice": '{field} must be one of {choices}, not "{value}"',
    "diag.empty": "{field} must not be empty",
    "diag.missing_field": "{table} has no {field}",
    "diag.bad_id": '"{id}" is not a valid id',
    "diag.schema_newer": "schema {found} is newer than this kokeilu understands (schema {known})",
    "diag.schema_unknown": "schema {found} is not a schema version kokeilu knows (schema {known})",
    "diag.not_finite": "{field} must be a finite number, not {value}",
    "diag.negative": "{field} must be zero or more, not {value}",
    "diag.not_positive": "{field} must be more than zero, not {value}",
    "diag.bad_period": 'caseload period "{period}" is not YYYY-MM',
    "diag.caseload_type": "caseload of {party} in {period} must be a whole number, not {actual}",
    "diag.caseload_negative": "caseload of {party} in {period} is negative ({value})",
    # Findings: the rules of the letter.
    "diag.unknown_party": '{role} "{id}" is not a municipality in the registry (known: {known})',
    "diag.ref_not_party": "{role} {name} is not a party (status: {status})",
    "diag.unknown_region": '{name} is in region "{id}", which does not exist (regions: {known})',
    "diag.unknown_typ_area": 'TYP area "{id}" does not exist (TYP areas: {known})',
    "diag.coordinator_outside": "coordinator {name} of region {region} is a member of another region ({other})",
    "diag.region_empty": "region {name} has no members",
    "diag.typ_exception": "{name} is in TYP area {typ_area} but in coordination region {region} (a known exception)",
    "diag.member_not_party": "{name} is named in region {region} but is not a party (status: {status})",
    "diag.body_kind_mismatch": "{name} is a {kind} but its body is {body}",
    "diag.decision_needs_date": "{name}: a decision that is {outcome} needs a date",
    "diag.decision_needs_minutes": "{name}: a decision that is {outcome} needs a minutes reference (§)",
    "diag.decision_before_letter": "{name}: decision date {date} is before the ministry's letter of {letter}",
    "diag.decision_in_future": "{name}: decision date {date} is in the future (today is {today})",
    "diag.rejected_party": "{name} rejected the letter but is still a party",
    "diag.approved_not_party": "{name} approved the letter but is not a party (status: {status})",
    "diag.unknown_service": 'service "{id}" does not exist (services: {known})',
    "diag.no_recipients": "a service agreement needs at least one recipient",
    "diag.provider_is_recipient": '"{id}" cannot produce a service for itself',
    "diag.duplicate_recipient": '"{id}" is named twice among the recipients',
    "diag.ends_before_start": "the service agreement ends ({end}) before it starts ({start})",
    "diag.total_not_multiple": "total {total} of {name} is not a whole number of steps of {step}",
    "diag.unknown_caseload_party": '"{id}" has a caseload in {period} but is not a municipality in the registry',
    "diag.caseload_missing": "{period} has no caseload for: {names}",
    # Hints: what to do.
    "hint.unknown_key": "check the spelling; docs/registry.md lists every field",
    "hint.bad_id": "ids are lowercase ASCII letters, digits and _, starting with a letter (siilinjarvi)",
    "hint.bad_period": 'write the period as a quoted key: [caseloads."2020-01"]',
    "hint.unknown_region": "use one of the region ids, or add [regions.{id}] with a name and a coordinator",
    "hint.decided": 'record the date and the minutes reference of the board\'s decision, or set outcome = "pending"',
    "hint.rejected_party": "the letter cannot enter into force while a party has rejected it: set its status to withdrawn",
    # Edits, as they are described in notices and commit messages.
    "edit.undo": "Undo: {what}",
    "edit.record_decision": "{name}: decision {outcome}{details}",
    "edit.set_caseload": "{name}: caseload {period} {old} → {new}",
    "edit.move_party": "{name}: region {old} → {new}",
    "edit.set_status": "{name}: status {old} → {new}",
    "edit.set_coordinator": "{region}: coordinator {name}",
    "edit.set_resource": "{name}: total {total}, step {step}",
    "edit.add_parties": "{name}: added",
    "edit.edit_parties": "{name}: changed",
    "edit.remove_parties": "{name}: removed",
    "edit.add_people": "{name}: added to people",
    "edit.edit_people": "{name}: changed",
    "edit.remove_people": "{name}: removed from people",
    "edit.add_service_agreement": "Service agreement added: {provider} produces {service} for {recipients}",
    "edit.edit_service_agreement": "Service agreement changed: {provider} produces {service} for {recipients}",
    "edit.remove_service_agreement": "Service agreement removed: {provider} produces {service} for {recipients}",
    # Reports.
    "report.summary": "{errors} errors, {warnings} warnings",
    "report.clean": "no findings",
    "report.hint": "hint",
    "cli.not_found": "{file}: error: no such file (give one with -f FILE or $KOKEILU_FILE)",
    "cli.has_errors": "{file}: error: the registry has errors ({count}); run `kokeilu check` to see them",
    "cli.example_figures": "EXAMPLE FIGURES: the caseloads and resource totals are invented examples, not public data.",
    "cli.example_figures_short": "note: example figures (invented, not public data)",
    "cli.dashboard_later": "The dashboard is not built yet; showing the status instead.",
    "status.in_force": "The agreement is in force since {date}.",
    "status.in_force_undated": "The agreement is in force.",
    "status.not_in_force": "The agreement is not in force: {count} of {total} parties have not approved.",
    "status.no_parties": "The agreement is not in force: the registry has no parties.",
    "status.missing": "Missing",
    "status.application": "Application ({count})",
    "status.none": "(none)",
    "status.regions": "Regions",
    "status.coordinator": "coordinator",
    "status.approved_of": "{approved}/{total} approved",
    "status.not_party": "not a party: {status}",
    "outcome.pending": "pending",
    "outcome.approved": "approved",
    "outcome.rejected": "rejected",
    "shares.title": "Shares for {period}",
    "shares.participants": "Divided among the {count} parties with an approved decision.",
    "shares.provisional": "PROVISIONAL: divided among the {count} parties that have not rejected, approved or not.",
    "shares.resource": "{name}: total {total} {unit}, step {step}",
    "shares.col.party": "party",
    "shares.col.region": "region",
    "shares.col.caseload": "caseload",
    "shares.col.share": "share",
    "shares.col.amount": "amount",
    "shares.total": "Total",
    "shares.no_period": "no caseloads for period {period} (periods: {known})",
    "shares.no_periods": "the registry has no caseloads",
    "shares.bad_period": 'period "{period}" is not YYYY-MM',
    "shares.no_participants": "no party has an approved decision yet; use --provisional to see the division among all parties",
    "shares.zero_caseload": "the participating parties have no clients in {period}: nothing to divide {name} by",
    "shares.too_large": "{name}: total and caseloads are too large to divide exactly",
    "shares.no_resources": "the registry has no resources",
    # Checks of typed values (forms and the command line).
    "valid.date": 'not a date: "{value}" (write 18.11.2019)',
    "valid.count": 'not a client count: "{value}" (a whole number, 0 or more)',
    "valid.number": 'not a number: "{value}"',
    "valid.positive": "must be more than zero: {value}",
    "valid.not_negative": "must be zero or more: {value}",
    "valid.period": 'not a period: "{value}" (write 2020-12)',
    "valid.id": 'not an id: "{value}" (lowercase ASCII letters, digits and _)',
    "valid.needs_date": "a decision that is approved or rejected needs its date",
    "valid.needs_minutes": "a decision that is approved or rejected needs its minutes § reference",
    "valid.before_letter": "before the ministry's letter of {letter}",
    "valid.in_future": "in the future",
    "valid.required": "required",
    "valid.exists": 'already exists: "{value}"',
}

FI: dict[str, str] = {}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "fi": FI}


def language() -> str:
    """The language of user-facing text, from $KOKEILU_LANG; English when unset or unknown."""
    lang = os.environ.get("KOKEILU_LANG", "en")
    return lang if lang in CATALOGUES else "en"


def t(key: str, /, **params: Any) -> str:
    """The string `key` in the user's language, with `params` filled in."""
    template = CATALOGUES[language()].get(key) or EN[key]
    return template.format(**params) if params else template
