"""Fuzzing: nothing a careless or hostile user types, or a file holds, ends in a traceback.

Bounded Hypothesis runs over the three ways data comes in: a registry file (load -> check ->
shares -> one edit -> save), a caseload sheet (import-caseloads), and the command line's
arguments. Each example runs the real command in-process and asserts what a user would see:
an exit code kokeilu documents, every error positioned as FILE:LINE:COL (FILE:ROW:COL for a
sheet), no raw control character on the terminal, a refused edit leaves the file's bytes as they
were, and every division agrees with an exact largest-remainder computed here with fractions.

The number of examples comes from the Hypothesis profile (tests/conftest.py): `ci` by default
(100 registries, 100 sheets, 150 command lines), `HYPOTHESIS_PROFILE=long` for a hunt twenty times
as long.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from conftest import BUNDLED, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kokeilu.cli import main

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The command line's arguments: the fuzz test that found argparse quoting what was typed raw.
FUZZ_ARGV = settings(FUZZ, max_examples=examples(150))
BASE = BUNDLED.read_text(encoding="utf-8")
BASE_LINES = BASE.splitlines(keepends=True)
IDS = sorted(tomllib.loads(BASE)["parties"])

# Text that means something to a terminal, to Rich, to git or to a spreadsheet.
NASTY = [
    "Kuopio [/nope]",
    "[bold red]x[/]",
    "\x1b]0;owned\x07\x1b[2J",
    "\x9b31m",
    "\u202eevil",
    "a\u2028b",
    "\x00",
    "\x7f",
    "x\n\nSigned-off-by: Mallory <m@example.org>",
    "=cmd|' /C calc'!A0",
    "Siilinjärvi",
    "",
    " ",
]
# Control characters that must never reach the terminal raw (all but newline and tab).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
POSITIONED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (error|warning): \S")


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, every control character escaped as TOML allows."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


values = st.one_of(
    st.sampled_from(NASTY).map(toml_string),
    st.text(max_size=12).map(toml_string),
    st.sampled_from(
        [
            "0",
            "-1",
            str(2**61),
            str(2**63),
            str(2**64 + 1),
            "9" * 30,
            "1" * 4400,
            "1e30",
            "0.1",
            "1_000",
            "inf",
            "nan",
            "2019-11-11",
            "2202-12-01",
            "true",
            "[]",
            "{}",
            '["kuopio", "kuopio"]',
            '{ outcome = "approved" }',
        ]
    ),
    st.integers(min_value=0, max_value=10**12).map(str),
)

ASSIGNMENT = re.compile(r"^(\s*[\w\"'.-]+\s*=\s*)(.*?)(\s*(#.*)?)$")


@dataclass(frozen=True)
class Mutated:
    """The bundled registry after a few edits; shown by its edits, not its 20 kB of text."""

    ops: tuple[tuple[Any, ...], ...]
    crlf: bool
    bom: bool

    @property
    def raw(self) -> bytes:
        lines = list(BASE_LINES)
        for op in self.ops:
            kind, i = op[0], op[1] % len(lines)
            if kind == "value":
                m = ASSIGNMENT.match(lines[i].rstrip("\r\n"))
                if m:
                    lines[i] = m.group(1) + op[2] + m.group(3) + "\n"
            elif kind == "delete":
                del lines[i]
            elif kind == "duplicate":
                lines.insert(i, lines[i])
            elif kind == "move":
                lines.insert(op[2] % len(lines), lines.pop(i))
            else:
                lines.insert(i, op[2])
        text = "".join(lines)
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")


HEADERS = [
    "[typo_table.x]\n",
    "[[regions]]\n",
    '[caseloads."2099-01"]\n',
    '[caseloads."2020-03"]\n',
    "[parties.nameless]\n",
    *(f"[people.mallory]\nname = {toml_string(n)}\n" for n in NASTY),
]
operations = st.one_of(
    st.tuples(st.just("value"), st.integers(0, 10**4), values),
    st.tuples(st.just("value"), st.integers(0, 10**4), values),
    st.tuples(st.sampled_from(["delete", "duplicate"]), st.integers(0, 10**4)),
    st.tuples(st.just("move"), st.integers(0, 10**4), st.integers(0, 10**4)),
    st.tuples(st.just("header"), st.integers(0, 10**4), st.sampled_from(HEADERS)),
)
mutated_registries = st.builds(
    Mutated,
    ops=st.lists(operations, min_size=1, max_size=4).map(tuple),
    crlf=st.booleans(),
    bom=st.integers(0, 9).map(lambda n: n == 0),
)


@contextlib.contextmanager
def registry_file(raw: bytes) -> Iterator[Path]:
    """A registry holding `raw`, in a folder of its own outside any git repository."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.toml"
        path.write_bytes(raw)
        yield path


def run(*argv: str) -> tuple[int, str, str]:
    """kokeilu ARGV in this process: exit code, stdout, stderr. Any exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's own refusal of bad arguments
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_shown_safely(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw {found.group()!r} reaches the terminal in {text!r}"


def assert_positioned(file: Path, stdout: str, stderr: str) -> None:
    """Every line that reports an error or warning in `file`'s content says where.

    (A refused argument, such as a count of "²", is about what was typed, not about a place in
    the file: that message names the file alone.)"""
    for line in (stdout + stderr).splitlines():
        if line.startswith(str(file)) and (": error:" in line or ": warning:" in line):
            assert POSITIONED.match(line), f"not positioned: {line!r}"


def exact_units(seats: int, weights: dict[str, int]) -> dict[str, int]:
    """Largest remainder with fractions: floors, then one step each to the largest remainders
    (ties: larger weight, then smaller id). Written here, apart from kokeilu's own."""
    total = sum(weights.values())
    if total == 0:
        return dict.fromkeys(weights, 0)
    quotas = {p: Fraction(seats * w, total) for p, w in weights.items()}
    units = {p: q.numerator // q.denominator for p, q in quotas.items()}
    left = seats - sum(units.values())
    order = sorted(weights, key=lambda p: (-(quotas[p] - units[p]), -weights[p], p))
    for p in order[:left]:
        units[p] += 1
    return units


def assert_division_exact(file: Path, report: dict[str, Any]) -> None:
    data = tomllib.loads(file.read_bytes().decode("utf-8-sig"), parse_float=Decimal)
    counts = data.get("caseloads", {}).get(report["period"], {})
    for resource in report["resources"]:
        spec = data["resources"][resource["id"]]
        step = Decimal(str(spec["step"]))
        seats = int(Decimal(str(spec["total"])) / step)
        rows = resource["rows"]
        weights = {row["party"]: int(counts.get(row["party"], 0)) for row in rows}
        expected = exact_units(seats, weights)
        for row in rows:
            assert row["caseload"] == weights[row["party"]]
            amount = Decimal(str(row["amount"]))
            assert amount == expected[row["party"]] * step, (resource["id"], row)
        assert sum(Decimal(str(r["amount"])) for r in rows) == Decimal(str(spec["total"]))


@FUZZ
@given(
    registry=mutated_registries,
    party=st.one_of(st.sampled_from(IDS), st.sampled_from(NASTY)),
    period=st.sampled_from(["2020-12", "2020-13", "2202-12", "2021-01", "20-12", "2020-1"]),
    count=st.one_of(
        st.integers(0, 10**6).map(str),
        st.sampled_from(["²", "①", "-5", "1e20", str(2**63), "9" * 5000, "12 345", ""]),
    ),
)
def test_a_mutated_registry_never_ends_in_a_traceback(
    registry: Mutated, party: str, period: str, count: str
) -> None:
    with registry_file(registry.raw) as file:
        code, out, err = run("-f", str(file), "check")
        assert code in (0, 1, 2), err
        assert_shown_safely(out, err)
        assert_positioned(file, out, err)
        if code == 0:
            for fmt in ("json", "table", "csv"):
                scode, sout, serr = run("-f", str(file), "shares", "--format", fmt)
                assert scode in (0, 1), serr
                assert_shown_safely(sout, serr)
                if scode == 0 and fmt == "json":
                    assert_division_exact(file, json.loads(sout))
        before = file.read_bytes()
        ecode, eout, eerr = run(
            "-f", str(file), "--no-commit", "set-caseload", party, period, count
        )
        assert ecode in (0, 1, 2), eerr
        assert_shown_safely(eout, eerr)
        if ecode == 2:  # the file itself could not be read: that error says where
            assert_positioned(file, eout, eerr)
        if ecode != 0:
            assert file.read_bytes() == before, "a refused edit changed the file"
        else:
            after_code, _, after_err = run("-f", str(file), "check")
            assert not (code == 0 and after_code != 0), f"a saved edit broke the file: {after_err}"


cells = st.one_of(
    st.sampled_from(IDS),
    st.sampled_from(NASTY),
    st.sampled_from(["2020-12", "2020-13", "2202-12", "x", "", "²", "①", "1e20", str(2**63)]),
    st.integers(0, 10**7).map(str),
    st.text(max_size=8),
)


@FUZZ
@given(
    rows=st.lists(st.tuples(cells, cells, cells), max_size=6),
    header=st.sampled_from(
        [("party", "period", "count"), ("count", "party", "period"), ("party", "kausi", "count")]
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_a_caseload_sheet_never_ends_in_a_traceback(
    rows: list[tuple[str, str, str]], header: tuple[str, str, str], delimiter: str
) -> None:
    with registry_file(BASE.encode("utf-8")) as file:
        sheet = file.with_name("sheet.csv")
        buffer = io.StringIO()

        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        sheet.write_text(buffer.getvalue(), encoding="utf-8")
        before = file.read_bytes()
        code, out, err = run("-f", str(file), "--no-commit", "import-caseloads", str(sheet))
        assert code in (0, 1, 2), err
        assert_shown_safely(out, err)
        for line in err.splitlines():
            if line.startswith(str(sheet)) and ": error:" in line:
                assert POSITIONED.match(line), f"not positioned: {line!r}"
        if code != 0:
            assert file.read_bytes() == before


WORDS = [
    "check",
    "status",
    "shares",
    "diff",
    "log",
    "set-caseload",
    "import-caseloads",
    "--json",
    "--period",
    "--by",
    "--format",
    "--provisional",
    "-n",
    "--no-commit",
    "--",
    "--output=/tmp/kokeilu-fuzz-owned",
    "-",
    "HEAD",
    "HEAD~999",
    "kuopio",
    "2020-12",
    "json",
    "csv",
    "region",
]


@FUZZ_ARGV
@given(
    argv=st.lists(
        st.one_of(st.sampled_from(WORDS), st.sampled_from(NASTY), st.text(max_size=6)), max_size=6
    )
)
def test_command_line_arguments_never_end_in_a_traceback(argv: list[str]) -> None:
    with registry_file(BASE.encode("utf-8")) as file:
        if not argv or argv[0] not in WORDS[:7]:
            argv = ["check", *argv]
        if argv[0] in ("set-caseload", "import-caseloads"):
            argv.insert(1, "--no-commit")
        before = file.read_bytes()
        code, out, err = run("-f", str(file), *argv)
        assert code in (0, 1, 2), err
        assert_shown_safely(out, err)
        assert not Path("/tmp/kokeilu-fuzz-owned").exists(), "an argument reached git as an option"
        if code != 0:
            assert file.read_bytes() == before
