"""`preview`: what an edit makes of a registry file, read from the text it writes."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import BUNDLED

from kokeilu import rules
from kokeilu.editing import edits
from kokeilu.editing.layout import LayoutError
from kokeilu.editing.preview import PLAIN_PATH, Preview, plain_path, preview
from kokeilu.registry.load import load, parse
from kokeilu.store.store import ChangedUnderneath, Store

TODAY = dt.date(2026, 11, 27)


def test_a_preview_is_the_text_and_what_it_reads_as() -> None:
    doc = load(BUNDLED)
    edit = edits.set_caseload(doc.data, "kuopio", "2020-12", 6800)
    seen = preview(doc, edit, today=TODAY)
    assert isinstance(seen, Preview)
    assert "kuopio = 6800" in seen.text
    read = parse(seen.text)
    assert seen.document.text == seen.text
    assert seen.document.data == read.data == tomllib.loads(seen.text, parse_float=Decimal)
    assert seen.document.registry == read.registry
    assert seen.findings == tuple(rules.findings(read, TODAY))
    assert seen.added == ()
    assert doc.data["caseloads"]["2020-12"]["kuopio"] != 6800  # the document is left as it was


def test_a_preview_names_the_errors_an_edit_adds() -> None:
    doc = load(BUNDLED)
    edit = edits.set_status(doc.data, "kuopio", "withdrawn")
    before = {(d.code, d.path) for d in rules.findings(doc, TODAY) if d.severity == "error"}
    seen = preview(doc, edit, today=TODAY)
    assert seen.added, "withdrawing the coordinator adds an error"
    assert all(d.severity == "error" for d in seen.added)
    assert not {(d.code, d.path) for d in seen.added} & before
    assert all(d in seen.findings for d in seen.added)


def test_a_preview_of_an_edit_that_adds_a_table_goes_through_tomlkit() -> None:
    doc = load(BUNDLED)
    edit = edits.put_entry(doc.data, "people", "maija", {"name": "Maija", "roles": ["info"]})
    seen = preview(doc, edit, today=TODAY)
    assert seen.toml is not None
    assert seen.document.data == tomllib.loads(seen.text, parse_float=Decimal)
    assert seen.document.data["people"]["maija"] == {"name": "Maija", "roles": ["info"]}


def test_a_key_written_into_a_value_is_a_layout_error_placed_at_the_value() -> None:
    doc = parse("schema = 1\ncaseloads = 5\n")
    edit = edits.set_caseload(doc.data, "kuopio", "2020-01", 7)
    with pytest.raises(LayoutError) as refused:
        preview(doc, edit, today=TODAY)
    assert (refused.value.layout, refused.value.line) == ("not_table", 2)


def test_the_plain_path_switch_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value edit is spliced unless KOKEILU_PLAIN_PATH=1, when tomlkit writes it (and
    hands back its document); both write the same text, which reads as the same data."""
    doc = load(BUNDLED)
    edit = edits.set_caseload(doc.data, "kuopio", "2020-12", 6800)
    monkeypatch.setenv(PLAIN_PATH, "0")
    assert not plain_path()
    fast = preview(doc, edit, today=TODAY)
    monkeypatch.setenv(PLAIN_PATH, "1")
    assert plain_path()
    plain = preview(doc, edit, today=TODAY)
    assert fast.toml is None and plain.toml is not None
    assert fast.text == plain.text
    assert fast.document.data == plain.document.data
    assert fast.findings == plain.findings


def test_the_plain_path_refuses_what_only_the_fast_path_can_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An array of tables written in two parts: tomlkit would rewrite it, so the plain path
    refuses any edit; a value edit elsewhere is still spliced on the fast path."""
    doc = load(BUNDLED)
    agreement = (
        '\n[[service_agreements]]\nservice = "kotouttaminen"\nprovider = "kuopio"\n'
        'recipients = ["kuopio"]\n'
    )
    split = doc.text.replace("\n[people.", agreement + "\n[people.", 1) + agreement
    doc = parse(split)
    edit = edits.set_caseload(doc.data, "kuopio", "2020-12", 6800)
    monkeypatch.delenv(PLAIN_PATH, raising=False)
    assert "kuopio = 6800" in preview(doc, edit, today=TODAY).text
    monkeypatch.setenv(PLAIN_PATH, "1")
    with pytest.raises(LayoutError) as refused:
        preview(doc, edit, today=TODAY)
    assert refused.value.layout == "split_aot"


# --- Discarding over a file changed underneath -------------------------------------------------


def test_a_discard_over_a_file_changed_underneath_is_refused(bundled_copy: Path) -> None:
    store = Store(bundled_copy, commit=False)
    committed = store.read()
    bundled_copy.write_text("# a hand edit\n" + committed.text, encoding="utf-8")
    store.read()  # the dashboard sees the hand edit
    later = "# another hand edit, not seen\n" + committed.text
    bundled_copy.write_text(later, encoding="utf-8")
    with pytest.raises(ChangedUnderneath) as refused:
        store.restore(committed.text)
    assert str(refused.value) == (
        "the file changed since it was last read; nothing was discarded: "
        "look at the change, then discard again"
    )
    assert bundled_copy.read_text(encoding="utf-8") == later
    store.read()  # now seen: the discard goes through
    store.restore(committed.text)
    assert bundled_copy.read_text(encoding="utf-8") == committed.text


def test_a_discard_by_a_store_that_never_read_the_file_is_refused(bundled_copy: Path) -> None:
    before = bundled_copy.read_bytes()
    with pytest.raises(ChangedUnderneath):
        Store(bundled_copy, commit=False).restore(BUNDLED.read_text(encoding="utf-8"))
    assert bundled_copy.read_bytes() == before


def test_counts_edited_one_after_another_read_as_the_whole_text_reads() -> None:
    """Only the caseload tables an edit touches are read again (the rest of the text is the
    same): each preview is what reading its whole text gives, the tables after a longer or
    shorter number found where they moved."""
    doc = load(BUNDLED)
    periods = doc.registry.periods
    for n, (period, count) in enumerate(
        [(periods[0], 1), (periods[0], 123456), (periods[-1], 7), (periods[1], 99999)]
    ):
        party = sorted(doc.data["caseloads"][period])[n % 2]
        seen = preview(doc, edits.set_caseload(doc.data, party, period, count), today=TODAY)
        whole = parse(seen.text)
        assert seen.document.data == whole.data
        assert list(seen.document.data) == list(whole.data)
        assert seen.document.registry == whole.registry
        assert seen.document.diagnostics == whole.diagnostics
        if not plain_path():  # the plain path reads with tomllib alone: no layout
            assert seen.document.layout == whole.layout
        doc = seen.document
