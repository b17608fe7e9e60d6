"""The registry as a file among files: revisions that look like options, symbolic links,
read-only files and folders, full disks, lost locks, a byte order mark, CRLF line ends.

Each refusal is checked as a user meets it: the exit code, the one line on stderr, the file's
bytes unchanged and no temporary file left. Real mechanisms only: a real symlink, real modes,
a real unprivileged user, a real file size limit (RLIMIT_FSIZE) and a real full tmpfs.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT, run_kokeilu
from gitrepo import git, make_repo, subjects

from kokeilu.editing import edits
from kokeilu.history import git as kgit
from kokeilu.history.git import GitError
from kokeilu.registry.load import load
from kokeilu.store.store import Store, Unwritable, lock_path, locked
from kokeilu.text.strings import t

HINT = "(give a commit id, a branch, a tag or HEAD~N)"
NOTHING = "nothing written"
SAVE = ("--no-commit", "set-caseload", "kuopio", "2020-12", "6800")


@pytest.fixture
def repo_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return make_repo(tmp_path / "repo")


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def temporaries(folder: Path) -> list[str]:
    return [name for name in listing(folder) if name.endswith(".tmp")]


# --- Revisions never reach git as options -----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "--", "--output=X"),
        ("diff", "--output=X"),
        ("diff", "HEAD", "--output=X"),
        ("log", "--", "--output=X"),
        ("log", "--output=X"),
    ],
    ids=["diff--", "diff", "diff-second", "log--", "log"],
)
def test_a_revision_that_looks_like_an_option_writes_no_file_and_is_one_line(
    repo_registry: Path, args: tuple[str, ...]
) -> None:
    repo = repo_registry.parent
    before = listing(repo)
    result = run_kokeilu("-f", str(repo_registry), *args, cwd=repo)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"{repo_registry}: error: not a commit: --output=X {HINT}\n"
    assert listing(repo) == before


def test_log_from_a_revision_names_the_commits_up_to_it(repo_registry: Path) -> None:
    store = Store(repo_registry)
    store.read()
    assert store.document is not None
    store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 6800))
    whole = run_kokeilu("-f", str(repo_registry), "log")
    assert whole.returncode == 0 and len(whole.stdout.splitlines()) == 2
    older = run_kokeilu("-f", str(repo_registry), "log", "HEAD~1")
    assert older.returncode == 0

    def words(out: str) -> list[str]:  # the author column is as wide as the widest author shown
        return [" ".join(line.split()) for line in out.splitlines()]

    assert words(older.stdout) == words(whole.stdout)[1:]
    wrong = run_kokeilu("-f", str(repo_registry), "log", "HEAD~5")
    assert (wrong.returncode, wrong.stderr) == (
        1,
        f"{repo_registry}: error: not a commit: HEAD~5 {HINT}\n",
    )


def test_a_revision_with_a_path_is_not_a_commit(repo_registry: Path) -> None:
    result = run_kokeilu("-f", str(repo_registry), "diff", "HEAD:pohjois-savo.toml")
    assert result.returncode == 1
    assert result.stderr == (
        f"{repo_registry}: error: not a commit: HEAD:pohjois-savo.toml {HINT}\n"
    )


def test_commit_of_refuses_an_option_before_git_sees_it(repo_registry: Path) -> None:
    repo = repo_registry.parent
    assert kgit.commit_of(repo, "HEAD") == git(repo, "rev-parse", "HEAD").strip()
    for rev in ("--output=X", "-p", ""):
        with pytest.raises(GitError, match="not a commit"):
            kgit.commit_of(repo, rev)
    assert listing(repo) == [".git", ".gitignore", "pohjois-savo.toml"]


def test_git_that_cannot_be_started_is_a_git_error_not_a_traceback(repo_registry: Path) -> None:
    # No process can be given a NUL byte: subprocess raises ValueError before git runs.
    with pytest.raises(GitError, match="git could not be run: embedded null byte"):
        kgit.run(repo_registry.parent, "log", "a\x00b")


def test_a_commit_step_that_fails_after_the_write_is_reported_not_raised(
    repo_registry: Path,
) -> None:
    """The editor's name (their people entry) holds a NUL: git cannot be given it."""
    store = Store(repo_registry, login="nul")
    store.read()
    assert store.document is not None
    person = {"name": "Nul\x00Name", "organisation": "Testi", "roles": ["info"]}
    saved = store.save(edits.put_entry(store.document.data, "people", "nul", person))
    assert "nul" in load(repo_registry).data["people"]  # written, and said so
    # Committed (when the message and the author were made safe) or reported: never raised.
    assert saved.commit.sha or saved.commit.error
    if saved.commit.error:
        assert subjects(repo_registry.parent) == ["registry"]


# --- Symbolic links ---------------------------------------------------------------------------


def test_a_symlinked_registry_is_written_through_and_committed_where_its_target_is(
    repo_registry: Path, tmp_path: Path
) -> None:
    links = tmp_path / "links"
    links.mkdir()
    link = links / "registry.toml"
    link.symlink_to(repo_registry)
    result = run_kokeilu("-f", str(link), "set-caseload", "kuopio", "2020-12", "6800")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.readlink() == repo_registry
    assert "kuopio = 6800" in repo_registry.read_text(encoding="utf-8")
    assert listing(links) == ["registry.toml"]  # no lock, no temporary file beside the link
    repo = repo_registry.parent
    assert subjects(repo) == ["Kuopio: asiakasmäärä 2020-12 6757 → 6800", "registry"]
    assert git(repo, "status", "--porcelain") == ""


def test_a_symlink_to_a_file_outside_any_repository_edits_the_file_and_says_so(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real" / "registry.toml"
    real.parent.mkdir()
    shutil.copyfile(BUNDLED, real)
    link = tmp_path / "link.toml"
    link.symlink_to(Path("real") / "registry.toml")  # a relative link
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = run_kokeilu("-f", str(link), "set-caseload", "kuopio", "2020-12", "6800", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("not committed: the registry is not in a git repository\n")
    assert link.is_symlink() and link.readlink() == Path("real") / "registry.toml"
    assert "kuopio = 6800" in real.read_text(encoding="utf-8")
    assert lock_path(link) == real.parent / ".registry.toml.lock"


# --- Files and folders that cannot be written -------------------------------------------------


def test_a_read_only_registry_is_refused_not_replaced(repo_registry: Path) -> None:
    repo_registry.chmod(0o444)
    before = repo_registry.read_bytes()
    inode = repo_registry.stat().st_ino
    result = run_kokeilu("-f", str(repo_registry), "set-caseload", "kuopio", "2020-12", "6800")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{repo_registry}: error: the registry is read-only (mode 0444); {NOTHING}\n"
    )
    assert repo_registry.read_bytes() == before
    assert repo_registry.stat().st_ino == inode
    assert subjects(repo_registry.parent) == ["registry"]


def test_a_read_only_registry_behind_a_symlink_is_refused(
    repo_registry: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(repo_registry)
    repo_registry.chmod(0o440)
    before = repo_registry.read_bytes()
    result = run_kokeilu("-f", str(link), "set-caseload", "kuopio", "2020-12", "6800")
    assert (result.returncode, result.stderr) == (
        1,
        f"{link}: error: the registry is read-only (mode 0440); {NOTHING}\n",
    )
    assert repo_registry.read_bytes() == before and link.is_symlink()


def _unprivileged() -> list[str]:
    """How to run a command as a user that permission bits stop ([] when not root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: no unprivileged user to run as")
    command = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = subprocess.run(
        [*command, sys.executable, "-c", "import kokeilu"], capture_output=True, cwd=ROOT
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot run kokeilu as nobody: {probe.stderr.decode(errors='replace')}")
    return command


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder outside pytest's private tmp (which nobody may enter), writable by root only."""
    folder = Path(tempfile.mkdtemp(prefix="kokeilu-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("lock_exists", [True, False], ids=["temporary-file", "lock-file"])
def test_a_folder_that_cannot_be_written_refuses_the_save_in_one_line(
    read_only_folder: Path, lock_exists: bool
) -> None:
    as_user = _unprivileged()
    registry = read_only_folder / "registry.toml"
    shutil.copyfile(BUNDLED, registry)
    registry.chmod(0o666)  # the file itself may be written: only the folder says no
    lock = lock_path(registry)
    if lock_exists:
        lock.touch()
        lock.chmod(0o666)
    read_only_folder.chmod(0o555)
    before = registry.read_bytes()
    result = subprocess.run(
        [*as_user, sys.executable, "-m", "kokeilu", "-f", str(registry), *SAVE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("KOKEILU_")},
    )
    assert result.returncode == 1
    if lock_exists:
        why = f"cannot write the registry: Permission denied; {NOTHING}"
    else:
        why = f"cannot take the lock {lock}: Permission denied; {NOTHING}"
    assert result.stderr == f"{registry}: error: {why}\n"
    assert registry.read_bytes() == before
    assert temporaries(read_only_folder) == []


def _file_size_limit(limit: int) -> None:
    """In the child: files may grow to `limit` bytes; beyond, write() fails with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_file_size_limit_refuses_the_save_and_leaves_no_temporary_file(
    bundled_copy: Path,
) -> None:
    before = bundled_copy.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "kokeilu", "-f", str(bundled_copy), *SAVE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("KOKEILU_")},
        preexec_fn=lambda: _file_size_limit(len(before) // 2),
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"{bundled_copy}: error: cannot write the registry: File too large; {NOTHING}\n"
    )
    assert bundled_copy.read_bytes() == before
    assert temporaries(bundled_copy.parent) == []


def test_a_full_disk_refuses_the_save_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A tmpfs just big enough for the registry, mounted in a mount namespace of its own."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare(1)")
    size = len(BUNDLED.read_bytes())
    pages = -(-size // 4096) + 1  # the file, and one page: the temporary file cannot fit
    mount = tmp_path / "mnt"
    mount.mkdir()
    registry = mount / "registry.toml"
    paths = (str(BUNDLED), str(registry), sys.executable)
    script = (
        'mount -t tmpfs -o size="$1" tmpfs "$2" || exit 99\n'
        'cp "$3" "$4" && sha256sum "$4" | cut -c1-64\n'
        '"$5" -m kokeilu -f "$4" --no-commit set-caseload kuopio 2020-12 6800 2>&1\n'
        'echo "exit $?"\n'
        'sha256sum "$4" | cut -c1-64\n'
        'ls -A "$2"\n'
    )
    result = subprocess.run(
        [unshare, "-m", "sh", "-c", script, "sh", str(pages * 4096), str(mount), *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("KOKEILU_")},
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    digest = hashlib.sha256(BUNDLED.read_bytes()).hexdigest()
    assert result.stdout.splitlines() == [
        digest,
        f"{registry}: error: cannot write the registry: No space left on device; {NOTHING}",
        "exit 1",
        digest,
        ".registry.toml.lock",
        "registry.toml",
    ]


def test_a_lock_file_that_cannot_be_opened_refuses_the_save(bundled_copy: Path) -> None:
    lock = lock_path(bundled_copy)
    lock.mkdir()  # in the lock file's place: a folder, which cannot be opened for writing
    before = bundled_copy.read_bytes()
    result = run_kokeilu("-f", str(bundled_copy), "set-caseload", "kuopio", "2020-12", "6800")
    assert result.returncode == 1
    assert result.stderr == (
        f"{bundled_copy}: error: cannot take the lock {lock}: Is a directory; {NOTHING}\n"
    )
    assert bundled_copy.read_bytes() == before


def test_a_lock_file_removed_while_held_is_a_lost_lock(bundled_copy: Path) -> None:
    """Another writer would take a fresh lock file: the one who held the old one must not write."""
    with locked(bundled_copy) as lock:
        lock.check()
        lock_path(bundled_copy).unlink()
        with pytest.raises(Unwritable) as lost:
            lock.check()
        with locked(bundled_copy) as other:  # the next writer gets in, as feared
            other.check()
            lock_path(bundled_copy).unlink()
            lock_path(bundled_copy).touch()  # and replaced: not the same file either
            with pytest.raises(Unwritable):
                other.check()
    assert str(lost.value) == t("store.lock_lost", lock=lock_path(bundled_copy))
    assert str(lost.value).endswith(f"was removed during the save; {NOTHING}")


def _waiting_on(inode: int) -> bool:
    """Whether some process waits for a flock on the file `inode` (/proc/locks: `-> FLOCK`)."""
    with open("/proc/locks", encoding="ascii") as locks:
        return any("-> FLOCK" in line and line.split()[6].endswith(f":{inode}") for line in locks)


def test_a_lock_file_removed_while_a_writer_waits_is_taken_afresh(bundled_copy: Path) -> None:
    if not Path("/proc/locks").exists():
        pytest.skip("no /proc/locks to see a writer waiting")
    path = lock_path(bundled_copy)
    taken: list[int] = []
    failed: list[str] = []

    def second_writer() -> None:
        try:
            with locked(bundled_copy) as lock:
                lock.check()
                taken.append(os.fstat(lock.fd).st_ino)
        except Unwritable as exc:
            failed.append(str(exc))

    with locked(bundled_copy) as first:
        old = os.fstat(first.fd).st_ino
        writer = threading.Thread(target=second_writer)
        writer.start()
        deadline = time.monotonic() + 30
        while not _waiting_on(old):  # until the second writer waits on this lock file
            assert time.monotonic() < deadline, "the second writer never waited for the lock"
            time.sleep(0.01)
        path.unlink()
    writer.join()
    # It holds the lock file that is on disk now (where the next writer looks), not the removed one.
    assert failed == []
    assert taken == [path.stat().st_ino]


# --- Byte order mark and line ends ------------------------------------------------------------

BOM = b"\xef\xbb\xbf"


def test_a_registry_with_a_byte_order_mark_is_read_and_keeps_it_when_saved(
    bundled_copy: Path,
) -> None:
    original = BUNDLED.read_bytes()
    bundled_copy.write_bytes(BOM + original)
    check = run_kokeilu("-f", str(bundled_copy), "check")
    assert check.returncode == 0, check.stderr
    assert "Invalid statement" not in check.stdout + check.stderr
    saved = run_kokeilu(
        "-f", str(bundled_copy), "--no-commit", "set-caseload", "kuopio", "2021-01", "5"
    )
    assert saved.returncode == 0, saved.stderr
    written = bundled_copy.read_bytes()
    assert written.startswith(BOM + original[:40])
    assert written.count(BOM) == 1
    assert load(bundled_copy).data["caseloads"]["2021-01"] == {"kuopio": 5}


def test_an_error_in_a_file_with_a_byte_order_mark_is_placed_as_an_editor_shows_it(
    bundled_copy: Path,
) -> None:
    bundled_copy.write_bytes(BOM + b"schema = = 1\n")
    result = run_kokeilu("-f", str(bundled_copy), "check")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bundled_copy}:1:10: error: ")
    assert "\\ufeff" not in result.stderr


def test_restoring_a_text_keeps_its_byte_order_mark(bundled_copy: Path) -> None:
    bundled_copy.write_bytes(BOM + BUNDLED.read_bytes())
    store = Store(bundled_copy, commit=False)
    doc = store.read()
    assert doc.bom == BOM and not doc.text.startswith("\ufeff")
    bundled_copy.write_bytes(b"# a hand edit\n" + BUNDLED.read_bytes())
    store.read()  # the hand edit, as the dashboard reads it when the file changes
    store.restore(doc.text, doc.bom)
    assert bundled_copy.read_bytes() == BOM + BUNDLED.read_bytes()


def test_a_crlf_registry_stays_crlf_when_a_period_is_added(bundled_copy: Path) -> None:
    crlf = BUNDLED.read_bytes().replace(b"\n", b"\r\n")
    bundled_copy.write_bytes(crlf)
    result = run_kokeilu(
        "-f", str(bundled_copy), "--no-commit", "set-caseload", "kuopio", "2021-01", "5"
    )
    assert result.returncode == 0, result.stderr
    written = bundled_copy.read_bytes()
    assert re.findall(rb"(?<!\r)\n", written) == []
    assert written.startswith(crlf)
    assert written[len(crlf) :] == b'\r\n[caseloads."2021-01"]\r\nkuopio = 5\r\n'


def test_a_crlf_registry_stays_crlf_when_a_person_is_added(bundled_copy: Path) -> None:
    bundled_copy.write_bytes(BUNDLED.read_bytes().replace(b"\n", b"\r\n"))
    store = Store(bundled_copy, commit=False)
    doc = store.read()
    person = {"name": "Uusi Henkilö", "organisation": "Testi", "roles": ["info"]}
    store.save(edits.put_entry(doc.data, "people", "uusi", person))
    written = bundled_copy.read_bytes()
    assert b"\r\n" in written and re.findall(rb"(?<!\r)\n", written) == []
    assert load(bundled_copy).data["people"]["uusi"]["name"] == "Uusi Henkilö"


# --- The dashboard --------------------------------------------------------------------------


async def test_the_dashboard_says_a_read_only_registry_cannot_be_saved(bundled_copy: Path) -> None:
    from tui_helpers import dashboard, go_to_row, notifications, press, row, type_text

    bundled_copy.chmod(0o444)
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        await go_to_row(pilot, "resources-table", "iisalmi")
        await press(pilot, "enter")
        await type_text(pilot, "1400")
        await press(pilot, "enter")
        reason = t("store.read_only", mode="0444")
        assert reason == f"the registry is read-only (mode 0444); {NOTHING}"
        assert notifications(pilot)[-1] == (
            "error",
            t("ui.not_saved"),
            t("ui.save_error", reason=reason),
        )
        assert row(pilot, "resources-table", "iisalmi")[1] == "1 304"
    assert bundled_copy.read_bytes() == before


async def test_discarding_a_hand_edit_of_a_read_only_registry_is_refused_with_a_notice(
    repo_registry: Path,
) -> None:
    from tui_helpers import dashboard, notifications, press, rewrite, settle

    rewrite(repo_registry, ("vierema = 191", "vierema = 200"))
    repo_registry.chmod(0o444)
    before = repo_registry.read_bytes()
    async with dashboard(repo_registry) as pilot:
        await press(pilot, "7")
        await settle(pilot)
        await press(pilot, "x")
        await press(pilot, "y")
        await settle(pilot)
        reason = f"the registry is read-only (mode 0444); {NOTHING}"
        assert notifications(pilot)[-1] == ("error", "", reason)
        assert pilot.app.main.state.registry.caseloads["2020-12"]["vierema"] == 200
    assert repo_registry.read_bytes() == before


# --- Paths and files that are no registry -----------------------------------------------------

# The reported path: an OSC title sequence ending in BEL, a C1 CSI, a bidi override, a newline.
ESCAPING = "e\x1b]0;T\x07\x9b\u202e\nx.toml"
ESCAPED = "e\\x1b]0;T\\x07\\x9b\\u202e\\nx.toml"


def _hidden_in_path(path: str) -> str:
    return (
        f"{path}: error: the registry's path holds control or format characters (shown escaped); "
        "rename the file or give another path\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["status"],
        ["set-caseload", "kuopio", "2020-12", "6800"],
        ["log"],
        ["diff", "not-a-commit"],
        ["session"],
        [],  # the dashboard (refused before it looks for a terminal)
    ],
    ids=lambda args: args[0] if args else "dashboard",
)
def test_a_registry_path_with_control_characters_is_refused_escaped(
    tmp_path: Path, args: list[str]
) -> None:
    registry = tmp_path / ESCAPING
    shutil.copyfile(BUNDLED, registry)
    before = registry.read_bytes()
    result = run_kokeilu("-f", str(registry), *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == _hidden_in_path(f"{tmp_path}/{ESCAPED}")
    assert registry.read_bytes() == before


def test_a_registry_path_from_the_environment_with_control_characters_is_refused(
    tmp_path: Path,
) -> None:
    registry = tmp_path / ESCAPING
    shutil.copyfile(BUNDLED, registry)
    result = run_kokeilu("check", env={"KOKEILU_FILE": str(registry)})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == _hidden_in_path(f"{tmp_path}/{ESCAPED}")


def _not_regular(path: Path | str, kind: str) -> str:
    return (
        f"{path}: error: not a regular file ({kind}); a registry is read only from a regular file\n"
    )


@pytest.mark.parametrize("args", [["check"], ["status"], SAVE], ids=["check", "status", "save"])
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(
    tmp_path: Path, args: tuple[str, ...] | list[str]
) -> None:
    fifo = tmp_path / "registry.toml"
    os.mkfifo(fifo)
    result = run_kokeilu("-f", str(fifo), *args)  # run_kokeilu's timeout: a hang fails the test
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == _not_regular(fifo, "a named pipe (FIFO)")


@pytest.mark.parametrize("args", [["check"], SAVE], ids=["check", "save"])
def test_dev_zero_is_refused_without_reading_it(args: tuple[str, ...] | list[str]) -> None:
    # A 1 GiB address space: reading /dev/zero to its end would end in MemoryError, not eat
    # the machine's memory.
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))"
    code = f"{limit}; from kokeilu.cli import main; raise SystemExit(main())"
    result = subprocess.run(
        [sys.executable, "-c", code, "-f", "/dev/zero", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == _not_regular("/dev/zero", "a character device")


def test_a_folder_and_a_socket_are_refused_as_no_registry(tmp_path: Path) -> None:
    import socket

    folder = tmp_path / "registry.toml"
    folder.mkdir()
    result = run_kokeilu("-f", str(folder), "check")
    assert (result.returncode, result.stderr) == (2, _not_regular(folder, "a folder"))
    # AF_UNIX paths are short: the socket lives in a short folder of its own.
    short = Path(tempfile.mkdtemp(prefix="k"))
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(short / "s.toml"))
            result = run_kokeilu("-f", str(short / "s.toml"), "check")
        assert (result.returncode, result.stderr) == (2, _not_regular(short / "s.toml", "a socket"))
    finally:
        shutil.rmtree(short)


@pytest.fixture
def immutable(bundled_copy: Path) -> Iterator[Path]:
    """The bundled copy made immutable with `chattr +i` (skipped, outside CI, where it cannot be)."""
    made = subprocess.run(["chattr", "+i", str(bundled_copy)], capture_output=True, text=True)
    if made.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"chattr +i failed in CI: {made.stderr}")
        pytest.skip(f"chattr +i does not work here: {made.stderr.strip()}")
    try:
        yield bundled_copy
    finally:
        subprocess.run(["chattr", "-i", str(bundled_copy)], check=True)


def test_an_immutable_registry_is_refused_with_the_os_reason(immutable: Path) -> None:
    assert immutable.stat().st_mode & 0o777 == 0o644  # the mode would let it be written
    before = immutable.read_bytes()
    result = run_kokeilu("-f", str(immutable), *SAVE)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"{immutable}: error: cannot write the registry: Operation not permitted; {NOTHING}\n"
    )
    assert immutable.read_bytes() == before
    assert temporaries(immutable.parent) == []


async def test_the_dashboard_says_a_registry_replaced_by_a_named_pipe_is_no_registry(
    bundled_copy: Path, tmp_path: Path
) -> None:
    from tui_helpers import current_view, dashboard, settle, static_text

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # A writer that opens the pipe and closes it at once: a reader that opened it would read an
    # empty file, so that a dashboard that waits for a writer fails this test, never hangs it.
    writer = threading.Thread(
        target=lambda: os.close(os.open(bundled_copy, os.O_WRONLY)), daemon=True
    )
    try:
        async with dashboard(bundled_copy) as pilot:
            os.replace(fifo, bundled_copy)
            writer.start()
            pilot.app.main.watcher.check()
            await settle(pilot)
            assert current_view(pilot) == "broken"
            shown = static_text(pilot, "#broken-error").splitlines()
            assert _not_regular(bundled_copy, "a named pipe (FIFO)").rstrip("\n") in shown
    finally:
        # No reader came (as it should be): be the reader that lets the writer go.
        if writer.is_alive():
            os.close(os.open(bundled_copy, os.O_RDONLY | os.O_NONBLOCK))
            writer.join(timeout=60)


def test_the_dashboard_refuses_a_named_pipe_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kokeilu.tui import run_dashboard

    fifo = tmp_path / "registry.toml"
    os.mkfifo(fifo)
    assert run_dashboard(str(fifo)) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", _not_regular(fifo, "a named pipe (FIFO)"))
