"""`kokeilu check`: one small bad registry per finding, positions, excerpts, unreadable files.

Every bad registry is the valid BASE below with one targeted edit. Expected positions are found by
searching the edited text, so the tables stay readable and the line numbers cannot drift.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kokeilu.cli import main
from kokeilu.cli.reading import findings
from kokeilu.registry.load import parse
from kokeilu.registry.locate import Span, enclosing_header, find, locate
from kokeilu.text.strings import EN

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "pohjois-savo.toml"
FILE = "registry.toml"

# A small valid registry: two regions and TYP areas, four parties, one service agreement, one
# resource, one caseload period. `kokeilu check` finds nothing in it.
BASE = """\
schema = 1

[agreement]
title = "Aiesopimus"
applicant = "kuopio"
administrator = "kuopio"
ministry_letter = 2019-10-08

[regions.kuopio]
name = "Kuopion alue"
coordinator = "kuopio"
typ_area = "kuopio"

[regions.ylasavo]
name = "Ylä-Savo"
coordinator = "iisalmi"
typ_area = "ylasavo"

[typ_areas.kuopio]
name = "Kuopion TYP"

[typ_areas.ylasavo]
name = "Ylä-Savon TYP"

[parties.kuopio]
name = "Kuopio"
kind = "kaupunki"
body = "kaupunginhallitus"
region = "kuopio"
typ_area = "kuopio"
status = "party"

[parties.kuopio.decision]
outcome = "approved"
date = 2019-11-11
minutes = "§ 139"

[parties.siilinjarvi]
name = "Siilinjärvi"
kind = "kunta"
body = "kunnanhallitus"
region = "kuopio"
typ_area = "kuopio"
status = "party"

[parties.siilinjarvi.decision]
outcome = "pending"

[parties.iisalmi]
name = "Iisalmi"
kind = "kaupunki"
body = "kaupunginhallitus"
region = "ylasavo"
typ_area = "ylasavo"
status = "party"

[parties.iisalmi.decision]
outcome = "pending"

[parties.vierema]
name = "Vieremä"
kind = "kunta"
body = "kunnanhallitus"
region = "ylasavo"
typ_area = "ylasavo"
status = "party"

[parties.vierema.decision]
outcome = "pending"

[services.kotouttaminen]
name = "Kotouttaminen"

[[service_agreements]]
service = "kotouttaminen"
provider = "kuopio"
recipients = ["siilinjarvi"]
start = 2020-03-01
end = 2021-06-30

[resources.te_staff]
name = "TE staff"
unit = "htv"
step = 0.1
total = 12.5

[caseloads."2020-01"]
kuopio = 600
siilinjarvi = 100
iisalmi = 120
vierema = 20
"""

KNOWN_PARTIES = "iisalmi, kuopio, siilinjarvi, vierema"
TOP = None  # the top level: the text before the first table header

# (header of the table the edit is in, text in that table, its replacement)
Edit = tuple[str | None, str, str]


class Found(NamedTuple):
    """One expected finding: its code, severity, where (a needle in a table) and its message."""

    code: str
    severity: str
    table: str | None
    needle: str
    message: str


def err(code: str, table: str | None, needle: str, message: str) -> Found:
    return Found(code, "error", table, needle, message)


def warn(code: str, table: str | None, needle: str, message: str) -> Found:
    return Found(code, "warning", table, needle, message)


def section(text: str, table: str | None) -> tuple[int, int]:
    """Start and end offsets of a table in `text`, from its header line to the next header."""
    start = 0 if table is None else text.index(table + "\n")
    end = text.find("\n[", start + 1)
    return start, len(text) if end < 0 else end


def edited(edits: list[Edit], text: str = BASE) -> str:
    """`text` with each edit applied; each `old` must occur exactly once in its table."""
    for table, old, new in edits:
        start, end = section(text, table)
        assert text.count(old, start, end) == 1, (table, old)
        at = text.index(old, start, end)
        text = text[:at] + new + text[at + len(old) :]
    return text


def line_col(text: str, table: str | None, needle: str) -> tuple[int, int]:
    """1-based line and column of the first `needle` in `table`."""
    start, end = section(text, table)
    at = text.index(needle, start, end)
    line_start = text.rfind("\n", 0, at) + 1
    return text.count("\n", 0, at) + 1, at - line_start + 1


def head(text: str, found: Found, file: str = FILE) -> str:
    line, col = line_col(text, found.table, found.needle)
    return f"{file}:{line}:{col}: {found.severity}: {found.message}"


class Run(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def heads(self) -> list[str]:
        """The finding lines of the output, without excerpts and hints."""
        return [line for line in self.out.splitlines() if line.startswith(f"{FILE}:")]


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOKEILU_LANG", raising=False)
    monkeypatch.delenv("KOKEILU_FILE", raising=False)


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Write a registry to ./registry.toml in a fresh directory and run `kokeilu -f FILE check`."""
    monkeypatch.chdir(tmp_path)

    def run(content: str | bytes | None, file: str = FILE) -> Run:
        if isinstance(content, str):
            (tmp_path / file).write_text(content, encoding="utf-8")
        elif isinstance(content, bytes):
            (tmp_path / file).write_bytes(content)
        code = main(["-f", file, "check"])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def test_base_registry_is_clean(check) -> None:
    run = check(BASE)
    assert (run.code, run.out, run.err) == (0, "", "no findings\n")


TODAY = "{today}"

# Issue 10: rights.
CASELOADS = '[caseloads."2020-01"]'
ADMIN = '[people.admin]\nname = "Admin"\naccess = "all"\n\n'

CASES = [
    # Schema and types.
    pytest.param(
        [("[agreement]", 'title = "Aiesopimus"', 'title = "Aiesopimus"\ntitel = "Aiesopimus"')],
        [warn("unknown_key", "[agreement]", "titel =", "unknown key titel in agreement")],
        id="unknown_key",
    ),
    pytest.param(
        [(TOP, "schema = 1", "schema = 1\nversion = 2")],
        [warn("unknown_key", TOP, "version =", "unknown key version in the top level")],
        id="unknown_key-top",
    ),
    pytest.param(
        [("[agreement]", "ministry_letter = 2019-10-08", 'ministry_letter = "2019-10-08"')],
        [
            err(
                "wrong_type",
                "[agreement]",
                "ministry_letter =",
                "agreement.ministry_letter must be a date (YYYY-MM-DD, unquoted), not string",
            )
        ],
        id="wrong_type",
    ),
    pytest.param(
        [("[resources.te_staff]", "step = 0.1", 'step = "0.1"')],
        [
            err(
                "wrong_type",
                "[resources.te_staff]",
                "step =",
                "resources.te_staff.step must be a number, not string",
            )
        ],
        id="wrong_type-number",
    ),
    pytest.param(
        [("[parties.kuopio]", 'kind = "kaupunki"', 'kind = "city"')],
        [
            err(
                "bad_choice",
                "[parties.kuopio]",
                "kind =",
                'parties.kuopio.kind must be one of kunta, kaupunki, not "city"',
            )
        ],
        id="bad_choice",
    ),
    pytest.param(
        [("[parties.siilinjarvi.decision]", '"pending"', '"approve"')],
        [
            err(
                "bad_choice",
                "[parties.siilinjarvi.decision]",
                "outcome =",
                "parties.siilinjarvi.decision.outcome must be one of pending, approved, rejected,"
                ' not "approve"',
            )
        ],
        id="bad_choice-outcome",
    ),
    # The registry's language (for commit subjects) is a known key, and one of fi, en.
    pytest.param(
        [(TOP, "schema = 1", 'schema = 1\nlanguage = "de"')],
        [
            err(
                "bad_choice",
                TOP,
                "language =",
                'language must be one of fi, en, not "de"',
            )
        ],
        id="bad_choice-language",
    ),
    pytest.param(
        [("[agreement]", 'title = "Aiesopimus"', 'title = "  "')],
        [err("empty", "[agreement]", "title =", "agreement.title must not be empty")],
        id="empty",
    ),
    pytest.param(
        [("[parties.siilinjarvi]", 'status = "party"\n', "")],
        [
            err(
                "missing_field",
                "[parties.siilinjarvi]",
                "[parties.siilinjarvi]",
                "parties.siilinjarvi has no status",
            )
        ],
        id="missing_field",
    ),
    pytest.param(
        [(TOP, "schema = 1\n", "")],
        [err("missing_field", TOP, "", "the top level has no schema")],
        id="missing_field-top",
    ),
    pytest.param(
        [("[parties.siilinjarvi]", 'region = "kuopio"', 'region = "Kuopio"')],
        [err("bad_id", "[parties.siilinjarvi]", "region =", '"Kuopio" is not a valid id')],
        id="bad_id",
    ),
    pytest.param(
        [
            (
                "[services.kotouttaminen]",
                'name = "Kotouttaminen"\n',
                'name = "Kotouttaminen"\n\n[services.Tulkkaus]\nname = "Tulkkaus"\n',
            )
        ],
        [err("bad_id", "[services.Tulkkaus]", "[", '"Tulkkaus" is not a valid id')],
        id="bad_id-key",
    ),
    pytest.param(
        [(TOP, "schema = 1", "schema = 2")],
        [
            err(
                "schema_newer",
                TOP,
                "schema =",
                "schema 2 is newer than this kokeilu understands (schema 1)",
            )
        ],
        id="schema_newer",
    ),
    pytest.param(
        [(TOP, "schema = 1", "schema = 0")],
        [
            err(
                "schema_unknown",
                TOP,
                "schema =",
                "schema 0 is not a schema version kokeilu knows (schema 1)",
            )
        ],
        id="schema_unknown",
    ),
    pytest.param(
        [("[resources.te_staff]", "total = 12.5", "total = -2.5")],
        [
            err(
                "negative",
                "[resources.te_staff]",
                "total =",
                "resources.te_staff.total must be zero or more, not -2.5",
            )
        ],
        id="negative",
    ),
    pytest.param(
        [("[resources.te_staff]", "total = 12.5", "total = inf")],
        [
            err(
                "not_finite",
                "[resources.te_staff]",
                "total =",
                "resources.te_staff.total must be a finite number, not Infinity",
            )
        ],
        id="not_finite",
    ),
    pytest.param(
        [("[resources.te_staff]", "step = 0.1", "step = nan")],
        [
            err(
                "not_finite",
                "[resources.te_staff]",
                "step =",
                "resources.te_staff.step must be a finite number, not NaN",
            )
        ],
        id="not_finite-nan",
    ),
    pytest.param(
        [("[resources.te_staff]", "step = 0.1", "step = 0")],
        [
            err(
                "not_positive",
                "[resources.te_staff]",
                "step =",
                "resources.te_staff.step must be more than zero, not 0",
            )
        ],
        id="not_positive",
    ),
    pytest.param(
        [('[caseloads."2020-01"]', "2020-01", "2020-13")],
        [
            err(
                "bad_period",
                '[caseloads."2020-13"]',
                "[",
                'caseload period "2020-13" is not YYYY-MM',
            )
        ],
        id="bad_period",
    ),
    # A caseload of the wrong type is left out, so the period also lacks the party's caseload.
    pytest.param(
        [('[caseloads."2020-01"]', "vierema = 20", 'vierema = "20"')],
        [
            warn(
                "caseload_missing",
                '[caseloads."2020-01"]',
                "[",
                "2020-01 has no caseload for: Vieremä",
            ),
            err(
                "caseload_type",
                '[caseloads."2020-01"]',
                "vierema =",
                "caseload of vierema in 2020-01 must be a whole number, not string",
            ),
        ],
        id="caseload_type",
    ),
    pytest.param(
        [('[caseloads."2020-01"]', "vierema = 20", "vierema = -20")],
        [
            warn(
                "caseload_missing",
                '[caseloads."2020-01"]',
                "[",
                "2020-01 has no caseload for: Vieremä",
            ),
            err(
                "caseload_negative",
                '[caseloads."2020-01"]',
                "vierema =",
                "caseload of vierema in 2020-01 is negative (-20)",
            ),
        ],
        id="caseload_negative",
    ),
    # Issue 9: a count above the maximum is refused at its value, not divided by.
    pytest.param(
        [('[caseloads."2020-01"]', "vierema = 20", "vierema = 9223372036854775808")],
        [
            warn(
                "caseload_missing",
                '[caseloads."2020-01"]',
                "[",
                "2020-01 has no caseload for: Vieremä",
            ),
            err(
                "caseload_too_large",
                '[caseloads."2020-01"]',
                "vierema =",
                "caseload of vierema in 2020-01 is more than 1 000 000 000, the most a count may be",
            ),
        ],
        id="caseload_too_large",
    ),
    # The rules of the letter.
    pytest.param(
        [("[agreement]", 'administrator = "kuopio"', 'administrator = "tuusniemi"')],
        [
            err(
                "unknown_party",
                "[agreement]",
                "administrator =",
                f'administrator "tuusniemi" is not a municipality in the registry (known: {KNOWN_PARTIES})',
            )
        ],
        id="unknown_party",
    ),
    pytest.param(
        [("[[service_agreements]]", 'provider = "kuopio"', 'provider = "tuusniemi"')],
        [
            err(
                "unknown_party",
                "[[service_agreements]]",
                "provider =",
                f'provider "tuusniemi" is not a municipality in the registry (known: {KNOWN_PARTIES})',
            )
        ],
        id="unknown_party-provider",
    ),
    # A withdrawn recipient; every non-party named in a region is also a warning.
    pytest.param(
        [("[parties.siilinjarvi]", 'status = "party"', 'status = "withdrawn"')],
        [
            warn(
                "member_not_party",
                "[parties.siilinjarvi]",
                "status =",
                "Siilinjärvi is named in region Kuopion alue but is not a party (status: withdrawn)",
            ),
            err(
                "ref_not_party",
                "[[service_agreements]]",
                "recipients =",
                "recipient Siilinjärvi is not a party (status: withdrawn)",
            ),
        ],
        id="ref_not_party",
    ),
    pytest.param(
        [("[parties.siilinjarvi]", 'region = "kuopio"', 'region = "savo"')],
        [
            err(
                "unknown_region",
                "[parties.siilinjarvi]",
                "region =",
                'Siilinjärvi is in region "savo", which does not exist (regions: kuopio, ylasavo)',
            )
        ],
        id="unknown_region",
    ),
    pytest.param(
        [("[parties.siilinjarvi]", 'region = "kuopio"', '  region = "savo"  # moved')],
        [
            err(
                "unknown_region",
                "[parties.siilinjarvi]",
                "region =",
                'Siilinjärvi is in region "savo", which does not exist (regions: kuopio, ylasavo)',
            )
        ],
        id="unknown_region-indented",
    ),
    pytest.param(
        [("[parties.vierema]", 'typ_area = "ylasavo"', 'typ_area = "savo"')],
        [
            err(
                "unknown_typ_area",
                "[parties.vierema]",
                "typ_area =",
                'TYP area "savo" does not exist (TYP areas: kuopio, ylasavo)',
            )
        ],
        id="unknown_typ_area",
    ),
    pytest.param(
        [("[regions.kuopio]", 'coordinator = "kuopio"', 'coordinator = "iisalmi"')],
        [
            err(
                "coordinator_outside",
                "[regions.kuopio]",
                "coordinator =",
                "coordinator Iisalmi of region Kuopion alue is a member of another region (ylasavo)",
            )
        ],
        id="coordinator_outside",
    ),
    # A coordinator must be a member, so an empty region also has a coordinator problem.
    pytest.param(
        [
            (
                "[regions.ylasavo]",
                'typ_area = "ylasavo"\n',
                'typ_area = "ylasavo"\n\n[regions.varkaus]\nname = "Varkaus"\ncoordinator = "varkaus"\n',
            )
        ],
        [
            warn("region_empty", "[regions.varkaus]", "[", "region Varkaus has no members"),
            err(
                "unknown_party",
                "[regions.varkaus]",
                "coordinator =",
                f'coordinator "varkaus" is not a municipality in the registry (known: {KNOWN_PARTIES})',
            ),
        ],
        id="region_empty",
    ),
    pytest.param(
        [("[parties.vierema]", 'region = "ylasavo"', 'region = "kuopio"')],
        [
            warn(
                "typ_exception",
                "[parties.vierema]",
                "typ_area =",
                "Vieremä is in TYP area Ylä-Savon TYP but in coordination region Kuopion alue"
                " (a known exception)",
            )
        ],
        id="typ_exception",
    ),
    pytest.param(
        [("[parties.vierema]", 'status = "party"', 'status = "candidate"')],
        [
            warn(
                "member_not_party",
                "[parties.vierema]",
                "status =",
                "Vieremä is named in region Ylä-Savo but is not a party (status: candidate)",
            )
        ],
        id="member_not_party",
    ),
    pytest.param(
        [("[parties.vierema]", 'body = "kunnanhallitus"', 'body = "kaupunginhallitus"')],
        [
            warn(
                "body_kind_mismatch",
                "[parties.vierema]",
                "body =",
                "Vieremä is a kunta but its body is kaupunginhallitus",
            )
        ],
        id="body_kind_mismatch",
    ),
    pytest.param(
        [("[parties.kuopio.decision]", "date = 2019-11-11\n", "")],
        [
            err(
                "decision_needs_date",
                "[parties.kuopio.decision]",
                "[",
                "Kuopio: a decision that is approved needs a date",
            )
        ],
        id="decision_needs_date",
    ),
    # A decision written as an inline table: the finding points at its key.
    pytest.param(
        [
            ("[parties.vierema.decision]", '[parties.vierema.decision]\noutcome = "pending"\n', ""),
            (
                "[parties.vierema]",
                'status = "party"',
                'status = "party"\ndecision = { outcome = "approved" }',
            ),
        ],
        [
            err(
                "decision_needs_date",
                "[parties.vierema]",
                "decision =",
                "Vieremä: a decision that is approved needs a date",
            ),
            err(
                "decision_needs_minutes",
                "[parties.vierema]",
                "decision =",
                "Vieremä: a decision that is approved needs a minutes reference (§)",
            ),
        ],
        id="decision_needs_date-inline",
    ),
    pytest.param(
        [("[parties.kuopio.decision]", 'minutes = "§ 139"\n', "")],
        [
            err(
                "decision_needs_minutes",
                "[parties.kuopio.decision]",
                "[",
                "Kuopio: a decision that is approved needs a minutes reference (§)",
            )
        ],
        id="decision_needs_minutes",
    ),
    pytest.param(
        [("[parties.kuopio.decision]", "date = 2019-11-11", "date = 2019-09-30")],
        [
            err(
                "decision_before_letter",
                "[parties.kuopio.decision]",
                "date =",
                "Kuopio: decision date 2019-09-30 is before the ministry's letter of 2019-10-08",
            )
        ],
        id="decision_before_letter",
    ),
    pytest.param(
        [("[parties.kuopio.decision]", "date = 2019-11-11", "date = 2999-01-01")],
        [
            err(
                "decision_in_future",
                "[parties.kuopio.decision]",
                "date =",
                f"Kuopio: decision date 2999-01-01 is in the future (today is {TODAY})",
            )
        ],
        id="decision_in_future",
    ),
    pytest.param(
        [
            (
                "[agreement]",
                "ministry_letter = 2019-10-08",
                "ministry_letter = 2019-10-08\napplication_deadline = 2019-11-10",
            ),
        ],
        [
            warn(
                "decision_after_deadline",
                "[parties.kuopio.decision]",
                "date =",
                "Kuopio: decision date 2019-11-11 is after the application deadline of 2019-11-10",
            )
        ],
        id="decision_after_deadline",
    ),
    pytest.param(
        [
            (
                "[parties.siilinjarvi.decision]",
                'outcome = "pending"',
                'outcome = "rejected"\ndate = 2019-12-02\nminutes = "§ 12"',
            )
        ],
        [
            warn(
                "rejected_party",
                "[parties.siilinjarvi.decision]",
                "outcome =",
                "Siilinjärvi rejected the letter but is still a party",
            )
        ],
        id="rejected_party",
    ),
    pytest.param(
        [
            ("[parties.vierema]", 'status = "party"', 'status = "withdrawn"'),
            (
                "[parties.vierema.decision]",
                'outcome = "pending"',
                'outcome = "approved"\ndate = 2019-12-02\nminutes = "§ 7"',
            ),
        ],
        [
            warn(
                "member_not_party",
                "[parties.vierema]",
                "status =",
                "Vieremä is named in region Ylä-Savo but is not a party (status: withdrawn)",
            ),
            warn(
                "approved_not_party",
                "[parties.vierema]",
                "status =",
                "Vieremä approved the letter but is not a party (status: withdrawn)",
            ),
        ],
        id="approved_not_party",
    ),
    pytest.param(
        [("[[service_agreements]]", 'service = "kotouttaminen"', 'service = "tulkkaus"')],
        [
            err(
                "unknown_service",
                "[[service_agreements]]",
                "service =",
                'service "tulkkaus" does not exist (services: kotouttaminen)',
            )
        ],
        id="unknown_service",
    ),
    pytest.param(
        [("[[service_agreements]]", '["siilinjarvi"]', "[]")],
        [
            err(
                "no_recipients",
                "[[service_agreements]]",
                "recipients =",
                "a service agreement needs at least one recipient",
            )
        ],
        id="no_recipients",
    ),
    pytest.param(
        [("[[service_agreements]]", '["siilinjarvi"]', '["siilinjarvi", "kuopio"]')],
        [
            err(
                "provider_is_recipient",
                "[[service_agreements]]",
                "recipients =",
                '"kuopio" cannot produce a service for itself',
            )
        ],
        id="provider_is_recipient",
    ),
    pytest.param(
        [("[[service_agreements]]", '["siilinjarvi"]', '["siilinjarvi", "siilinjarvi"]')],
        [
            err(
                "duplicate_recipient",
                "[[service_agreements]]",
                "recipients =",
                '"siilinjarvi" is named twice among the recipients',
            )
        ],
        id="duplicate_recipient",
    ),
    pytest.param(
        [("[[service_agreements]]", "end = 2021-06-30", "end = 2020-02-29")],
        [
            err(
                "ends_before_start",
                "[[service_agreements]]",
                "end =",
                "the service agreement ends (2020-02-29) before it starts (2020-03-01)",
            )
        ],
        id="ends_before_start",
    ),
    pytest.param(
        [("[resources.te_staff]", "total = 12.5", "total = 12.55")],
        [
            err(
                "total_not_multiple",
                "[resources.te_staff]",
                "total =",
                "total 12.55 of TE staff is not a whole number of steps of 0.1",
            )
        ],
        id="total_not_multiple",
    ),
    pytest.param(
        [("[resources.te_staff]", "total = 12.5", "total = 1e30")],
        [
            err(
                "total_too_large",
                "[resources.te_staff]",
                "total =",
                "total 1E+30 of TE staff is more than 1 000 000 000 000 000, the most a total may be",
            )
        ],
        id="total_too_large",
    ),
    pytest.param(
        [("[resources.te_staff]", "step = 0.1", "step = 1e-18")],
        [
            err(
                "too_many_steps",
                "[resources.te_staff]",
                "step =",
                "TE staff has more than 1 000 000 000 000 000 000 steps of 1E-18 in its total 12.5:"
                " use a larger step",
            )
        ],
        id="too_many_steps",
    ),
    # A period after the current month: a typo (2202-12 for 2020-12) or a count made too early.
    pytest.param(
        [
            (
                '[caseloads."2020-01"]',
                "vierema = 20",
                'vierema = 20\n\n[caseloads."2202-12"]\nkuopio = 5\nsiilinjarvi = 1\n'
                "iisalmi = 1\nvierema = 1",
            )
        ],
        [
            err(
                "period_in_future",
                '[caseloads."2202-12"]',
                "[",
                "caseload period 2202-12 is after the current month ({month})",
            )
        ],
        id="period_in_future",
    ),
    # A period before 2000-01: a typo (0000-12) or Excel's empty date (1900-01).
    pytest.param(
        [
            (
                '[caseloads."2020-01"]',
                "vierema = 20",
                'vierema = 20\n\n[caseloads."1900-01"]\nkuopio = 5\nsiilinjarvi = 1\n'
                "iisalmi = 1\nvierema = 1",
            )
        ],
        [
            err(
                "period_too_early",
                '[caseloads."1900-01"]',
                "[",
                "caseload period 1900-01 is before 2000-01, the earliest a count may be for",
            )
        ],
        id="period_too_early",
    ),
    pytest.param(
        [('[caseloads."2020-01"]', "vierema = 20", "vierema = 20\ntuusniemi = 40")],
        [
            err(
                "unknown_caseload_party",
                '[caseloads."2020-01"]',
                "tuusniemi =",
                '"tuusniemi" has a caseload in 2020-01 but is not a municipality in the registry',
            )
        ],
        id="unknown_caseload_party",
    ),
    pytest.param(
        [('[caseloads."2020-01"]', "vierema = 20\n", "")],
        [
            warn(
                "caseload_missing",
                '[caseloads."2020-01"]',
                "[",
                "2020-01 has no caseload for: Vieremä",
            )
        ],
        id="caseload_missing",
    ),
    # Issue 10: rights. People come after the caseloads, the last table of BASE.
    pytest.param(
        [(CASELOADS, "vierema = 20", 'vierema = 20\n\n[people.x]\nname = "X"\nmay_edit = true')],
        [
            warn(
                "may_edit_replaced",
                "[people.x]",
                "may_edit =",
                'people.x.may_edit is no longer read: write access = "party", "region" or "all"'
                ' (with party = "ID") instead, see docs/registry.md',
            )
        ],
        id="may_edit_replaced",
    ),
    pytest.param(
        [
            (
                CASELOADS,
                "vierema = 20",
                f'vierema = 20\n\n{ADMIN}[people.x]\nname = "X"\naccess = "party"',
            )
        ],
        [
            err(
                "access_needs_party",
                "[people.x]",
                "access =",
                'people.x has access = "party" but no party = "ID" naming their municipality',
            )
        ],
        id="access_needs_party",
    ),
    pytest.param(
        [
            (
                CASELOADS,
                "vierema = 20",
                f'vierema = 20\n\n{ADMIN}[people.x]\nname = "X"\nparty = "vierema"\naccess = "region"',
            )
        ],
        [
            warn(
                "coordinates_nothing",
                "[people.x]",
                "access =",
                'people.x has access = "region", but Vieremä coordinates no region: it covers only'
                " Vieremä",
            )
        ],
        id="coordinates_nothing",
    ),
    pytest.param(
        [
            (
                CASELOADS,
                "vierema = 20",
                'vierema = 20\n\n[people.x]\nname = "X"\nparty = "kuopio"\naccess = "party"',
            )
        ],
        [
            warn(
                "no_administrator",
                "[people.x]",
                "[",
                'no person has access = "all": nobody may change people or their access',
            )
        ],
        id="no_administrator",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_one_finding_per_rule(check, edits: list[Edit], expected: list[Found]) -> None:
    text = edited(edits)
    run = check(text)
    today = str(dt.date.today())
    month = f"{dt.date.today():%Y-%m}"
    want = [head(text, f).replace(TODAY, today).replace("{month}", month) for f in expected]
    assert run.heads == want
    has_error = any(f.severity == "error" for f in expected)
    assert run.code == (1 if has_error else 0)
    errors = sum(f.severity == "error" for f in expected)
    assert run.err == f"{errors} errors, {len(expected) - errors} warnings\n"
    # The findings are the expected ones by code too, not only by message.
    doc = parse(text, FILE)
    assert sorted(d.code for d in findings(doc)) == sorted(f.code for f in expected)


def test_a_decision_on_the_deadline_is_in_time(check) -> None:
    # Kuopio decided on 11.11.2019: the deadline's own day is in time.
    deadline = "ministry_letter = 2019-10-08\napplication_deadline = 2019-11-11"
    run = check(edited([("[agreement]", "ministry_letter = 2019-10-08", deadline)]))
    assert (run.code, run.out, run.err) == (0, "", "no findings\n")


def test_every_rule_has_a_case() -> None:
    produced = {key.removeprefix("diag.") for key in EN if key.startswith("diag.")}
    # Reading the file, not checking it.
    produced -= {"toml", "unreadable", "not_utf8", "number_too_long"}
    covered = {f.code for case in CASES for f in case.values[1]}
    assert covered == produced


# Excerpts: the lines concerned, `...` over gaps, carets under the key or value, the hint.
# {a}, {b}, ... are line numbers, found by searching the edited text for the anchors given.
EXCERPTS = [
    pytest.param(
        [("[parties.siilinjarvi]", 'region = "kuopio"', 'region = "savo"')],
        [("[parties.siilinjarvi]", "["), ("[parties.siilinjarvi]", "region =")],
        """\
        {file}:{b}:1: error: Siilinjärvi is in region "savo", which does not exist (regions: kuopio, ylasavo)
           |
        {a} | [parties.siilinjarvi]
           | ...
        {b} | region = "savo"
           |          ^^^^^^
           = hint: use one of the region ids, or add [regions.savo] with a name and a coordinator
        """,
        id="unknown_region",
    ),
    pytest.param(
        [("[parties.siilinjarvi]", 'region = "kuopio"', 'region = "savo"   # was kuopio')],
        [("[parties.siilinjarvi]", "["), ("[parties.siilinjarvi]", "region =")],
        """\
        {file}:{b}:1: error: Siilinjärvi is in region "savo", which does not exist (regions: kuopio, ylasavo)
           |
        {a} | [parties.siilinjarvi]
           | ...
        {b} | region = "savo"   # was kuopio
           |          ^^^^^^
           = hint: use one of the region ids, or add [regions.savo] with a name and a coordinator
        """,
        id="comment-after-value",
    ),
    pytest.param(
        [("[parties.siilinjarvi]", 'status = "party"\n', "")],
        [("[parties.siilinjarvi]", "[")],
        """\
        {file}:{a}:1: error: parties.siilinjarvi has no status
           |
        {a} | [parties.siilinjarvi]
           | ^^^^^^^^^^^^^^^^^^^^^
        {a+1} | name = "Siilinjärvi"
        {a+2} | kind = "kunta"
        {a+3} | body = "kunnanhallitus"
        {a+4} | region = "kuopio"
        {a+5} | typ_area = "kuopio"
        """,
        id="missing_field",
    ),
    pytest.param(
        [("[parties.kuopio.decision]", 'minutes = "§ 139"\n', "")],
        [("[parties.kuopio.decision]", "[")],
        """\
        {file}:{a}:1: error: Kuopio: a decision that is approved needs a minutes reference (§)
           |
        {a} | [parties.kuopio.decision]
           | ^^^^^^^^^^^^^^^^^^^^^^^^^
        {a+1} | outcome = "approved"
        {a+2} | date = 2019-11-11
           = hint: record the date and the minutes reference of the board's decision, or set outcome = "pending"
        """,
        id="decision_needs_minutes",
    ),
    pytest.param(
        [("[agreement]", "ministry_letter = 2019-10-08", 'ministry_letter = "2019-10-08"')],
        [("[agreement]", "["), ("[agreement]", "ministry_letter")],
        """\
        {file}:{b}:1: error: agreement.ministry_letter must be a date (YYYY-MM-DD, unquoted), not string
          |
        {a} | [agreement]
          | ...
        {b} | ministry_letter = "2019-10-08"
          |                   ^^^^^^^^^^^^
        """,
        id="wrong_type",
    ),
    pytest.param(
        [("[[service_agreements]]", 'provider = "kuopio"', 'provider = "Kuopio"')],
        [("[[service_agreements]]", "["), ("[[service_agreements]]", "provider")],
        """\
        {file}:{b}:1: error: "Kuopio" is not a valid id
           |
        {a} | [[service_agreements]]
           | ...
        {b} | provider = "Kuopio"
           |            ^^^^^^^^
           = hint: ids are lowercase ASCII letters, digits and _, starting with a letter (siilinjarvi)
        """,
        id="bad_id-array-of-tables",
    ),
    pytest.param(
        [('[caseloads."2020-01"]', "vierema = 20", "vierema = 20\ntuusniemi = 40")],
        [('[caseloads."2020-01"]', "["), ('[caseloads."2020-01"]', "tuusniemi")],
        """\
        {file}:{b}:1: error: "tuusniemi" has a caseload in 2020-01 but is not a municipality in the registry
           |
        {a} | [caseloads."2020-01"]
           | ...
        {b} | tuusniemi = 40
           | ^^^^^^^^^
        """,
        id="key-in-quoted-table",
    ),
    pytest.param(
        [('[caseloads."2020-01"]', '"2020-01"', '"2020-1"')],
        [('[caseloads."2020-1"]', "[")],
        """\
        {file}:{a}:1: error: caseload period "2020-1" is not YYYY-MM
           |
        {a} | [caseloads."2020-1"]
           | ^^^^^^^^^^^^^^^^^^^^
           = hint: write the period as a quoted key: [caseloads."2020-01"]
        """,
        id="bad_period",
    ),
]


def _fill(template: str, numbers: dict[str, int]) -> str:
    """The template with {file}, {a}, {a+1}, ... filled in."""

    def number(m: re.Match[str]) -> str:
        name, _, plus = m.group(1).partition("+")
        if name == "file":
            return FILE
        return str(numbers[name] + int(plus or 0))

    return re.sub(r"\{([a-z]+(?:\+\d+)?)\}", number, textwrap.dedent(template))


@pytest.mark.parametrize(("edits", "anchors", "template"), EXCERPTS)
def test_excerpt(check, edits: list[Edit], anchors: list[tuple[str, str]], template: str) -> None:
    text = edited(edits)
    numbers = {
        name: line_col(text, table, needle)[0]
        for name, (table, needle) in zip("abcdef", anchors, strict=False)
    }
    run = check(text)
    assert run.out == _fill(template, numbers)
    assert run.code == 1


def test_all_findings_at_once_sorted_by_line(check) -> None:
    text = edited(
        [
            (TOP, "schema = 1", "schema = 2"),
            ("[parties.siilinjarvi]", 'region = "kuopio"', 'region = "savo"'),
            ("[resources.te_staff]", "total = 12.5", "total = -2.5"),
        ]
    )
    run = check(text)
    assert run.code == 1
    assert [h.split(": error: ")[1] for h in run.heads] == [
        "schema 2 is newer than this kokeilu understands (schema 1)",
        'Siilinjärvi is in region "savo", which does not exist (regions: kuopio, ylasavo)',
        "resources.te_staff.total must be zero or more, not -2.5",
    ]
    lines = [int(h.split(":")[1]) for h in run.heads]
    assert lines == sorted(lines)
    assert lines[0] == 1
    assert run.err == "3 errors, 0 warnings\n"


# Files that are not a registry at all: exit 2, a position where there is one.


def _tomllib_position(text: str) -> tuple[int, int, str]:
    """Where tomllib itself says `text` is wrong, and its bare message."""
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    exc = info.value
    if getattr(exc, "lineno", None) is not None:
        return exc.lineno, exc.colno, exc.msg  # type: ignore[attr-defined]
    m = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(exc))
    assert m, str(exc)
    return int(m.group(2)), int(m.group(3)), m.group(1)


@pytest.mark.parametrize(
    ("edits", "needle", "col"),
    [
        pytest.param(
            [("[parties.kuopio]", 'kind = "kaupunki"', "kind = kaupunki")],
            "kind = kaupunki",
            8,
            id="bare-word-value",
        ),
        pytest.param(
            [("[parties.kuopio]", 'name = "Kuopio"', 'name = "Kuopio"\nname = "Kuopio"')],
            'name = "Kuopio"\nname',
            None,
            id="duplicate-key",
        ),
        pytest.param(
            [
                (
                    "[parties.kuopio]",
                    '[parties.kuopio]\nname = "Kuopio"',
                    '[parties.kuopio\nname = "Kuopio"',
                )
            ],
            "[parties.kuopio\n",
            16,
            id="unclosed-header",
        ),
    ],
)
def test_toml_syntax_error(check, edits: list[Edit], needle: str, col: int | None) -> None:
    text = edited(edits)
    line, column, message = _tomllib_position(text)
    at = text.index(needle)
    assert line == text.count("\n", 0, at) + 1 + needle.count("\n", 0, len(needle) - 1)
    if col is not None:
        assert column == col
    run = check(text)
    source = text.splitlines()[line - 1]
    assert (run.code, run.out) == (2, "")
    width = len(str(line))
    assert run.err.splitlines() == [
        f"{FILE}:{line}:{column}: error: {message}",
        f"{' ' * width} |",
        f"{line} | {source}",
        f"{' ' * width} | {' ' * (column - 1)}^",
    ]


def test_toml_error_at_end_of_document(check) -> None:
    text = BASE + "vierema_extra = "
    run = check(text)
    last = len(text.splitlines())
    assert run.code == 2
    first = run.err.splitlines()[0]
    assert first.startswith(f"{FILE}:{last}:{len('vierema_extra = ') + 1}: error: ")
    assert "Traceback" not in run.err


def test_missing_file(check) -> None:
    run = check(None, "nothere.toml")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "nothere.toml: error: no such file (give one with -f FILE or $KOKEILU_FILE)\n"
    )


def test_directory_instead_of_file(check, tmp_path: Path) -> None:
    (tmp_path / "dir.toml").mkdir()
    run = check(None, "dir.toml")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "dir.toml: error: not a regular file (a folder); a registry is read only from a regular file\n"
    )


def test_not_utf8(check) -> None:
    raw = BASE.encode("latin-1")  # ä of Ylä-Savo is the first byte that is not UTF-8
    line, col = line_col(BASE, "[regions.ylasavo]", "ä")
    run = check(raw)
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        f"{FILE}:{line}:{col}: error: the file is not UTF-8 text: invalid continuation byte\n"
    )


# The bundled registry.


def test_bundled_registry(capsys: pytest.CaptureFixture[str]) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    file = str(BUNDLED)
    code = main(["-f", file, "check"])
    out = capsys.readouterr()
    lapinlahti = line_col(text, "[parties.lapinlahti]", "typ_area =")[0]
    heinavesi = line_col(text, "[parties.heinavesi]", "status =")[0]
    assert code == 0
    assert out.out.splitlines() == [
        f"{file}:{lapinlahti}:1: warning: Lapinlahti is in TYP area Ylä-Savon TYP but in "
        "coordination region Kuopion keskinen kokeilualue (a known exception)",
        f"{file}:{heinavesi}:1: warning: Heinävesi is named in region Varkauden alue but is not "
        "a party (status: candidate)",
    ]
    assert out.err == "0 errors, 2 warnings\n"


# Real processes: no traceback, and the exit codes.


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOKEILU_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "kokeilu", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(None, 0, id="bundled"),
        pytest.param(BASE, 0, id="clean"),
        pytest.param(edited([(TOP, "schema = 1", "schema = 2")]), 1, id="errors"),
        pytest.param("schema = = 1\n", 2, id="not-toml"),
        pytest.param(b"schema = 1\ntitle = '\xff'\n", 2, id="not-utf8"),
        pytest.param("missing", 2, id="missing"),
    ],
)
def test_subprocess_exit_codes(tmp_path: Path, content: str | bytes | None, code: int) -> None:
    if content is None:
        proc = _run("check", cwd=ROOT)  # the default file, data/pohjois-savo.toml
        assert proc.stdout.count(": warning: ") == 2
    else:
        if isinstance(content, bytes):
            (tmp_path / FILE).write_bytes(content)
        elif content != "missing":
            (tmp_path / FILE).write_text(content, encoding="utf-8")
        proc = _run("-f", FILE, "check", cwd=tmp_path)
        if code == 2:
            assert proc.stderr.splitlines()[0].startswith(f"{FILE}:")
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


# Text from the registry never reaches the terminal as control characters.

ESC = "\x1b"

ESCAPES = [
    pytest.param(
        [
            ("[parties.vierema]", 'name = "Vieremä"', 'name = "Vier\\u001b[31mema"'),
            ("[parties.vierema]", 'body = "kunnanhallitus"', 'body = "kaupunginhallitus"'),
        ],
        "warning: Vier\\x1b[31mema is a kunta but its body is kaupunginhallitus",
        0,
        id="name-in-warning",
    ),
    pytest.param(
        [
            ("[parties.kuopio]", 'name = "Kuopio"', 'name = "Kuo\\u001b[31mpio"'),
            ("[parties.kuopio.decision]", "date = 2019-11-11\n", ""),
        ],
        "error: Kuo\\x1b[31mpio: a decision that is approved needs a date",
        1,
        id="name-in-error",
    ),
    pytest.param(
        [("[parties.vierema]", 'region = "ylasavo"', 'region = "\\u001b[2J"')],
        'error: "\\x1b[2J" is not a valid id',
        1,
        id="value-in-error",
    ),
    pytest.param(
        [("[agreement]", 'title = "Aiesopimus"', 'title = "Aiesopimus"\n"\\u001b]0;x\\u0007" = 1')],
        "warning: unknown key \\x1b]0;x\\x07 in agreement",
        0,
        id="key-in-warning",
    ),
    pytest.param(
        [
            ("[parties.vierema]", 'name = "Vieremä"', 'name = "Vier\\u202eemä"'),
            ("[parties.vierema]", 'status = "party"', 'status = "candidate"'),
        ],
        "warning: Vier\\u202eemä is named in region Ylä-Savo",
        0,
        id="bidi-override",
    ),
]


@pytest.mark.parametrize(("edits", "shown", "code"), ESCAPES)
def test_no_terminal_escapes(check, edits: list[Edit], shown: str, code: int) -> None:
    run = check(edited(edits))
    assert run.code == code
    assert shown in run.out
    assert all(c.isprintable() for c in run.out.replace("\n", ""))


def test_no_terminal_escapes_from_unreadable_file(check) -> None:
    run = check(f'schema = 1\ntitle = "red{ESC}[31m"\n')
    assert run.code == 2
    assert all(c.isprintable() for c in run.err.replace("\n", ""))
    assert run.err.splitlines()[:4] == [
        f"{FILE}:2:13: error: Illegal character '\\x1b'",
        "  |",
        '2 | title = "red\\x1b[31m"',
        "  |             ^^^^",  # under the character as shown
    ]


# locate.py: positions of keys and headers in tricky TOML.

TRICKY = '''\
# a comment [not.a.table]
title = "x" # trailing [comment] = y
[caseloads."2020-01"]
kuopio = 5  # five
"quoted key" = 1
'lit.key' = 2

[ parties . kuopio ]  # spaced header
name = "Kuopio # not a comment"
decision.outcome = "approved"
decision . date = 2019-11-11
note = """
[fake]
key = x
"""
after_note = 'x'
lit = \'\'\'
[fake2]
\'\'\'
quote = """a \\""" [fake3] b"""
after_quote = 1
recipients = [
  "a",  # [ not ] a = key
  "b]",
  """
[fake4]
""",
]
after_array = 1

# between tables

[[service_agreements]]
provider = "kuopio"

[[service_agreements]]
provider = "iisalmi"  # the second
[service_agreements.extra]
x = [1, 2] # a list
'''


def test_tricky_is_valid_toml() -> None:
    data = tomllib.loads(TRICKY)
    assert data["parties"]["kuopio"]["note"] == "[fake]\nkey = x\n"
    assert data["service_agreements"][1]["extra"]["x"] == [1, 2]


@pytest.mark.parametrize(
    ("path", "line", "key", "value"),
    [
        (("title",), 'title = "x" # trailing [comment] = y', "title", '"x"'),
        (("caseloads", "2020-01", "kuopio"), "kuopio = 5  # five", "kuopio", "5"),
        (("caseloads", "2020-01", "quoted key"), '"quoted key" = 1', '"quoted key"', "1"),
        (("caseloads", "2020-01", "lit.key"), "'lit.key' = 2", "'lit.key'", "2"),
        (
            ("parties", "kuopio", "name"),
            'name = "Kuopio # not a comment"',
            "name",
            '"Kuopio # not a comment"',
        ),
        (
            ("parties", "kuopio", "decision", "outcome"),
            'decision.outcome = "approved"',
            "decision.outcome",
            '"approved"',
        ),
        (
            ("parties", "kuopio", "decision", "date"),
            "decision . date = 2019-11-11",
            "decision . date",
            "2019-11-11",
        ),
        (("parties", "kuopio", "note"), 'note = """', "note", '"""'),
        (("parties", "kuopio", "after_note"), "after_note = 'x'", "after_note", "'x'"),
        (
            ("parties", "kuopio", "quote"),
            'quote = """a \\""" [fake3] b"""',
            "quote",
            '"""a \\""" [fake3] b"""',
        ),
        (("parties", "kuopio", "after_quote"), "after_quote = 1", "after_quote", "1"),
        (("parties", "kuopio", "recipients"), "recipients = [", "recipients", "["),
        (("parties", "kuopio", "after_array"), "after_array = 1", "after_array", "1"),
        (
            ("service_agreements", 0, "provider"),
            'provider = "kuopio"',
            "provider",
            '"kuopio"',
        ),
        (
            ("service_agreements", 1, "provider"),
            'provider = "iisalmi"  # the second',
            "provider",
            '"iisalmi"',
        ),
        (("service_agreements", 1, "extra", "x"), "x = [1, 2] # a list", "x", "[1, 2]"),
    ],
)
def test_locate_key(path: tuple, line: str, key: str, value: str) -> None:
    lines = TRICKY.splitlines()
    assert lines.count(line) == 1
    number = lines.index(line) + 1
    col = line.index(key) + 1
    value_col = line.index(value, col + len(key) - 1) + 1
    expected = Span(number, col, col + len(key), value_col, value_col + len(value))
    assert locate(TRICKY)[path] == expected
    # The same text with Windows line ends puts the key at the same place.
    assert locate(TRICKY.replace("\n", "\r\n"))[path] == expected


@pytest.mark.parametrize(
    ("path", "header", "last"),
    [
        (("caseloads", "2020-01"), '[caseloads."2020-01"]', "'lit.key' = 2"),
        (("parties", "kuopio"), "[ parties . kuopio ]  # spaced header", "after_array = 1"),
        (("service_agreements", 0), "[[service_agreements]]", 'provider = "kuopio"'),
        (("service_agreements", 1, "extra"), "[service_agreements.extra]", "x = [1, 2] # a list"),
    ],
)
def test_locate_header(path: tuple, header: str, last: str) -> None:
    lines = TRICKY.splitlines()
    number = lines.index(header) + 1
    name = header.split("  #")[0]
    span = locate(TRICKY)[path]
    assert (span.line, span.col, span.end_col, span.header) == (number, 1, len(name) + 1, True)
    assert span.last_line == lines.index(last) + 1


def test_locate_second_array_item() -> None:
    lines = TRICKY.splitlines()
    spans = locate(TRICKY)
    second = len(lines) - lines[::-1].index("[[service_agreements]]")
    assert spans["service_agreements", 1].line == second
    assert spans["service_agreements", 1].last_line == second + 1


def test_locate_skips_what_is_inside_strings_and_arrays() -> None:
    spans = locate(TRICKY)
    assert set(spans) == {
        ("title",),
        ("caseloads", "2020-01"),
        ("caseloads", "2020-01", "kuopio"),
        ("caseloads", "2020-01", "quoted key"),
        ("caseloads", "2020-01", "lit.key"),
        ("parties", "kuopio"),
        *(
            ("parties", "kuopio", *key)
            for key in (
                ("name",),
                ("decision", "outcome"),
                ("decision", "date"),
                ("note",),
                ("after_note",),
                ("lit",),
                ("quote",),
                ("after_quote",),
                ("recipients",),
                ("after_array",),
            )
        ),
        ("service_agreements", 0),
        ("service_agreements", 0, "provider"),
        ("service_agreements", 1),
        ("service_agreements", 1, "provider"),
        ("service_agreements", 1, "extra"),
        ("service_agreements", 1, "extra", "x"),
    }


def test_find_falls_back_to_the_nearest_ancestor() -> None:
    spans = locate(TRICKY)
    path, span = find(spans, ("parties", "kuopio", "decision", "minutes"))  # type: ignore[misc]
    assert path == ("parties", "kuopio")
    assert span.line == TRICKY.splitlines().index("[ parties . kuopio ]  # spaced header") + 1
    assert find(spans, ("people", "someone")) is None
    assert (
        enclosing_header(spans, ("service_agreements", 1, "extra", "x"))
        == spans["service_agreements", 1, "extra"]
    )
    assert enclosing_header(spans, ("title",)) is None


@given(st.text(alphabet=st.sampled_from(list("ab=.[]'\"\\#{}, \n\t1")), max_size=80))
def test_locate_never_fails(text: str) -> None:
    """The scanner reads any text, valid TOML or not, without raising."""
    for path, span in locate(text).items():
        assert span.line >= 1
        assert all(isinstance(part, str | int) for part in path)


# --- Tables the text never names by a header of their own (issue 9) --------------------------------


def _heads_at(run: Run, line: int) -> list[str]:
    return [h for h in run.heads if h.startswith(f"{FILE}:{line}:")]


def test_an_unknown_table_is_placed_at_its_header(check) -> None:
    text = BASE + "\n  [typo_table.x]\na = 1\n"
    line = text.splitlines().index("  [typo_table.x]") + 1
    run = check(text)
    assert run.heads == [f"{FILE}:{line}:3: warning: unknown key typo_table in the top level"]


def test_an_array_of_tables_where_a_table_belongs_is_placed_at_its_header(check) -> None:
    text = BASE.replace("[typ_areas.kuopio]", '[[people]]\nname = "x"\n\n[typ_areas.kuopio]')
    line = text.splitlines().index("[[people]]") + 1
    run = check(text)
    assert run.heads == [f"{FILE}:{line}:1: error: people must be a table, not array"]


def test_a_party_without_a_table_of_its_own_is_placed_at_the_header_within(check) -> None:
    party = BASE[BASE.index("[parties.vierema]\n") : BASE.index("[parties.vierema.decision]")]
    text = BASE.replace(party, "")
    line = text.splitlines().index("[parties.vierema.decision]") + 1
    run = check(text)
    assert f"{FILE}:{line}:1: error: parties.vierema has no name" in run.heads
    assert not [h for h in run.heads if h.startswith(f"{FILE}:1:1:")]
    assert (
        run.out.splitlines()[
            run.out.splitlines().index(f"{FILE}:{line}:1: error: parties.vierema has no name") + 2
        ]
        == f"{line} | [parties.vierema.decision]"
    )


def test_a_decision_after_the_deadline_in_finnish(check, monkeypatch) -> None:
    monkeypatch.setenv("KOKEILU_LANG", "fi")
    deadline = "ministry_letter = 2019-10-08\napplication_deadline = 2019-11-10"
    text = edited([("[agreement]", "ministry_letter = 2019-10-08", deadline)])
    run = check(text)
    found = Found("decision_after_deadline", "warning", "[parties.kuopio.decision]", "date =", "")
    line, col = line_col(text, found.table, found.needle)
    assert run.heads == [
        f"{FILE}:{line}:{col}: warning: Kuopio: päätöspäivä 2019-11-11 on hakuajan päättymisen "
        "(2019-11-10) jälkeen"
    ]
