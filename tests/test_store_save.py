"""A save gives back exactly the registry that reading the written file gives, however it got there."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import BUNDLED, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from kokeilu import rules
from kokeilu.editing import edits
from kokeilu.editing.preview import plain_path
from kokeilu.registry.load import Unreadable, load
from kokeilu.store import store as store_module
from kokeilu.store.store import Rejected, Store

TODAY = dt.date(2026, 11, 27)
TEXTS = {"bundled": BUNDLED.read_text(encoding="utf-8"), "generated": generate(8, 3)}


def errors(doc) -> set:
    found = doc.diagnostics + rules.check(doc.registry, TODAY)
    return {(d.code, d.path) for d in found if d.severity == "error"}


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_document_a_save_returns_is_what_reading_the_file_gives(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "registry.toml"
        file.write_text(TEXTS[name], encoding="utf-8")
        store = Store(file, commit=False)
        store.read()
        for _ in range(4):
            doc = store.document
            party = data.draw(st.sampled_from([*doc.registry.parties, "uusikunta"]))
            period = data.draw(st.sampled_from([*doc.registry.caseloads, "2031-01"]))
            kind = data.draw(st.sampled_from(["caseload", "caseload", "status", "typed"]))
            if kind == "caseload":
                count = data.draw(st.integers(-3, 10**7))
                edit = edits.set_caseload(doc.data, party, period, count)
            elif kind == "status":
                status = data.draw(st.sampled_from(["party", "candidate", "withdrawn"]))
                edit = edits.set_status(doc.data, party, status)
            else:  # values the registry must refuse: a caseload in words, an unknown status
                path = data.draw(
                    st.sampled_from([("caseloads", period, party), ("parties", party, "status")])
                )
                edit = edits.Edit(
                    "test", (), (edits.Change(path, edits.value_at(doc.data, path), "many"),)
                )
            before = errors(doc)
            try:
                saved = store.save(edit, TODAY)
            except Rejected as exc:
                assert {(d.code, d.path) for d in exc.errors} - before
                assert file.read_text(encoding="utf-8") == doc.text
                continue
            fresh = load(file)
            assert saved.document.text == fresh.text
            assert saved.document.registry == fresh.registry
            assert saved.document.diagnostics == fresh.diagnostics
            assert errors(fresh) <= before


PROBE = """
import sys
from kokeilu.cli import main
code = main(["-f", sys.argv[1], "set-caseload", "kuopio", "2020-12", "6800", "--no-commit"])
print(code, "tomlkit" in sys.modules)
"""


def test_a_value_edit_from_the_command_line_does_not_parse_the_file_with_tomlkit(
    bundled_copy: Path,
) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(bundled_copy)], capture_output=True, text=True, check=True
    )
    # The plain path (KOKEILU_PLAIN_PATH=1, inherited by the command) writes it through tomlkit.
    assert out.stdout.splitlines()[-1] == ("0 True" if plain_path() else "0 False")
    assert "kuopio = 6800" in bundled_copy.read_text(encoding="utf-8")


def test_a_save_of_a_file_no_longer_utf8_is_unreadable_and_writes_nothing(
    bundled_copy: Path,
) -> None:
    store = Store(bundled_copy, commit=False)
    doc = store.read()
    broken = doc.text.encode("utf-8") + b"\n# \xff\n"
    bundled_copy.write_bytes(broken)
    with pytest.raises(Unreadable):
        store.save(edits.set_caseload(doc.data, "kuopio", "2020-12", 6800), TODAY)
    assert bundled_copy.read_bytes() == broken


def _person(login: str) -> edits.Edit:
    """An edit tomlkit must write (a table added), so the store keeps its tomlkit document."""
    person = {"name": login.title(), "organisation": "Testi", "roles": ["info"]}
    return edits.Edit("test", (), (edits.Change(("people", login), edits.MISSING, person),))


def test_an_edit_whose_write_fails_is_not_kept_for_the_next_save(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(bundled_copy, commit=False)
    store.read()
    store.save(_person("eka"), TODAY)
    doc = store.document
    assert doc is not None
    old = doc.data["caseloads"]["2020-12"]["kuopio"]

    def full_disk(file: Path, text: str | bytes) -> os.stat_result:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(store_module, "atomic_write", full_disk)
        with pytest.raises(OSError):
            store.save(edits.set_caseload(doc.data, "kuopio", "2020-12", old + 1), TODAY)
    store.save(_person("toka"), TODAY)
    written = load(bundled_copy).data
    assert written["caseloads"]["2020-12"]["kuopio"] == old
    assert {"eka", "toka"} <= written["people"].keys()
