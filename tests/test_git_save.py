"""Saving commits: each edit its own commit, in words, by its editor; nothing lost when many save."""

from __future__ import annotations

import datetime as dt
import os
import pwd
import random
import select
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import run_kokeilu
from gitrepo import git, make_repo, subjects

from kokeilu import rules
from kokeilu.cli.caseloads import save
from kokeilu.editing import edits
from kokeilu.history import git as git_module
from kokeilu.registry.load import load, parse
from kokeilu.store.session import Session
from kokeilu.store.store import Store

TODAY = dt.date(2026, 11, 27)
# The account running the tests, as git is told it: the login, at this host.
ACCOUNT = pwd.getpwuid(os.getuid()).pw_name
ME = f"{ACCOUNT} <{ACCOUNT}@{socket.gethostname()}>"
MAIJA = "Maija Meikäläinen <maija@kuopio.example>"


def add_maija(registry: Path) -> None:
    """Maija's entry in the people table, committed."""
    text = registry.read_text(encoding="utf-8")
    text += '\n[people.maija]\nname = "Maija Meikäläinen"\nemail = "maija@kuopio.example"\nroles = ["project_group"]\n'
    registry.write_text(text, encoding="utf-8")
    git(registry.parent, "commit", "-qam", "people")


@pytest.fixture
def repo_registry(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def test_each_saved_edit_is_one_commit_of_the_file_alone(repo_registry: Path) -> None:
    repo = repo_registry.parent
    (repo / "notes.txt").write_text("someone's unrelated work\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    session = Session(repo_registry, today=TODAY)
    session.open()
    saved = session.apply(
        edits.record_decision(
            session.document.data,
            "iisalmi",
            outcome="approved",
            body="kaupunginhallitus",
            date=dt.date(2019, 11, 18),
            minutes="§ 301",
        )
    )
    assert saved.commit.sha == git(repo, "rev-parse", "HEAD").strip()
    assert subjects(repo)[0] == "Iisalmi: päätös hyväksytty (kaupunginhallitus 18.11.2019 § 301)"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["pohjois-savo.toml"]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    # The account, not git's configured user (Test Admin), is author and committer.
    assert git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == f"{ME}|{ME}\n"
    session.undo()
    assert subjects(repo)[:2] == [
        "Kumottu: Iisalmi: päätös hyväksytty (kaupunginhallitus 18.11.2019 § 301)",
        "Iisalmi: päätös hyväksytty (kaupunginhallitus 18.11.2019 § 301)",
    ]


def test_the_author_and_committer_are_the_accounts_entry_in_the_people_table(
    repo_registry: Path,
) -> None:
    add_maija(repo_registry)
    store = Store(repo_registry, login="maija")
    store.read()
    store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 6800), TODAY)
    assert git(repo_registry.parent, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == (
        f"{MAIJA}|{MAIJA}\n"
    )


def test_without_a_git_identity_the_login_name_commits(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo", user=False)
    env = {"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    result = run_kokeilu("-f", str(registry), "set-caseload", "kuopio", "2020-12", "6800", env=env)
    assert result.returncode == 0, result.stderr
    assert git(registry.parent, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == f"{ME}|{ME}\n"


def test_the_environment_does_not_say_who_commits(repo_registry: Path) -> None:
    """LOGNAME, USER, git's identity variables and EMAIL are the caller's: none of them counts,
    not even when they name a person in the people table."""
    add_maija(repo_registry)
    env = {
        "LOGNAME": "maija",
        "USER": "maija",
        "GIT_AUTHOR_NAME": "x",
        "GIT_AUTHOR_EMAIL": "x@example.org",
        "GIT_AUTHOR_DATE": "2001-01-01T00:00:00",
        "GIT_COMMITTER_NAME": "y",
        "GIT_COMMITTER_EMAIL": "y@example.org",
        "EMAIL": "z@example.org",
    }
    result = run_kokeilu(
        "-f", str(repo_registry), "set-caseload", "kuopio", "2020-12", "6800", env=env
    )
    assert result.returncode == 0, result.stderr
    assert git(repo_registry.parent, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == (
        f"{ME}|{ME}\n"
    )
    assert not git(repo_registry.parent, "log", "-1", "--format=%ad").startswith("Mon Jan 1")


def test_the_login_is_the_real_uids_account(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "pekka")
    assert git_module.login() == ACCOUNT


def test_outside_a_repository_saving_works_and_says_so(bundled_copy: Path) -> None:
    result = run_kokeilu("-f", str(bundled_copy), "set-caseload", "kuopio", "2020-12", "6800")
    assert result.returncode == 0
    assert result.stdout == (
        "Kuopio: caseload 2020-12 6757 → 6800\nnot committed: the registry is not in a git repository\n"
    )
    assert "kuopio = 6800" in bundled_copy.read_text(encoding="utf-8")


def test_no_commit_leaves_the_change_uncommitted(repo_registry: Path) -> None:
    result = run_kokeilu(
        "set-caseload", "kuopio", "2020-12", "6800", "--no-commit", "-f", str(repo_registry)
    )
    assert result.returncode == 0
    assert result.stdout.endswith("not committed: --no-commit\n")
    assert subjects(repo_registry.parent) == ["registry"]
    assert git(repo_registry.parent, "status", "--porcelain") == " M pohjois-savo.toml\n"


def test_git_failing_is_reported_in_its_own_words(repo_registry: Path) -> None:
    hook = repo_registry.parent / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\necho 'registry frozen for the audit' >&2\nexit 1\n", encoding="utf-8"
    )
    hook.chmod(0o755)
    result = run_kokeilu("-f", str(repo_registry), "set-caseload", "kuopio", "2020-12", "6800")
    assert result.returncode == 1
    assert "saved, but git could not commit: registry frozen for the audit" in result.stderr
    assert "kuopio = 6800" in repo_registry.read_text(encoding="utf-8")


def test_a_commit_waits_while_another_git_holds_the_index_lock(repo_registry: Path) -> None:
    lock = repo_registry.parent / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kokeilu",
            "-f",
            str(repo_registry),
            "set-caseload",
            "kuopio",
            "2020-12",
            "6800",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    lock.unlink()
    _out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert subjects(repo_registry.parent)[0] == "Kuopio: asiakasmäärä 2020-12 6757 → 6800"


def test_cli_conflict_names_both_values_and_writes_nothing(repo_registry: Path, capsys) -> None:
    stale = Store(repo_registry)
    stale.read()
    mine = edits.set_caseload(stale.document.data, "kuopio", "2020-12", 6800)
    other = Store(repo_registry)
    other.read()
    other.save(edits.set_caseload(other.document.data, "kuopio", "2020-12", 7100), TODAY)
    before = repo_registry.read_bytes()
    assert save(stale, mine, str(repo_registry)) == 1
    err = capsys.readouterr().err
    assert "someone else changed this value to 7100 while you set it to 6800" in err
    assert repo_registry.read_bytes() == before


WRITER = textwrap.dedent(
    """
    import sys
    from kokeilu.editing import edits
    from kokeilu.store.store import Store
    store = Store(sys.argv[1], commit=sys.argv[4] == "commit")
    store.read()
    for i in range(int(sys.argv[3])):
        store.save(edits.set_caseload(store.document.data, sys.argv[2], "2020-12", 1000 + i))
    """
)


def test_two_processes_saving_fifty_edits_each_lose_nothing(repo_registry: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(repo_registry), party, "50", "commit"])
        for party in ("iisalmi", "vierema")
    ]
    for p in procs:
        assert p.wait(timeout=300) == 0
    doc = load(repo_registry)
    assert doc.registry.caseloads["2020-12"]["iisalmi"] == 1049
    assert doc.registry.caseloads["2020-12"]["vierema"] == 1049
    log = subjects(repo_registry.parent)
    assert len(log) == 101
    for party in ("Iisalmi", "Vieremä"):
        assert sum(1 for s in log if s.startswith(f"{party}: asiakasmäärä 2020-12")) == 50
    assert [
        d for d in doc.diagnostics + rules.check(doc.registry, TODAY) if d.severity == "error"
    ] == []


def _forked_writer(registry: Path, ready: int, base: int) -> None:
    """In a forked child (kokeilu already imported): say when reading is done, then save on,
    saying when each save is done."""
    try:
        store = Store(registry, commit=False)
        store.read()
        os.write(ready, b"r")
        for i in range(1000):
            store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", base + i))
            os.write(ready, b"s")
    finally:
        os._exit(1)  # only a SIGKILL may end it: an exit is a writer that failed or ran out


def _next_word(pipe: int) -> tuple[bytes, float]:
    """The writer's next word on `pipe`, and when it came."""
    assert select.select([pipe], [], [], 60)[0], "the writer fell silent"
    return os.read(pipe, 1), time.monotonic()


def test_a_writer_killed_at_any_moment_leaves_the_old_or_the_new_file(bundled_copy: Path) -> None:
    original = bundled_copy.read_text(encoding="utf-8")
    rng = random.Random(20261127)
    saved = done_first = 0
    for n in range(50):
        before = bundled_copy.read_text(encoding="utf-8")
        ready_r, ready_w = os.pipe()
        pid = os.fork()  # no interpreter to start: the kill lands among the saves at once
        if pid == 0:
            _forked_writer(bundled_copy, ready_w, 1000 * (n + 1))  # each its own values
        os.close(ready_w)
        try:
            word, start = _next_word(ready_r)
            assert word == b"r", "the writer never read the file"
            # Let 0-2 saves finish, then kill anywhere in the next one: however slow a save is
            # here (the plain path, a loaded machine), the kill falls inside or just after it.
            whole = rng.randint(0, 2)
            last = start
            length = 0.0
            for _ in range(whole):
                word, at = _next_word(ready_r)
                assert word == b"s"
                length, last = at - last, at
            done_first += whole > 0
            time.sleep(rng.uniform(0.0, 1.5 * length if length else 0.05))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        finally:
            os.close(ready_r)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
        after = bundled_copy.read_text(encoding="utf-8")
        doc = parse(after)  # never half a file
        lines = [
            (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
        ]
        assert len(lines) <= 1 and all(a.startswith("kuopio = ") for a, _ in lines)
        assert doc.registry.caseloads["2020-12"]["kuopio"] >= 1000 or after == original
        saved += after != before
    # Every writer that said a save was done left a changed file.
    assert saved >= done_first >= 10, (saved, done_first)
    # A killed writer may leave its temporary file; the next save, holding the lock, clears it.
    store = Store(bundled_copy, commit=False)
    store.read()
    store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 5), TODAY)
    assert [p.name for p in bundled_copy.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_set_caseload_from_two_shells_at_once_gives_thirty_commits(repo_registry: Path) -> None:
    loop = 'for i in $(seq 1 15); do "$0" -m kokeilu -f "$1" set-caseload "$2" 2020-12 $((2000 + i)) >/dev/null || exit 1; done'
    shells = [
        subprocess.Popen(["bash", "-c", loop, sys.executable, str(repo_registry), party])
        for party in ("joroinen", "sonkajarvi")
    ]
    assert [s.wait(timeout=300) for s in shells] == [0, 0]
    caseloads = load(repo_registry).registry.caseloads["2020-12"]
    assert (caseloads["joroinen"], caseloads["sonkajarvi"]) == (2015, 2015)
    assert len(subjects(repo_registry.parent)) == 31


def test_the_author_follows_the_people_table_from_one_save_to_the_next(
    repo_registry: Path,
) -> None:
    store = Store(repo_registry, login="maija")
    store.read()
    store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 6800), TODAY)
    me = {"name": "Maija Meikäläinen", "email": "maija@kuopio.example", "roles": ["info"]}
    store.save(edits.put_entry(store.document.data, "people", "maija", me), TODAY)
    store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 6900), TODAY)
    store.save(edits.put_entry(store.document.data, "people", "maija", None), TODAY)
    store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 7000), TODAY)
    authors = git(repo_registry.parent, "log", "-5", "--format=%an <%ae>").splitlines()
    # Each commit is by whom the registry it writes names for the login.
    login = f"maija <maija@{socket.gethostname()}>"
    assert authors == [login, login, MAIJA, MAIJA, login]  # removing her, adding her: hers


def test_a_registry_untracked_during_a_session_is_committed_again(repo_registry: Path) -> None:
    repo = repo_registry.parent
    store = Store(repo_registry)
    store.read()
    store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 6800), TODAY)
    git(repo, "rm", "-q", "--cached", repo_registry.name)
    git(repo, "commit", "-qm", "untrack")
    saved = store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 6900), TODAY)
    assert saved.commit.sha == git(repo, "rev-parse", "HEAD").strip()
    assert "kuopio = 6900" in git(repo, "show", f"HEAD:{repo_registry.name}")


@pytest.mark.parametrize(
    ("registry_language", "ui_language", "subject", "undo"),
    [
        (
            "fi",
            "en",
            "Iisalmi: päätös hyväksytty (kaupunginhallitus 18.11.2019 § 301); "
            "Iisalmi: asiakasmäärä 2020-12 1304 → 1400",
            "Kumottu: ",
        ),
        (
            "en",
            "fi",
            "Iisalmi: decision approved (kaupunginhallitus 18.11.2019 § 301); "
            "Iisalmi: caseload 2020-12 1304 → 1400",
            "Undo: ",
        ),
    ],
)
def test_commit_subjects_are_in_the_registrys_language_whoever_saves(
    repo_registry: Path,
    monkeypatch: pytest.MonkeyPatch,
    registry_language: str,
    ui_language: str,
    subject: str,
    undo: str,
) -> None:
    """The history speaks one language, the registry's; what the editor reads stays in theirs."""
    text = repo_registry.read_text(encoding="utf-8")
    assert 'language = "fi"' in text
    mine = text.replace('language = "fi"', f'language = "{registry_language}"', 1)
    repo_registry.write_text(mine, encoding="utf-8")
    git(repo_registry.parent, "commit", "-q", "--allow-empty", "-am", "language")
    monkeypatch.setenv("KOKEILU_LANG", ui_language)
    session = Session(repo_registry, today=TODAY)
    data = session.open().data
    decision = edits.record_decision(
        data,
        "iisalmi",
        outcome="approved",
        body="kaupunginhallitus",
        date=dt.date(2019, 11, 18),
        minutes="§ 301",
    )
    both = edits.together([decision, edits.set_caseload(data, "iisalmi", "2020-12", 1400)])
    session.apply(both)
    session.undo()
    assert subjects(repo_registry.parent)[:2] == [undo + subject, subject]
    on_screen = both.describe()
    assert on_screen != subject and ("päätös" in on_screen) == (ui_language == "fi")


def test_a_registry_without_a_language_commits_in_finnish(repo_registry: Path) -> None:
    text = repo_registry.read_text(encoding="utf-8")
    repo_registry.write_text(text.replace('language = "fi"', "", 1), encoding="utf-8")
    git(repo_registry.parent, "commit", "-qam", "no language")
    assert load(repo_registry).registry.language == "fi"
    session = Session(repo_registry, today=TODAY)
    session.open()
    session.apply(edits.set_caseload(session.document.data, "kuopio", "2020-12", 6800))
    assert subjects(repo_registry.parent)[0] == "Kuopio: asiakasmäärä 2020-12 6757 → 6800"
