"""README.md's two set-up commands stay true: CI runs the same test command a new user runs."""

from __future__ import annotations

import re

from conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_begins_with_exactly_two_setup_commands() -> None:
    commands = readme_commands()
    assert len(commands[:2]) == 2
    install_and_run, install_and_test = commands[:2]
    assert install_and_run.startswith("python3 -m venv .venv && ")
    assert install_and_run.endswith(".venv/bin/kokeilu -f data/pohjois-savo.toml")
    assert install_and_test.endswith(".venv/bin/pytest")
    assert "'.[test]'" in install_and_test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()
