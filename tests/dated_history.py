"""A registry's real git history with dated commits: nobody approved (2019-11-05), Kuopio
approved (2019-11-12), Siilinjärvi approved too (2019-11-20), every date in UTC."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import BUNDLED

# Both dates of each commit are given, and shown in UTC, so the history reads the same anywhere.
TZ = {"TZ": "UTC"}
AUTHOR = "Maija Testaaja"


def commit(repo: Path, message: str, when: str, author: str) -> str:
    env = {
        **os.environ,
        **TZ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "a@example.org",
    }
    subprocess.run(["git", "commit", "-qam", message], cwd=repo, env=env, check=True)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()


APPROVED = 'outcome = "approved"\ndate = {date}\nbody = "{body}"\nminutes = "{minutes}"\n'


def approve(file: Path, party: str, date: str, body: str, minutes: str) -> None:
    """Record `party`'s approval in the file (its pending decision becomes approved)."""
    text = file.read_text(encoding="utf-8")
    head = f'[parties.{party}.decision]\noutcome = "pending"\n'
    assert head in text
    done = f"[parties.{party}.decision]\n" + APPROVED.format(date=date, body=body, minutes=minutes)
    file.write_text(text.replace(head, done, 1), encoding="utf-8")


def dated_history(repo: Path) -> tuple[Path, list[str]]:
    """The registry in a new repository `repo` (in data/), with the three commits: returns the
    file and the commit ids, oldest first."""
    (repo / "data").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    file = repo / "data" / "registry.toml"
    text = BUNDLED.read_text(encoding="utf-8")
    kuopio = text.split("[parties.kuopio.decision]\n", 1)[1].split("\n\n", 1)[0]
    pending = text.replace(
        "[parties.kuopio.decision]\n" + kuopio, '[parties.kuopio.decision]\noutcome = "pending"', 1
    )
    file.write_text(pending, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    shas = [commit(repo, "registry", "2019-11-05T10:00:00+00:00", "Setup")]
    approve(file, "kuopio", "2019-11-11", "kaupunginhallitus", "§ 435")
    shas.append(commit(repo, "Kuopio approved", "2019-11-12T14:30:00+00:00", AUTHOR))
    approve(file, "siilinjarvi", "2019-11-18", "kunnanhallitus", "§ 210")
    shas.append(commit(repo, "Siilinjärvi approved", "2019-11-20T09:00:00+00:00", "Kalle K"))
    return file, shas
