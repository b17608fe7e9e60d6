"""`kokeilu status/shares --at DAY` and `--rev REV` on a real git history with dated commits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import BUNDLED, run_kokeilu
from dated_history import TZ, commit, dated_history


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return dated_history(tmp_path / "repo")


def kokeilu(file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_kokeilu("-f", str(file), *args, env=TZ)


def test_status_at_a_day_shows_what_stood_then(history: tuple[Path, list[str]]) -> None:
    file, shas = history
    result = kokeilu(file, "status", "--at", "2019-11-15")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"As of 2019-11-15: commit {shas[1][:7]} of 2019-11-12 14:30 by Maija Testaaja",
        "",
    ]
    # Kuopio's approval (11.11.2019) stood; Siilinjärvi's (18.11.2019, committed on the 20th) not.
    assert "11.11.2019" in result.stdout and "18.11.2019" not in result.stdout
    as_json = json.loads(kokeilu(file, "status", "--json", "--at", "2019-11-15").stdout)
    assert as_json["application"] == ["kuopio"]
    assert "siilinjarvi" in as_json["missing"]
    # The file as it is now: both approved, and no line naming a version.
    now = kokeilu(file, "status")
    assert now.returncode == 0, now.stderr
    assert now.stdout.splitlines()[0] == lines[2]  # the title, first
    assert "11.11.2019" in now.stdout and "18.11.2019" in now.stdout
    assert json.loads(kokeilu(file, "status", "--json").stdout)["application"] == [
        "kuopio",
        "siilinjarvi",
    ]


def test_the_dossier_as_of_a_day_lists_who_had_approved_then(
    history: tuple[Path, list[str]],
) -> None:
    file, shas = history
    result = kokeilu(file, "report", "application", "--at", "2019-11-15")
    assert result.returncode == 0, result.stderr
    # Which version it is goes beside the dossier (standard error), not into it.
    assert result.stderr.splitlines() == [
        f"As of 2019-11-15: commit {shas[1][:7]} of 2019-11-12 14:30 by Maija Testaaja"
    ]
    assert "- **Laadittu:** 15.11.2019\n" in result.stdout
    assert "- **Haun määräaika:** 19.11.2019\n" in result.stdout
    assert "1/10 sopijapuolesta" in result.stdout  # Kuopio alone had approved by then
    now = kokeilu(file, "report", "application")
    assert "2/10 sopijapuolesta" in now.stdout and now.stderr == ""
    refused = kokeilu(file, "report", "application", "--at", "2019-11-15", "--rev", "HEAD")
    assert refused.returncode == 2 and "not allowed with argument" in refused.stderr


def test_the_day_runs_to_its_end_and_the_next_commit_counts_from_its_own(
    history: tuple[Path, list[str]],
) -> None:
    file, shas = history
    for day, sha in [
        ("2019-11-05", shas[0]),
        ("2019-11-11", shas[0]),
        ("2019-11-12", shas[1]),
        ("2019-11-19", shas[1]),
        ("2019-11-20", shas[2]),
        ("2026-01-01", shas[2]),
    ]:
        out = json.loads(kokeilu(file, "status", "--json", "--at", day).stdout)
        assert out["version"]["commit"] == sha, day
        assert out["version"]["at"] == day


def test_status_json_names_the_version(history: tuple[Path, list[str]]) -> None:
    file, shas = history
    result = kokeilu(file, "status", "--json", "--rev", "HEAD~1")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["application"] == ["kuopio"]
    assert out["version"] == {
        "commit": shas[1],
        "date": "2019-11-12 14:30",
        "author": "Maija Testaaja",
        "at": None,
        "rev": "HEAD~1",
    }
    assert json.loads(kokeilu(file, "status", "--json").stdout)["version"] is None


def test_shares_at_a_revision(history: tuple[Path, list[str]]) -> None:
    file, shas = history
    result = kokeilu(file, "shares", "--rev", "HEAD~1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"At HEAD~1: commit {shas[1][:7]} of 2019-11-12 14:30 by Maija Testaaja"
    assert "Divided among the 1 parties with an approved decision." in lines
    now = kokeilu(file, "shares")
    assert "Divided among the 2 parties with an approved decision." in now.stdout.splitlines()
    as_json = json.loads(kokeilu(file, "shares", "--format", "json", "--rev", shas[1][:10]).stdout)
    assert as_json["version"]["commit"] == shas[1]
    # CSV stays CSV: the version's line goes to standard error.
    csv = kokeilu(file, "shares", "--format", "csv", "--at", "2019-11-13")
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.startswith("resource,")
    assert f"As of 2019-11-13: commit {shas[1][:7]} of 2019-11-12 14:30 by Maija Testaaja" in (
        csv.stderr.splitlines()
    )


def test_the_version_is_read_from_git_not_the_work_tree(history: tuple[Path, list[str]]) -> None:
    file, _ = history
    file.write_text("this is = = not toml\n", encoding="utf-8")  # a broken edit in progress
    result = kokeilu(file, "status", "--at", "2019-11-15")
    assert result.returncode == 0, result.stderr
    assert file.read_text(encoding="utf-8") == "this is = = not toml\n"


def test_errors_in_an_old_version_point_into_it(history: tuple[Path, list[str]]) -> None:
    file, _ = history
    repo = file.parent.parent
    text = file.read_text(encoding="utf-8")
    wrong = text.replace('body = "kunnanhallitus"', 'body = "valtuusto"', 1)
    file.write_text(wrong, encoding="utf-8")
    commit(repo, "a wrong body", "2019-11-21T08:00:00+00:00", "Kalle K")
    line = wrong.splitlines().index('body = "valtuusto"') + 1
    result = kokeilu(file, "status", "--rev", "HEAD")
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert errors[0] == (
        f"HEAD:data/registry.toml:{line}:1: error: parties.siilinjarvi.body must be"
        ' one of kunnanhallitus, kaupunginhallitus, not "valtuusto"'
    )
    assert errors[-1] == (
        "HEAD:data/registry.toml: error: that version of the registry has errors (1), shown above"
    )
    file.write_text("x = [\n", encoding="utf-8")
    short = commit(repo, "broken", "2019-11-22T08:00:00+00:00", "Kalle K")[:7]
    broken = kokeilu(file, "status", "--at", "2019-11-22")
    assert broken.returncode == 2
    assert broken.stderr.splitlines()[0] == f"{short}:data/registry.toml:1:6: error: Invalid value"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("--at", "2019-11-04"),
            1,
            "{file}: error: no version on or before 2019-11-04: the registry's first commit"
            " ({first}) is of 2019-11-05",
        ),
        (
            ("--at", "2019-13-01"),
            2,
            "kokeilu status: error: argument --at: not a day (YYYY-MM-DD): 2019-13-01",
        ),
        (
            ("--at", "15.11.2019"),
            2,
            "kokeilu status: error: argument --at: not a day (YYYY-MM-DD): 15.11.2019",
        ),
        (
            ("--rev", "nope"),
            1,
            "{file}: error: not a commit: nope (give a commit id, a branch, a tag or HEAD~N)",
        ),
        (
            ("--rev=--output=x",),
            1,
            "{file}: error: not a commit: --output=x (give a commit id, a branch, a tag or HEAD~N)",
        ),
        (
            ("--at", "2019-11-15", "--rev", "HEAD"),
            2,
            "kokeilu status: error: argument --rev: not allowed with argument --at",
        ),
    ],
)
def test_refused(
    history: tuple[Path, list[str]], args: tuple[str, ...], code: int, message: str
) -> None:
    file, shas = history
    result = kokeilu(file, "status", *args)
    assert result.returncode == code
    assert result.stderr.splitlines()[-1] == message.format(file=file, first=shas[0][:7])
    assert result.stdout == ""


def test_a_revision_without_the_file(history: tuple[Path, list[str]]) -> None:
    file, _ = history
    repo = file.parent.parent
    (repo / "other.txt").write_text("x\n", encoding="utf-8")
    subprocess.run(["git", "add", "other.txt"], cwd=repo, check=True)
    subprocess.run(["git", "checkout", "-q", "--orphan", "bare"], cwd=repo, check=True)
    subprocess.run(["git", "rm", "-q", "--cached", "-r", "data"], cwd=repo, check=True)
    commit(repo, "without the registry", "2019-11-25T08:00:00+00:00", "Kalle K")
    result = kokeilu(file, "status", "--rev", "bare")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{file}: error: data/registry.toml is not in bare"]


def test_a_file_outside_git_or_never_committed(
    tmp_path: Path, history: tuple[Path, list[str]]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    loose = outside / "registry.toml"
    loose.write_bytes(BUNDLED.read_bytes())
    result = kokeilu(loose, "status", "--at", "2019-11-15")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{loose}: error: not in a git repository: --at and --rev read the registry's versions from git"
    ]
    file, _ = history
    new = file.parent / "new.toml"
    new.write_bytes(BUNDLED.read_bytes())
    result = kokeilu(new, "shares", "--at", "2019-11-15")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{new}: error: data/new.toml has never been committed: git holds no version of it"
    ]
