"""What one coordinator's save may not do to the next: leave its change uncommitted, fold someone
else's uncommitted change into its own commit, or let a client's locale or an endless sheet decide
what happens on the server."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_kokeilu
from gitrepo import git, make_repo, subjects

UNCOMMITTED = (
    "the registry holds a change nobody has committed (a hand edit, or a save whose commit "
    "failed): commit or discard it first (History view: c commits, x discards); nothing written"
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_save_over_a_change_nobody_committed_is_refused(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    with registry.open("a", encoding="utf-8") as out:  # someone's hand edit, not committed
        out.write('\n[people.mallory]\nname = "Mallory"\naccess = "all"\n')
    before, commits = sha(registry), subjects(registry.parent)
    result = run_kokeilu("-f", str(registry), "set-caseload", "kuopio", "2020-12", "6758")
    assert result.returncode == 1
    assert result.stderr.strip() == f"{registry}: error: {UNCOMMITTED}"
    assert sha(registry) == before
    assert subjects(registry.parent) == commits
    # Once it is committed (or discarded), saving works again, and commits only the save.
    git(registry.parent, "checkout", "--", registry.name)
    done = run_kokeilu("-f", str(registry), "set-caseload", "kuopio", "2020-12", "6758")
    assert done.returncode == 0, done.stderr
    changed = git(registry.parent, "show", "--format=", "--numstat", "HEAD").split()
    assert changed[:2] == ["1", "1"]


def test_without_commits_a_save_over_a_hand_edit_still_works(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    with registry.open("a", encoding="utf-8") as out:
        out.write("\n# a note\n")
    done = run_kokeilu(
        "-f", str(registry), "--no-commit", "set-caseload", "kuopio", "2020-12", "6758"
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def latin1_locale(tmp_path: Path) -> dict[str, str]:
    """A Finnish Latin-1 locale, made for the test (a client over SSH may send LC_ALL=…)."""
    if shutil.which("localedef") is None and not os.environ.get("CI"):
        pytest.skip("localedef (glibc) is needed to make a Latin-1 locale")
    folder = tmp_path / "locales"
    folder.mkdir()
    made = subprocess.run(
        [
            "localedef",
            "--no-archive",
            "-i",
            "fi_FI",
            "-f",
            "ISO-8859-1",
            str(folder / "fi_FI.ISO-8859-1"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (folder / "fi_FI.ISO-8859-1").is_dir(), made.stderr
    return {"LOCPATH": str(folder), "LC_ALL": "fi_FI.ISO-8859-1"}


def test_a_clients_latin1_locale_neither_breaks_a_save_nor_leaves_it_uncommitted(
    tmp_path: Path, latin1_locale: dict[str, str]
) -> None:
    registry = make_repo(tmp_path / "repo")
    result = run_kokeilu(
        "-f", str(registry), "set-caseload", "siilinjarvi", "2020-12", "1017", env=latin1_locale
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Siilinjärvi: caseload 2020-12 1016 → 1017"
    assert subjects(registry.parent)[0] == "Siilinjärvi: asiakasmäärä 2020-12 1016 → 1017"
    assert git(registry.parent, "status", "--porcelain", "--", registry.name) == ""


def test_a_sheet_on_standard_input_is_read_up_to_16_mib(bundled_copy: Path) -> None:
    before = sha(bundled_copy)
    result = subprocess.run(
        [*python_kokeilu(), "-f", str(bundled_copy), "--no-commit", "import-caseloads", "-"],
        input=b"party,period,count\n" + b"kuopio,2020-12,1\n" * 1_100_000,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "<stdin>: error: the sheet is larger than 16 MiB, the most an import reads; nothing read\n"
    )
    assert sha(bundled_copy) == before


def test_a_sheet_that_is_a_named_pipe_is_refused_not_waited_for(
    bundled_copy: Path, tmp_path: Path
) -> None:
    pipe = tmp_path / "sheet.csv"
    os.mkfifo(pipe)
    result = run_kokeilu("-f", str(bundled_copy), "--no-commit", "import-caseloads", str(pipe))
    assert result.returncode == 2
    assert result.stderr == (
        f"{pipe}: error: not a regular file; a sheet is read from a file or from standard input (-)\n"
    )


def python_kokeilu() -> list[str]:
    import sys

    return [sys.executable, "-m", "kokeilu"]
