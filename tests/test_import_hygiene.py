"""The core and the command line stay light: no Textual outside the dashboard, no polars in `check`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import BUNDLED

PROBE = """
import sys, io, contextlib
from kokeilu.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main({argv!r})
assert code == 0, code
print(sorted(m.split(".")[0] for m in sys.modules if m.split(".")[0] in {{"textual", "polars", "tomlkit", "rich"}}))
"""


def loaded_after(argv: list[str]) -> set[str]:
    """The heavy packages imported by running `kokeilu ARGV` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, check=True
    )
    return set(eval(result.stdout))


# The core: everything below the command line and the dashboard.
CORE = (
    "registry.model",
    "registry.schema",
    "registry.diagnostics",
    "text.strings",
    "text.display",
    "registry.locate",
    "registry.load",
    "registry.findings_report",
    "rules",
    "registry.values",
    "editing.edits",
    "history.semdiff",
    "history.git",
    "store.store",
    "store.session",
    "history.versions",
    "editing.sheets",
)


def test_importing_kokeilu_and_its_core_loads_no_textual_polars_or_tomlkit() -> None:
    code = (
        f"import sys, kokeilu, {', '.join('kokeilu.' + m for m in CORE)}, kokeilu.cli\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'polars', 'tomlkit'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_check_imports_neither_textual_nor_polars() -> None:
    assert loaded_after(["-f", str(BUNDLED), "check"]) == set()


@pytest.mark.parametrize(
    "argv",
    [["status"], ["status", "--json"], ["shares", "--provisional"], ["shares", "--format", "json"]],
)
def test_commands_other_than_the_dashboard_import_no_textual(argv: list[str]) -> None:
    assert "textual" not in loaded_after(["-f", str(BUNDLED), *argv])
