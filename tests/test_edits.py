"""Edits of the core: exactly the lines of what changed, comments kept, undo gives the file back."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from kokeilu.editing import edits, toml_writer
from kokeilu.editing.edits import MISSING
from kokeilu.registry.load import load
from kokeilu.store.session import Session
from kokeilu.store.store import Conflict, Rejected, Store, lock_path


def diff(before: str, after: str) -> list[str]:
    """The changed lines, as `git diff` shows them without context."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.fixture
def session(bundled_copy: Path) -> Session:
    s = Session(bundled_copy, today=dt.date(2026, 11, 27), commit=False)
    s.open()
    return s


def test_recording_iisalmis_decision_changes_exactly_its_decision_lines(session: Session) -> None:
    before = session.file.read_text(encoding="utf-8")
    edit = edits.record_decision(
        session.document.data,
        "iisalmi",
        outcome="approved",
        body="kaupunginhallitus",
        date=dt.date(2019, 11, 18),
        minutes="§ 301",
    )
    session.apply(edit)
    after = session.file.read_text(encoding="utf-8")
    assert diff(before, after) == [
        '-outcome = "pending"',
        '+outcome = "approved"',
        '+body = "kaupunginhallitus"',
        "+date = 2019-11-18",
        '+minutes = "§ 301"',
    ]
    assert edit.describe() == "Iisalmi: decision approved (kaupunginhallitus 18.11.2019 § 301)"
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert session.document.registry.parties["iisalmi"].approved


def test_caseload_edit_changes_one_line_and_undo_gives_the_file_back_byte_for_byte(
    session: Session,
) -> None:
    before = session.file.read_bytes()
    edit = edits.set_caseload(session.document.data, "iisalmi", "2020-12", 1400)
    session.apply(edit)
    assert diff(before.decode(), session.file.read_text(encoding="utf-8")) == [
        "-iisalmi = 1304",
        "+iisalmi = 1400",
    ]
    assert edit.describe() == "Iisalmi: caseload 2020-12 1304 → 1400"
    assert session.undo()[0] == edit.inverse()
    assert session.file.read_bytes() == before
    assert session.redo()[0] == edit
    assert session.document.registry.caseloads["2020-12"]["iisalmi"] == 1400


def test_every_kind_of_edit_undoes_to_the_same_bytes(session: Session) -> None:
    before = session.file.read_bytes()
    steps = [
        lambda d: edits.move_party(d, "lapinlahti", "yla_savo"),
        lambda d: edits.set_status(d, "heinavesi", "party"),
        lambda d: edits.set_coordinator(d, "kuopio", "siilinjarvi"),
        lambda d: edits.set_resource(d, "te_staff", total=Decimal("62.3")),
        lambda d: edits.set_caseload(d, "kuopio", "2021-01", 7000),
        lambda d: edits.put_entry(
            d,
            "parties",
            "tuusniemi",
            {
                "name": "Tuusniemi",
                "kind": "kunta",
                "body": "kunnanhallitus",
                "region": "kuopio",
                "status": "candidate",
            },
        ),
        lambda d: edits.put_entry(
            d, "people", "maija.m", {"name": "Maija M", "roles": ["project_group"]}
        ),
        lambda d: edits.put_service_agreement(
            d,
            None,
            {"service": "kotouttaminen", "provider": "kuopio", "recipients": ["siilinjarvi"]},
        ),
        lambda d: edits.put_service_agreement(
            d,
            None,
            {"service": "tyokykykoordinaattori", "provider": "varkaus", "recipients": ["joroinen"]},
        ),
        lambda d: edits.put_service_agreement(d, 0, None),
    ]
    for make in steps:
        session.apply(make(session.document.data))
        # The save path validates the data it computed; it must be what the file reads back as.
        assert session.document.data == load(session.file).data
    registry = session.document.registry
    assert registry.parties["lapinlahti"].region == "yla_savo"
    assert registry.regions["kuopio"].coordinator == "siilinjarvi"
    assert [sa.provider for sa in registry.service_agreements] == ["varkaus"]
    assert registry.people["maija.m"].roles == ("project_group",)
    for _ in steps:
        session.undo()
        assert session.document.data == load(session.file).data
    assert session.file.read_bytes() == before


def test_a_new_period_is_written_as_a_quoted_table(session: Session) -> None:
    session.apply(edits.set_caseload(session.document.data, "kuopio", "2021-01", 7000))
    assert session.file.read_text(encoding="utf-8").endswith(
        '\n\n[caseloads."2021-01"]\nkuopio = 7000\n'
    )


def test_an_edit_that_would_add_an_error_is_rejected_and_nothing_is_written(
    session: Session,
) -> None:
    before = session.file.read_bytes()
    with pytest.raises(Rejected) as info:
        session.apply(edits.move_party(session.document.data, "varkaus", "kuopio"))
    assert [d.code for d in info.value.errors] == ["coordinator_outside"]
    assert session.file.read_bytes() == before
    assert session.done == []


def test_a_field_changed_underneath_is_a_conflict_with_both_values(
    session: Session, bundled_copy: Path
) -> None:
    mine = edits.set_caseload(session.document.data, "iisalmi", "2020-12", 1400)
    other = Store(bundled_copy)
    other.read()
    other.save(edits.set_caseload(other.document.data, "iisalmi", "2020-12", 1500))
    with pytest.raises(Conflict) as info:
        session.apply(mine)
    assert (info.value.change.old, info.value.theirs, info.value.mine) == (1304, 1500, 1400)
    assert session.store.document is not None
    assert "iisalmi = 1500" in bundled_copy.read_text(encoding="utf-8")


def test_a_change_elsewhere_underneath_is_kept_and_mine_applied_on_top(
    session: Session, bundled_copy: Path
) -> None:
    mine = edits.set_caseload(session.document.data, "iisalmi", "2020-12", 1400)
    other = Store(bundled_copy)
    other.read()
    other.save(edits.set_caseload(other.document.data, "kuopio", "2020-12", 7001))
    session.apply(mine)
    text = bundled_copy.read_text(encoding="utf-8")
    assert "iisalmi = 1400" in text and "kuopio = 7001" in text


def test_save_keeps_the_files_mode_and_leaves_no_temporary_file(
    session: Session, bundled_copy: Path
) -> None:
    os.chmod(bundled_copy, 0o640)
    session.apply(edits.set_caseload(session.document.data, "iisalmi", "2020-12", 1400))
    assert stat.S_IMODE(bundled_copy.stat().st_mode) == 0o640
    leftovers = sorted(p.name for p in bundled_copy.parent.iterdir())
    assert leftovers == sorted([bundled_copy.name, lock_path(bundled_copy).name])


def test_the_inverse_of_an_added_table_removes_it() -> None:
    data = {"caseloads": {"2020-01": {"kuopio": 1}}}
    edit = edits.set_caseload(data, "kuopio", "2020-02", 5)
    assert edit.changes == (edits.Change(("caseloads", "2020-02"), MISSING, {"kuopio": 5}),)
    assert edit.inverse().changes == (
        edits.Change(("caseloads", "2020-02"), {"kuopio": 5}, MISSING),
    )
    assert edit.inverse().describe() == "Undo: kuopio: caseload 2020-02 - → 5"


def test_removing_the_last_person_keeps_the_comment_after_it(session: Session) -> None:
    before = session.file.read_text(encoding="utf-8")
    session.apply(edits.put_entry(session.document.data, "people", "tiedoksi", None))
    after = session.file.read_text(encoding="utf-8")
    assert [
        line for line in diff(before, after) if line.startswith("-#") or line.startswith("+")
    ] == []
    assert "\nplaceholder = true\n\n# Monthly caseloads" in after
    session.undo()
    assert session.file.read_text(encoding="utf-8") == before


def _rewrite(session: Session, *pairs: tuple[str, str]) -> str:
    """The session's file with each `old` replaced once by `new`, opened again; its text."""
    text = session.file.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    session.file.write_text(text, encoding="utf-8")
    session.open()
    return text


def _lines_between(text: str, first: str, last: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(first)
    return lines[start : lines.index(last, start) + 1]


def test_a_caseload_added_to_a_period_goes_after_its_last_count_not_under_the_next_comment(
    session: Session,
) -> None:
    """Issue 9 review: `heinavesi = 5` was written below `# February figures…`, the comment
    that belongs to the 2020-02 header, right above that header."""
    before = _rewrite(
        session,
        ("heinavesi = 231\n", ""),
        (
            '\n[caseloads."2020-02"]',
            '\n# February figures, from the monthly report.\n[caseloads."2020-02"]',
        ),
    )
    edit = edits.set_caseload(session.document.data, "heinavesi", "2020-01", 5)
    session.apply(edit)
    after = session.file.read_text(encoding="utf-8")
    assert _lines_between(after, "iisalmi = 1326", '[caseloads."2020-02"]') == [
        "iisalmi = 1326",
        "sonkajarvi = 276",
        "vierema = 196",
        "heinavesi = 5",
        "",
        "# February figures, from the monthly report.",
        '[caseloads."2020-02"]',
    ]
    assert diff(before, after) == ["+heinavesi = 5"]
    session.undo()
    assert session.file.read_text(encoding="utf-8") == before


def test_a_decision_written_as_dotted_keys_grows_after_its_last_key_not_under_the_next_comment(
    session: Session,
) -> None:
    """Issue 9 review: body, date and minutes of a decision written `decision.outcome = …` went
    below the comment that belongs to the next party's header."""
    before = _rewrite(
        session,
        (
            'status = "party"\n\n[parties.iisalmi.decision]\noutcome = "pending"\n',
            'status = "party"\ndecision.outcome = "pending"\n',
        ),
        ("\n[parties.sonkajarvi]\n", "\n# Sonkajärvi decides in December.\n[parties.sonkajarvi]\n"),
    )
    edit = edits.record_decision(
        session.document.data,
        "iisalmi",
        outcome="approved",
        body="kaupunginhallitus",
        date=dt.date(2019, 11, 18),
        minutes="§ 301",
    )
    session.apply(edit)
    after = session.file.read_text(encoding="utf-8")
    assert _lines_between(after, "[parties.iisalmi]", "[parties.sonkajarvi]") == [
        "[parties.iisalmi]",
        'name = "Iisalmi"',
        'kind = "kaupunki"',
        'body = "kaupunginhallitus"',
        'region = "yla_savo"',
        'typ_area = "yla_savo"',
        'status = "party"',
        'decision.outcome = "approved"',
        'decision.body = "kaupunginhallitus"',
        "decision.date = 2019-11-18",
        'decision.minutes = "§ 301"',
        "",
        "# Sonkajärvi decides in December.",
        "[parties.sonkajarvi]",
    ]
    assert session.document.registry.parties["iisalmi"].approved
    session.undo()
    assert session.file.read_text(encoding="utf-8") == before


def test_a_key_added_to_a_party_goes_before_the_comment_above_its_decision() -> None:
    """The same with a table inside: the comment above `[parties.kuopio.decision]` is its."""
    import tomlkit
    from conftest import BUNDLED

    text = BUNDLED.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    toml_writer.apply(
        doc, edits.Edit("x", (), (edits.Change(("parties", "kuopio", "note"), MISSING, "n"),))
    )
    after = doc.as_string()
    assert _lines_between(after, 'status = "party"', "[parties.kuopio.decision]") == [
        'status = "party"',
        'note = "n"',
        "",
        "# Public record: Kuopion kaupunginhallitus 11.11.2019 § 139,",
        "# diaarinumero 8459/05.20.00/2019.",
        "[parties.kuopio.decision]",
    ]
    assert diff(text, after) == ['+note = "n"']


def test_a_grouped_number_stays_grouped() -> None:
    import tomlkit

    doc = tomlkit.parse("[resources.x]\ntotal = 4_300_000 # euros\n")
    toml_writer.apply(
        doc,
        edits.set_resource({"resources": {"x": {"total": 4300000}}}, "x", total=Decimal(4400000)),
    )
    assert doc.as_string() == "[resources.x]\ntotal = 4_400_000 # euros\n"
