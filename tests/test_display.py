"""Registry text reaches the terminal, the CSV, the JSON and git only one way: literally.

A name is data: its escape sequences (ESC, a C1 CSI, a BEL), its bidi overrides and its line
breaks must be shown, never acted on, and must add no line to a CSV row or a commit message.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import examples, run_kokeilu
from gitrepo import git, make_repo
from hypothesis import given, settings
from hypothesis import strategies as st

from kokeilu.editing import edits
from kokeilu.store.store import Store
from kokeilu.text.display import hidden, literal
from kokeilu.text.jsontext import dumps as json_text

HOSTILE = "a\x1b]0;title\x07\x1b[2J\x9b31m\u202e\u2066\u200f\u061c\u2028\u2029\x7f\x00\n\rz"


def raw_controls(text: str) -> list[str]:
    """The characters in printed output that a terminal would act on (line breaks allowed)."""
    return [
        ch for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
    ]


def rewrite(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


# --- The one function ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Kuopio [/nope]", "Kuopio [/nope]"),
        ("[bold red]x[/]", "[bold red]x[/]"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("a\x9bb", "a\\x9bb"),  # C1 CSI: some terminals start a sequence with it
        ("a\x7fb", "a\\x7fb"),
        ("a\x00b", "a\\x00b"),
        ("a\nb\r", "a\\nb\\r"),
        ("a\u202eb\u202ac", "a\\u202eb\\u202ac"),
        ("a\u2066b\u2069\u200e\u200f\u061c", "a\\u2066b\\u2069\\u200e\\u200f\\u061c"),
        ("a\u2028b\u2029", "a\\u2028b\\u2029"),
        ("a\tb", "a b"),
        ("Heinävesi ½ €", "Heinävesi ½ €"),
    ],
)
def test_literal_shows_every_acting_character_as_its_escape(raw: str, shown: str) -> None:
    assert literal(raw) == shown
    assert literal(shown) == shown


def test_json_text_escapes_acting_characters_and_keeps_the_data_exact() -> None:
    value = {"name": HOSTILE, "list": [HOSTILE, "Kuopio"], "n": 1}
    text = json_text(value)
    assert raw_controls(text) == []
    assert json.loads(text) == value
    assert '"a\\u001b]0;title\\u0007\\u001b[2J\\u009b31m\\u202e\\u2066\\u200f' in text


@settings(max_examples=examples(200), deadline=None)
@given(st.text(st.characters(codec="utf-8") | st.sampled_from("\x1b\x9b\u202e\u2028\x00\n")))
def test_literal_is_one_printable_line_and_json_text_keeps_every_value(text: str) -> None:
    shown = literal(text)
    assert not any(hidden(ch) for ch in shown)  # no control, format or line separator
    assert literal(shown) == shown
    printed = json_text({"name": text, "names": [text]})
    assert raw_controls(printed) == []
    assert json.loads(printed) == {"name": text, "names": [text]}


# --- The command line ------------------------------------------------------------------------


@pytest.fixture
def hostile_copy(bundled_copy: Path) -> Path:
    """The bundled registry with names, a unit and a title that hold escapes and overrides."""
    rewrite(
        bundled_copy,
        ('name = "Iisalmi"', 'name = "Iisalmi\\u001b]0;x\\u0007\\u001b[2J"'),
        ('name = "Vieremä"', 'name = "Vieremä\\u009b31m"'),
        ('name = "Sonkajärvi"', 'name = "Sonkajärvi\\u202eevil"'),
        ('unit = "htv"', 'unit = "htv\\u001b[2J\\nX\\u0000\\u009b\\u202e"'),
        ('name = "Ylä-Savo"', 'name = "Ylä-Savo\\u009b\\u2066"'),
    )
    return bundled_copy


def test_shares_csv_shows_a_unit_literally_one_row_per_line(hostile_copy: Path) -> None:
    result = run_kokeilu("-f", str(hostile_copy), "shares", "--format", "csv", "--provisional")
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    lines = result.stdout.splitlines()
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert (
        len(rows) == len(lines) == 1 + 2 * 10
    )  # a header, then 10 parties for each of 2 resources
    assert lines[1] == "te_staff,htv\\x1b[2J\\nX\\x00\\x9b\\u202e,kuopio,kuopio,6757,0.529421,32.6"


def test_shares_table_shows_names_and_units_literally(hostile_copy: Path) -> None:
    result = run_kokeilu("-f", str(hostile_copy), "shares", "--provisional")
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    lines = result.stdout.splitlines()
    assert (
        "TE-toimiston työntekijöiden työpanos: total 61.5 htv\\x1b[2J\\nX\\x00\\x9b\\u202e, step 0.1"
        in lines
    )
    iisalmi = next(line for line in lines if line.startswith("  Iisalmi"))
    assert iisalmi.split() == ["Iisalmi\\x1b]0;x\\x07\\x1b[2J", "Ylä-Savo\\x9b\\u2066", "1", "304",
                               "10.2", "%", "6.3"]  # fmt: skip
    assert any(line.startswith("  Vieremä\\x9b31m ") for line in lines)
    assert any(line.startswith("  Sonkajärvi\\u202eevil ") for line in lines)


def test_shares_json_escapes_c1_and_bidi_and_keeps_them(hostile_copy: Path) -> None:
    result = run_kokeilu("-f", str(hostile_copy), "shares", "--format", "json", "--provisional")
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    assert '"unit": "htv\\u001b[2J\\nX\\u0000\\u009b\\u202e"' in result.stdout
    assert json.loads(result.stdout)["resources"][0]["unit"] == "htv\x1b[2J\nX\x00\x9b\u202e"


def test_status_json_escapes_c1_and_bidi_and_keeps_them(hostile_copy: Path) -> None:
    result = run_kokeilu("-f", str(hostile_copy), "status", "--json")
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    assert '"name": "Ylä-Savo\\u009b\\u2066"' in result.stdout
    names = [r["name"] for r in json.loads(result.stdout)["regions"]]
    assert "Ylä-Savo\x9b\u2066" in names


def test_set_caseload_says_what_it_saved_with_the_name_literally(hostile_copy: Path) -> None:
    rewrite(hostile_copy, ('name = "Kuopio"', 'name = "Kuopio\\u0000\\n\\u202e"'))
    result = run_kokeilu(
        "-f", str(hostile_copy), "--no-commit", "set-caseload", "kuopio", "2020-12", "6800"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Kuopio\\x00\\n\\u202e: caseload 2020-12 6757 → 6800",
        "not committed: --no-commit",
    ]
    result = run_kokeilu(
        "-f", str(hostile_copy), "--no-commit", "set-caseload", "iisalmi", "2020-12", "1400"
    )
    assert (
        result.stdout.splitlines()[0]
        == "Iisalmi\\x1b]0;x\\x07\\x1b[2J: caseload 2020-12 1304 → 1400"
    )


def test_import_errors_show_the_cells_literally(bundled_copy: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "caseloads.csv"
    sheet.write_text(
        'party,period,count\n"nope\x1b[2J\nnext",2020-12,5\niisalmi,2020-13\x9b\u202e,5\n'
        "kuopio,2020-12,1\x00\n",
        encoding="utf-8",
    )
    before = bundled_copy.read_bytes()
    result = run_kokeilu("-f", str(bundled_copy), "import-caseloads", str(sheet))
    assert result.returncode == 1
    assert raw_controls(result.stderr) == []
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f'{sheet}:2:1: error: unknown party "nope\\x1b[2J\\nnext"',
        f'{sheet}:3:2: error: not a period: "2020-13\\x9b\\u202e" (write 2020-12)',
    ]
    assert lines[2].startswith(f"{sheet}:4:3: error: ") and '"1\\x00"' in lines[2]
    assert len(lines) == 3
    assert bundled_copy.read_bytes() == before


def test_a_sheets_name_is_shown_literally_when_it_cannot_be_read(
    bundled_copy: Path, tmp_path: Path
) -> None:
    name = str(tmp_path / "\x1b]0;owned\x07\x1b[2J.csv")
    result = run_kokeilu("-f", str(bundled_copy), "import-caseloads", name)
    assert result.returncode == 2
    assert raw_controls(result.stderr) == []
    shown = name.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert result.stderr.startswith(f"{shown}: error: ")


# --- Commit messages -------------------------------------------------------------------------


def test_a_name_cannot_forge_a_trailer_in_the_commit_message(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    repo = registry.parent
    rewrite(registry, ('name = "Kuopio"', 'name = "Kuopio\\n\\nSigned-off-by: Mallory <m@x>"'))
    git(repo, "commit", "-qam", "renamed")
    result = run_kokeilu("-f", str(registry), "set-caseload", "kuopio", "2020-12", "6800")
    assert result.returncode == 0, result.stderr
    message = git(repo, "log", "-1", "--format=%B")
    assert (
        message == "Kuopio\\n\\nSigned-off-by: Mallory <m@x>: asiakasmäärä 2020-12 6757 → 6800\n\n"
    )
    trailers = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message,
        capture_output=True,
        text=True,
        check=True,
    )
    assert trailers.stdout == ""
    assert git(repo, "status", "--porcelain") == ""


def test_a_nul_in_a_name_is_committed_with_the_edit_not_folded_into_the_next(
    tmp_path: Path,
) -> None:
    registry = make_repo(tmp_path / "repo")
    repo = registry.parent
    rewrite(registry, ('name = "Kuopio"', 'name = "Kuo\\u0000pio"'))
    git(repo, "commit", "-qam", "renamed")
    result = run_kokeilu("-f", str(registry), "set-caseload", "kuopio", "2020-12", "6800")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert git(repo, "status", "--porcelain") == ""  # the edit is in its own commit
    assert (
        git(repo, "log", "-1", "--format=%s") == "Kuo\\x00pio: asiakasmäärä 2020-12 6757 → 6800\n"
    )
    assert "kuopio = 6800" in git(repo, "show", "HEAD:pohjois-savo.toml")


def test_an_editor_named_with_a_nul_and_a_line_break_still_commits(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    repo = registry.parent
    login = getpass.getuser()
    with registry.open("a", encoding="utf-8") as f:
        f.write(
            f'\n[people."{login}"]\nname = "Maija\\u0000\\nMallory"\n'
            'email = "maija@kuopio.example"\nroles = ["info"]\n'
        )
    git(repo, "commit", "-qam", "people")
    store = Store(registry)
    store.read()
    saved = store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 6800))
    assert saved.commit.sha is not None, saved.commit
    assert git(repo, "log", "-1", "--format=%an <%ae>") == (
        "Maija\\x00\\nMallory <maija@kuopio.example>\n"
    )
    assert git(repo, "status", "--porcelain") == ""


def test_diff_and_log_show_keys_values_and_authors_literally(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    repo = registry.parent
    rewrite(
        registry,
        (
            'name = "Kuopio"\n',
            'name = "Kuopio\\u009b"\n"x\\u001b[2J" = "v\\u202e"\nsub = {"k\\u001b" = "w\\u0085"}\n',
        ),
    )
    git(repo, "-c", "user.name=Mallory\x1b[2J", "commit", "-qam", "keys")
    result = run_kokeilu("-f", str(registry), "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    lines = result.stdout.splitlines()
    assert "Kuopio\\x9b: name Kuopio → Kuopio\\x9b" in lines
    assert "Kuopio\\x9b: x\\x1b[2J – → v\\u202e" in lines
    assert "Kuopio\\x9b: sub – → {k\\x1b = w\\x85}" in lines
    result = run_kokeilu("-f", str(registry), "log")
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    assert "Mallory\\x1b[2J  Kuopio\\x9b: name Kuopio → Kuopio\\x9b (+2 more)" in result.stdout


def test_check_quotes_a_value_literally_with_the_caret_under_it_as_shown(
    bundled_copy: Path,
) -> None:
    # TOML allows a C1 control or a bidi override raw in a string: the excerpt shows it escaped.
    rewrite(bundled_copy, ('kind = "kaupunki"', 'kind = "k\x9b\u202eaup"'))
    result = run_kokeilu("-f", str(bundled_copy), "check")
    assert result.returncode == 1
    assert raw_controls(result.stdout) == []
    lines = result.stdout.splitlines()
    at = lines.index(
        f"{bundled_copy}:83:1: error: parties.kuopio.kind must be one of kunta, kaupunki, "
        'not "k\\x9b\\u202eaup"'
    )
    assert lines[at + 4 : at + 6] == [
        '83 | kind = "k\\x9b\\u202eaup"',
        "   |        ^^^^^^^^^^^^^^^^",
    ]


HOSTILE_TAIL = "\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202e\\u2028\\u0000 [/nope]\\n"
TEXT_KEYS = ("name", "unit", "title", "organisation", "ministry", "minutes", "case", "role", "aim")


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["status"],
        ["status", "--json"],
        ["shares", "--provisional"],
        ["shares", "--provisional", "--by", "region"],
        ["shares", "--provisional", "--format", "csv"],
        ["shares", "--provisional", "--format", "json"],
        ["--no-commit", "set-caseload", "kuopio", "2020-12", "6800"],
    ],
    ids=" ".join,
)
def test_no_command_prints_an_acting_character_from_a_hostile_registry(
    bundled_copy: Path, command: list[str]
) -> None:
    keys = "|".join(TEXT_KEYS)
    text = re.sub(
        rf'^({keys}) = "(.*)"$',
        lambda m: f'{m[1]} = "{m[2]}{HOSTILE_TAIL}"',
        bundled_copy.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    bundled_copy.write_text(text, encoding="utf-8")
    result = run_kokeilu("-f", str(bundled_copy), *command)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert raw_controls(result.stdout) == raw_controls(result.stderr) == []
    assert "pwned" in result.stdout + result.stderr


def test_an_argument_argparse_quotes_back_is_shown_literally() -> None:
    result = run_kokeilu("check", "--bogus", "\x1b]0;owned\x07\x1b[2J")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "kokeilu: error: unrecognized arguments: --bogus \\x1b]0;owned\\x07\\x1b[2J"
    )
    assert raw_controls(result.stderr) == []
