"""Shared fixtures: the bundled registry, copies of it, and an environment that is the test's own."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from bench.deploy import build_wheel

# Bytecode caches, as an installed program has them: a shell that sets PYTHONDONTWRITEBYTECODE
# (this workplace does) would have every worker and each of the ~200 `python -m kokeilu` the
# tests start compile kokeilu's modules and the tests' again (~30 s of a run's CPU). The caches
# go to the `__pycache__` folders git ignores; what runs is the same code either way.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "pohjois-savo.toml"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. A dashboard test spends most of its time in Textual's Pilot
    waiting for the app to go idle (it polls every 20 ms after each key), and the deployment
    tests wait on pip and sshd: a second worker on a core runs while the first one waits."""
    return 2 * (os.cpu_count() or 1)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No registry path or language from the developer's shell leaks into a test, and the
    dashboard's remembered frames (kokeilu.tui.frames) go to a folder of the test's own."""
    monkeypatch.delenv("KOKEILU_FILE", raising=False)
    monkeypatch.delenv("KOKEILU_LANG", raising=False)
    monkeypatch.delenv("KOKEILU_FRAMES", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the bundled registry that a test may change."""
    target = tmp_path / "pohjois-savo.toml"
    shutil.copyfile(BUNDLED, target)
    return target


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """kokeilu's wheel, built once per run: the first worker to ask builds it, the others wait
    for it (a lock in the run's temporary folder, which the xdist workers share)."""
    run_folder = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # each worker's basetemp is a folder of the run's
        run_folder = run_folder.parent
    with (run_folder / "wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = sorted((run_folder / "wheel" / "dist").glob("kokeilu-*.whl"))
        return built[0] if built else build_wheel(run_folder / "wheel")


def run_kokeilu(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """kokeilu as a user runs it: a real process, its exit code, stdout and stderr."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KOKEILU_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kokeilu", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=120,
    )


# Hypothesis profiles. Each property test says how many examples it runs in CI, `examples(n)`:
# `ci` (the default) runs n, `dev` a fifth of it, `long` twenty times as many, for a longer hunt
# (HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py). A test with no count of its own runs 100.
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SCALE = {"ci": 1.0, "dev": 0.2, "long": 20.0}[PROFILE]


def examples(ci: int) -> int:
    """The number of examples for a property test that runs `ci` of them under the `ci` profile."""
    return max(1, round(ci * SCALE))


settings.register_profile("ci", max_examples=examples(100), deadline=None)
settings.register_profile("dev", max_examples=examples(100), deadline=None)
settings.register_profile("long", max_examples=examples(100), deadline=None)
settings.load_profile(PROFILE)
