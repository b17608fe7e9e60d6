"""`kokeilu diff` and `kokeilu log` over real git repositories, edited as coordinators edit them."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, run_kokeilu

from kokeilu.editing import edits
from kokeilu.registry.load import load
from kokeilu.store.session import Session

TODAY = dt.date(2026, 11, 27)
DATE = r"\d{4}-\d\d-\d\d \d\d:\d\d"
AUTHOR = "Maija Testaaja"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled registry, committed in a repository of its own (in a subfolder)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.name", AUTHOR)
    git(repo, "config", "user.email", "maija@example.org")
    file = repo / "data" / "pohjois-savo.toml"
    text = BUNDLED.read_text(encoding="utf-8")
    tiedoksi = 'roles = ["info"]\nplaceholder = true\n'
    maija = f'\n[people.maija]\nname = "{AUTHOR}"\nemail = "maija@example.org"\nroles = ["info"]\n'
    assert tiedoksi in text
    file.write_text(text.replace(tiedoksi, tiedoksi + maija, 1), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "The registry")
    return file


def save(file: Path, make: Callable[[dict[str, Any]], edits.Edit]) -> None:
    """One edit by Maija's account through the one save path, which commits it in her name."""
    session = Session(file, today=TODAY, login="maija")
    doc = session.open()
    saved = session.apply(make(doc.data))
    assert saved.commit.sha, saved.commit


def kokeilu(file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_kokeilu("-f", str(file), *args)


HEADING = "Effect on the allocations (approved parties, as shares divides them), period {period}:"


def effect_rows(out: str, period: str = "2020-12") -> dict[tuple[str, str], str]:
    """The effect lines, by (resource, party), with their amounts; the columns are aligned."""
    rows = {}
    for line in out.split(HEADING.format(period=period) + "\n", 1)[1].splitlines():
        resource, party, amounts = re.split(r"\s{2,}", line.strip())
        rows[(resource, party)] = amounts
    return rows


def amount(text: str) -> Decimal | None:
    """One side of an effect line's amounts: `4 300 000` or the dash of "no allocation"."""
    return None if text == "–" else Decimal(text.replace(" ", ""))


def effect_amounts(out: str, period: str) -> dict[tuple[str, str], tuple[Decimal | None, ...]]:
    """The effect lines as exact amounts: (resource name, party name) -> (before, after)."""
    return {
        key: tuple(amount(x) for x in amounts.rsplit(" ", 1)[0].split(" → "))
        for key, amounts in effect_rows(out, period).items()
    }


def shares_at(file: Path, rev: str, tmp_path: Path) -> tuple[str, dict[tuple[str, str], Decimal]]:
    """What `kokeilu shares` (its defaults) gives for the registry at `rev`: its period and
    every amount, by (resource name, party name)."""
    relative = file.relative_to(file.parent.parent).as_posix()
    copy = tmp_path / f"at-{rev.replace('~', '-')}.toml"
    copy.write_text(git(file.parent, "show", f"{rev}:{relative}"), encoding="utf-8")
    result = kokeilu(copy, "shares", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = load(copy).registry
    return data["period"], {
        (resource["name"], names.display_name(row["party"])): Decimal(str(row["amount"]))
        for resource in data["resources"]
        for row in resource["rows"]
    }


STAFF = "TE-toimiston työntekijöiden työpanos"
MONEY = "Työllisyysmäärärahat"


def test_diff_of_an_unchanged_working_tree_is_no_changes(registry: Path) -> None:
    result = kokeilu(registry, "diff")
    assert (result.returncode, result.stdout, result.stderr) == (0, "no changes\n", "")


def test_diff_of_a_hand_edit_in_the_working_tree_with_its_effects(registry: Path) -> None:
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("kuopio = 6757", "kuopio = 6800"), encoding="utf-8")
    result = run_kokeilu("diff", "--file", str(registry))  # -f after the command, too
    assert result.returncode == 0, result.stderr
    # Kuopio is the one approved party: it has everything, before and after.
    assert result.stdout.splitlines() == [
        "Kuopio: caseload 2020-12 6757 → 6800",
        "",
        HEADING.format(period="2020-12")[:-1] + ": none",
    ]


def test_a_caseload_of_a_party_that_has_not_approved_moves_no_allocation(registry: Path) -> None:
    """Not the provisional division: `shares` gives Kuopio all 61.5 htv before and after."""
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("siilinjarvi = 1016", "siilinjarvi = 1200"), encoding="utf-8")
    result = kokeilu(registry, "diff")
    assert result.stdout.splitlines() == [
        "Siilinjärvi: caseload 2020-12 1016 → 1200",
        "",
        HEADING.format(period="2020-12")[:-1] + ": none",
    ]


@pytest.fixture
def siilinjarvi(registry: Path) -> Path:
    """Siilinjärvi approves (a commit), then its caseload for 2020-12 changes (a commit)."""
    save(
        registry,
        lambda d: edits.record_decision(
            d,
            "siilinjarvi",
            outcome="approved",
            body="kunnanhallitus",
            date=dt.date(2019, 11, 18),
            minutes="§ 7",
        ),
    )
    save(registry, lambda d: edits.set_caseload(d, "siilinjarvi", "2020-12", 1200))
    return registry


@pytest.mark.parametrize(
    ("old", "new", "first"),
    [
        ("HEAD~2", "HEAD~1", "Siilinjärvi: decision outcome pending → approved"),
        ("HEAD~1", "HEAD", "Siilinjärvi: caseload 2020-12 1016 → 1200"),
    ],
    ids=["approval", "caseload"],
)
def test_diff_shows_the_amounts_shares_gives_before_and_after(
    siilinjarvi: Path, tmp_path: Path, old: str, new: str, first: str
) -> None:
    result = kokeilu(siilinjarvi, "diff", old, new)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == first
    period, before = shares_at(siilinjarvi, old, tmp_path)
    period_after, after = shares_at(siilinjarvi, new, tmp_path)
    assert period == period_after == "2020-12"
    assert HEADING.format(period=period) in result.stdout.splitlines()
    expected = {
        key: (before.get(key), after.get(key))
        for key in {**before, **after}
        if before.get(key) != after.get(key)
    }
    assert effect_amounts(result.stdout, period) == expected
    assert {party for _, party in expected} == {"Kuopio", "Siilinjärvi"}


def test_an_approval_shows_the_new_sharer_from_nothing(siilinjarvi: Path) -> None:
    result = kokeilu(siilinjarvi, "diff", "HEAD~2", "HEAD~1")
    rows = effect_rows(result.stdout)
    assert rows == {
        (STAFF, "Kuopio"): "61.5 → 53.5 htv",
        (STAFF, "Siilinjärvi"): "– → 8.0 htv",
        (MONEY, "Kuopio"): "4 300 000 → 3 737 952 EUR",
        (MONEY, "Siilinjärvi"): "– → 562 048 EUR",
    }


def test_when_a_version_cannot_be_divided_the_diff_says_why(siilinjarvi: Path) -> None:
    text = siilinjarvi.read_text(encoding="utf-8")
    for party in ("kuopio", "siilinjarvi"):
        at = text.index(f"[parties.{party}.decision]")
        text = text[:at] + text[at:].replace('outcome = "approved"', 'outcome = "pending"', 1)
    siilinjarvi.write_text(text, encoding="utf-8")
    lines = kokeilu(siilinjarvi, "diff").stdout.splitlines()
    assert lines[lines.index(HEADING.format(period="2020-12")) + 1 :] == [
        "  after: cannot be divided: no party has an approved decision",
        f"  {STAFF}  Kuopio       52.2 → – htv",
        f"  {STAFF}  Siilinjärvi  9.3 → – htv",
        f"  {MONEY:<{len(STAFF)}}  Kuopio       3 651 514 → – EUR",
        f"  {MONEY:<{len(STAFF)}}  Siilinjärvi  648 486 → – EUR",
    ]
    # git's external diff hands over two files: one version has no caseloads at all.
    without = siilinjarvi.parent / "without.toml"
    without.write_text(text.split("# Monthly caseloads")[0], encoding="utf-8")
    args = [str(without), "a" * 40, "100644", str(siilinjarvi), "b" * 40, "100644"]
    result = run_kokeilu("diff", "x.toml", *args)
    lines = result.stdout.splitlines()
    assert lines[lines.index("") + 1 :] == [
        "Effect on the allocations (approved parties, as shares divides them), period – → 2020-12:",
        "  before: cannot be divided: the registry has no caseloads",
        "  after: cannot be divided: no party has an approved decision",
    ]


def test_the_effect_heading_names_an_incomplete_period_as_shares_does(tmp_path: Path) -> None:
    """Issue 9 review: no period is complete (Siilinjärvi has no count), so `shares` divides
    2020-01 and says INCOMPLETE; the diff's heading named the period without a word of it."""
    from test_check import BASE

    approved = 'outcome = "approved"\ndate = 2019-12-01\nminutes = "§ 1"'
    text = BASE
    for party in ("siilinjarvi", "iisalmi"):
        at = text.index(f"[parties.{party}.decision]")
        text = text[:at] + text[at:].replace('outcome = "pending"', approved, 1)
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(text.replace("siilinjarvi = 100\n", ""), encoding="utf-8")
    new.write_text(old.read_text(encoding="utf-8").replace("kuopio = 600", "kuopio = 700"))
    result = run_kokeilu(
        "diff", "x.toml", str(old), "a" * 40, "100644", str(new), "b" * 40, "100644"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "Kuopio: caseload 2020-01 600 → 700",
        "",
        "Effect on the allocations (approved parties, as shares divides them), "
        "period 2020-01 (INCOMPLETE: 1 of 3 participants have no count):",
        "  TE staff  Kuopio   10.4 → 10.7 htv",
        "  TE staff  Iisalmi  2.1 → 1.8 htv",
    ]
    shares = kokeilu(old, "shares").stdout.splitlines()
    assert shares[:2] == [
        "Shares for 2020-01 (INCOMPLETE)",
        "INCOMPLETE: 1 of 3 participants have no count for 2020-01 and count as zero: Siilinjärvi",
    ]


def test_reordering_and_comments_in_the_working_tree_are_no_changes(registry: Path) -> None:
    text = registry.read_text(encoding="utf-8")
    bare = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    start, end = bare.index("[people.jakelu]"), bare.index('[caseloads."2020-01"]')
    bare = bare[:start] + bare[end:] + "\n\n" + bare[start:end]
    registry.write_text(bare.replace("step = 0.1", "step   = 0.10"), encoding="utf-8")
    assert git(registry.parent, "status", "--short") != ""
    result = kokeilu(registry, "diff")
    assert (result.returncode, result.stdout) == (0, "no changes\n")


@pytest.fixture
def history(registry: Path) -> Path:
    """Three saved edits after the first commit: a decision, a caseload, a region move."""
    save(
        registry,
        lambda d: edits.record_decision(
            d,
            "iisalmi",
            outcome="approved",
            body="kaupunginhallitus",
            date=dt.date(2019, 11, 18),
            minutes="§ 5",
        ),
    )
    save(registry, lambda d: edits.set_caseload(d, "iisalmi", "2020-12", 1400))
    save(registry, lambda d: edits.move_party(d, "lapinlahti", "yla_savo"))
    return registry


def test_diff_with_one_revision_is_that_revision_against_the_working_tree(history: Path) -> None:
    result = kokeilu(history, "diff", "HEAD~1")
    assert (result.returncode, result.stdout) == (
        0,
        "Lapinlahti: region Kuopion keskinen kokeilualue → Ylä-Savo\n",
    )
    result = kokeilu(history, "diff", "HEAD~3")
    # In the file's order: Lapinlahti's table comes before Iisalmi's.
    assert result.stdout.splitlines()[:7] == [
        "Lapinlahti: region Kuopion keskinen kokeilualue → Ylä-Savo",
        "Iisalmi: decision outcome pending → approved",
        "Iisalmi: decision body – → kaupunginhallitus",
        "Iisalmi: decision date – → 18.11.2019",
        "Iisalmi: decision minutes – → § 5",
        "Iisalmi: caseload 2020-12 1304 → 1400",
        "",
    ]


def test_diff_with_two_revisions_is_the_first_against_the_second(history: Path) -> None:
    result = kokeilu(history, "diff", "HEAD~2", "HEAD~1")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Iisalmi: caseload 2020-12 1304 → 1400"
    assert effect_rows(result.stdout)[(STAFF, "Iisalmi")] == "9.9 → 10.6 htv"
    back = kokeilu(history, "diff", "HEAD~1", "HEAD~2")
    assert back.stdout.splitlines()[0] == "Iisalmi: caseload 2020-12 1400 → 1304"
    assert effect_rows(back.stdout)[(STAFF, "Iisalmi")] == "10.6 → 9.9 htv"
    same = kokeilu(history, "diff", "HEAD", "HEAD")
    assert same.stdout == "no changes\n"


def test_a_revision_that_names_no_commit_is_one_line_and_exit_1(history: Path) -> None:
    hint = "(give a commit id, a branch, a tag or HEAD~N)"
    result = kokeilu(history, "diff", "no-such-rev")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"{history}: error: not a commit: no-such-rev {hint}\n"
    result = kokeilu(history, "diff", "HEAD~9", "HEAD")
    assert result.returncode == 1
    assert result.stderr == f"{history}: error: not a commit: HEAD~9 {hint}\n"


def test_outside_a_repository_diff_and_log_exit_1(tmp_path: Path) -> None:
    lone = tmp_path / "lone" / "registry.toml"
    lone.parent.mkdir()
    shutil.copyfile(BUNDLED, lone)
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    for command in (["diff"], ["log"]):
        result = run_kokeilu("-f", str(lone), *command, env=env)
        assert result.returncode == 1, result
        assert result.stderr.startswith(f"{lone}: error: fatal: not a git repository")


def test_an_unreadable_working_file_is_exit_2(registry: Path) -> None:
    registry.write_text("schema = \n", encoding="utf-8")
    result = kokeilu(registry, "diff")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{registry}:1:")


def test_log_lists_the_file_s_commits_newest_first_in_words(history: Path) -> None:
    other = history.parent.parent / "NOTES.md"
    other.write_text("not the registry\n", encoding="utf-8")
    git(history.parent, "add", str(other))
    git(history.parent, "commit", "-q", "-m", "Notes")
    result = kokeilu(history, "log", "-n", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    expected = [
        "Lapinlahti: region Kuopion keskinen kokeilualue → Ylä-Savo",
        "Iisalmi: caseload 2020-12 1304 → 1400",
        "Iisalmi: decision outcome pending → approved (+3 more)",
    ]
    assert len(lines) == 3
    for line, summary in zip(lines, expected, strict=True):
        assert re.fullmatch(f"{DATE}  {AUTHOR}  {re.escape(summary)}", line), line
    everything = kokeilu(history, "log").stdout.splitlines()
    assert len(everything) == 4  # the notes commit does not touch the registry
    assert re.fullmatch(f"{DATE}  {AUTHOR}  registry created", everything[-1])


def test_log_of_a_hand_commit_and_of_more_kinds_of_change(registry: Path) -> None:
    save(
        registry,
        lambda d: edits.put_service_agreement(
            d,
            None,
            {"service": "kotouttaminen", "provider": "kuopio", "recipients": ["siilinjarvi"]},
        ),
    )
    save(registry, lambda d: edits.set_resource(d, "te_staff", total=Decimal("62.3")))
    save(
        registry,
        lambda d: edits.put_entry(
            d,
            "people",
            "maija.t",
            {"name": AUTHOR, "organisation": "Kuopion kaupunki", "roles": ["project_group"]},
        ),
    )
    save(registry, lambda d: edits.set_caseload(d, "iisalmi", "2021-01", 1300))
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("# kokeilu registry", "# The registry"), encoding="utf-8")
    git(registry.parent, "commit", "-q", "-a", "-m", "Comment")
    summaries = [
        re.sub(f"^{DATE}  ", "", line).split("  ", 1)[1]
        for line in kokeilu(registry, "log", "-n", "5").stdout.splitlines()
    ]
    assert summaries == [
        "comments or layout only",
        "caseloads 2021-01 added (1 party)",
        f"{AUTHOR} (maija.t): added",
        "TE-toimiston työntekijöiden työpanos: total 61.5 → 62.3",
        "service agreement 1 added: Kuopio → Siilinjärvi (Kotouttaminen)",
    ]


def test_the_external_diff_calling_convention(registry: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.toml"
    text = registry.read_text(encoding="utf-8")
    new.write_text(text.replace('typ_area = "yla_savo"\nstatus', 'typ_area = "kuopio"\nstatus', 1))
    args = ["data/pohjois-savo.toml", str(registry), "a" * 40, "100644"]
    result = run_kokeilu("diff", *args, str(new), "b" * 40, "100644")
    assert (result.returncode, result.stdout) == (
        0,
        "data/pohjois-savo.toml:\nLapinlahti: typ_area Ylä-Savon TYP → Kuopion seudun TYP\n",
    )
    created = run_kokeilu(
        "diff", "x.toml", "/dev/null", "0" * 40, "0", str(new), "b" * 40, "100644"
    )
    assert created.stdout == "x.toml:\nregistry created\n"


def test_git_diff_speaks_through_the_driver(registry: Path) -> None:
    repo = registry.parent.parent
    (repo / ".gitattributes").write_text("*.toml diff=kokeilu\n", encoding="utf-8")
    command = f"{shlex.quote(sys.executable)} -m kokeilu diff"
    git(repo, "config", "diff.kokeilu.command", command)
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("iisalmi = 1304", "iisalmi = 1400"), encoding="utf-8")
    out = git(repo, "diff", "--", "data/pohjois-savo.toml")
    assert out.splitlines()[:2] == [
        "data/pohjois-savo.toml:",
        "Iisalmi: caseload 2020-12 1304 → 1400",
    ]


def test_too_many_revisions_is_a_usage_error(registry: Path) -> None:
    result = kokeilu(registry, "diff", "HEAD", "HEAD", "HEAD")
    assert result.returncode == 2 and result.stderr.startswith("usage: kokeilu diff")


PROBE = """
import sys, io, contextlib
from kokeilu.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main({argv!r}) == 0
print(sorted({{m.split(".")[0] for m in sys.modules}} & {{"polars", "tomlkit", "textual"}}))
"""


def heavy_imports(argv: list[str]) -> str:
    probe = PROBE.format(argv=argv)
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_diff_and_log_stay_light_unless_an_allocation_may_have_moved(history: Path) -> None:
    assert heavy_imports(["-f", str(history), "log"]) == "[]"
    assert heavy_imports(["-f", str(history), "diff", "HEAD~2", "HEAD~1"]) == "['polars']"
    assert heavy_imports(["-f", str(history), "diff", "HEAD~1"]) == "[]"  # a region moves none
    text = history.read_text(encoding="utf-8")
    history.write_text(text.replace('roles = ["info"]', 'roles = ["info", "distribution"]'))
    assert heavy_imports(["-f", str(history), "diff"]) == "[]"


def test_a_history_refresh_starts_four_git_processes_however_many_versions_it_reads(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One `cat-file --batch` reads every version (it was one `git cat-file blob` per version);
    a refresh that lists only commits already described reads none."""
    from kokeilu.history import versions

    text = registry.read_text(encoding="utf-8")
    for n in range(1, 13):
        new = text.replace("kuopio = 6757", f"kuopio = {6757 + n}")
        registry.write_text(new, encoding="utf-8")
        git(registry.parent, "commit", "-q", "-am", f"edit {n}")
    started: list[list[str]] = []
    popen = subprocess.Popen.__init__

    def counting(self: subprocess.Popen[Any], args: Any, *rest: Any, **kw: Any) -> None:
        started.append(list(args))
        popen(self, args, *rest, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", counting)
    found = versions.FileHistory(registry)
    rows, dirty = found.log(200), found.pending()
    assert len(rows) == 13 and not dirty
    assert rows[0][3] == "Kuopio: caseload 2020-12 6768 → 6769"
    assert len(started) == 4 and sum("--batch" in a for a in started) == 1
    started.clear()
    found = versions.FileHistory(registry)
    assert (found.log(200), found.pending()) == (rows, dirty)
    assert len(started) == 3 and not any("--batch" in a for a in started)
