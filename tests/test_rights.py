"""Edit rights by responsibility: who may edit what (every access level × every kind of edit),
checked in the one save path, so that the command line, undo, redo, revert and hand edits obey
them too; a refusal names the rule and writes nothing."""

from __future__ import annotations

import datetime as dt
import os
import pwd
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import BUNDLED, run_kokeilu
from gitrepo import git, make_repo, subjects

from kokeilu import rules
from kokeilu.editing import edits, rights
from kokeilu.history import versions
from kokeilu.registry.load import parse
from kokeilu.store.session import Session
from kokeilu.store.store import Forbidden, Store

TODAY = dt.date(2026, 11, 27)
ACCOUNT = pwd.getpwuid(os.getuid()).pw_name

PEOPLE = """
[people.admin]
name = "Aino Admin"
access = "all"

[people.pekka]
name = "Pekka Koordinaattori"
party = "varkaus"
access = "region"

[people.sanna]
name = "Sanna Suonenjoki"
party = "suonenjoki"
access = "party"

[people.lukija]
name = "Lukija"
party = "kuopio"
access = "read"
"""
CLOSED = BUNDLED.read_text(encoding="utf-8") + PEOPLE
DOC = parse(CLOSED, "closed.toml")
OPEN = parse(BUNDLED.read_text(encoding="utf-8"), "open.toml")

ADMIN_ONLY = 'only an administrator (access = "all") may {}'
PEKKA = "Varkaus region's coordinator may not edit {}"
SANNA = "Suonenjoki's person may not edit {}"
READER = 'a reader may not edit (lukija\'s access is "read")'
STRANGER = "a reader may not edit (ville is not in [people])"
OK = None


def caseload(party: str):
    return lambda d: edits.set_caseload(d, party, "2020-12", 100)


def decision(party: str):
    return lambda d: edits.record_decision(
        d, party, outcome="approved", body="kunnanhallitus", date=dt.date(2019, 11, 18)
    )


# Each kind of edit, and what each person gets: None (allowed) or the refusal, word for word.
# Columns: admin (all), pekka (region: Varkaus coordinates Varkaus, Leppävirta, Joroinen,
# Heinävesi), sanna (party: Suonenjoki), lukija (read), ville (not in [people]).
TABLE = {
    "decision, own": (decision("suonenjoki"), OK, PEKKA.format("Suonenjoki"), OK),
    "decision, region": (decision("leppavirta"), OK, OK, SANNA.format("Leppävirta")),
    "decision, other": (
        decision("kuopio"),
        OK,
        PEKKA.format("Kuopio"),
        SANNA.format("Kuopio"),
    ),
    "caseload, own": (caseload("suonenjoki"), OK, PEKKA.format("Suonenjoki"), OK),
    "caseload, coordinator's own": (caseload("varkaus"), OK, OK, SANNA.format("Varkaus")),
    "caseload, region": (caseload("joroinen"), OK, OK, SANNA.format("Joroinen")),
    "caseload, other": (caseload("iisalmi"), OK, PEKKA.format("Iisalmi"), SANNA.format("Iisalmi")),
    "caseloads of a new period, region": (
        lambda d: edits.import_caseloads(
            d, [("varkaus", "2030-01", 5), ("heinavesi", "2030-01", 6)], "x.csv"
        ),
        OK,
        OK,
        SANNA.format("Varkaus, Heinävesi"),
    ),
    "import with rows outside": (
        lambda d: edits.import_caseloads(
            d,
            [("varkaus", "2020-12", 5), ("kuopio", "2020-12", 6), ("suonenjoki", "2020-12", 7)],
            "x.csv",
        ),
        OK,
        PEKKA.format("Kuopio, Suonenjoki"),
        SANNA.format("Kuopio, Varkaus"),  # in the registry's order
    ),
    "status": (
        lambda d: edits.set_status(d, "varkaus", "candidate"),
        OK,
        ADMIN_ONLY.format("edit Varkaus's status"),
        ADMIN_ONLY.format("edit Varkaus's status"),
    ),
    "move party": (
        lambda d: edits.move_party(d, "suonenjoki", "varkaus"),
        OK,
        ADMIN_ONLY.format("edit Suonenjoki's region"),
        ADMIN_ONLY.format("edit Suonenjoki's region"),
    ),
    "coordinator": (
        lambda d: edits.set_coordinator(d, "varkaus", "leppavirta"),
        OK,
        ADMIN_ONLY.format("edit regions"),
        ADMIN_ONLY.format("edit regions"),
    ),
    "resource": (
        lambda d: edits.set_resource(d, "te_staff", total=Decimal("62.3")),
        OK,
        ADMIN_ONLY.format("edit resources"),
        ADMIN_ONLY.format("edit resources"),
    ),
    "add a municipality": (
        lambda d: edits.put_entry(
            d,
            "parties",
            "tuusniemi",
            {"name": "Tuusniemi", "kind": "kunta", "body": "kunnanhallitus"}
            | {"region": "kuopio", "status": "candidate"},
        ),
        OK,
        ADMIN_ONLY.format("add or remove tuusniemi"),
        ADMIN_ONLY.format("add or remove tuusniemi"),
    ),
    "people: add a person": (
        lambda d: edits.put_entry(d, "people", "uusi", {"name": "Uusi", "access": "party"}),
        OK,
        ADMIN_ONLY.format("edit people"),
        ADMIN_ONLY.format("edit people"),
    ),
    "people: grant oneself all": (
        lambda d: edits.put_entry(d, "people", "pekka", {"access": "all"}),
        OK,
        ADMIN_ONLY.format("edit people"),
        ADMIN_ONLY.format("edit people"),
    ),
    "people: change one's party": (
        lambda d: edits.put_entry(d, "people", "sanna", {"party": "kuopio"}),
        OK,
        ADMIN_ONLY.format("edit people"),
        ADMIN_ONLY.format("edit people"),
    ),
    "agreement": (
        lambda d: edits.Edit(
            "test", (), (edits.Change(("agreement", "area"), d["agreement"]["area"], "Savo"),)
        ),
        OK,
        ADMIN_ONLY.format("edit the agreement"),
        ADMIN_ONLY.format("edit the agreement"),
    ),
    "service agreement": (
        lambda d: edits.put_service_agreement(
            d, None, {"service": "tyonhaku", "provider": "varkaus", "recipients": ["joroinen"]}
        ),
        OK,
        ADMIN_ONLY.format("edit service agreements"),
        ADMIN_ONLY.format("edit service agreements"),
    ),
}


@pytest.mark.parametrize("kind", TABLE)
def test_who_may_make_each_kind_of_edit(kind: str) -> None:
    make, *expected = TABLE[kind]
    edit = make(DOC.data)
    assert edit.changes, "the edit must change something"
    got = [rights.refusal(DOC.registry, login, edit) for login in ("admin", "pekka", "sanna")]
    assert got == expected
    # A reader and a stranger may make none of them; in an open registry anyone may make all.
    assert rights.refusal(DOC.registry, "lukija", edit) == READER
    assert rights.refusal(DOC.registry, "ville", edit) == STRANGER
    open_edit = make(OPEN.data)
    for login in ("admin", "pekka", "ville", ACCOUNT):
        assert rights.refusal(OPEN.registry, login, open_edit) is None


def test_undoing_each_edit_needs_the_same_rights() -> None:
    for kind, (make, *expected) in TABLE.items():
        edit = make(DOC.data)
        got = [rights.refusal(DOC.registry, u, edit.inverse()) for u in ("admin", "pekka", "sanna")]
        assert got == expected, kind


def test_what_the_status_line_says_of_each_user() -> None:
    said = {u: rights.of(DOC.registry, u).describe(DOC.registry) for u in (*"ab", "pekka")}
    assert said == {
        "a": "a (read only)",
        "b": "b (read only)",
        "pekka": "pekka (Varkaus region; ⊘ read-only)",
    }
    assert rights.of(DOC.registry, "admin").describe(DOC.registry) == "admin (administrator)"
    assert (
        rights.of(DOC.registry, "sanna").describe(DOC.registry) == "sanna (Suonenjoki; ⊘ read-only)"
    )
    assert rights.of(DOC.registry, "lukija").describe(DOC.registry) == "lukija (read only)"
    assert rights.of(OPEN.registry, "ville").describe(OPEN.registry) == "ville: open registry"


def test_a_person_with_access_closes_the_registry_even_if_written_wrong() -> None:
    doc = parse(
        BUNDLED.read_text(encoding="utf-8") + '\n[people.x]\nname = "X"\naccess = "admin"\n', "t"
    )
    assert [d.message for d in doc.diagnostics] == [
        'people.x.access must be one of read, party, region, all, not "admin"'
    ]
    assert rights.refusal(doc.registry, "x", caseload("kuopio")(doc.data)) == (
        'a reader may not edit (x\'s access is "read")'
    )


def findings(text: str) -> list[str]:
    """The findings `text` adds to the bundled registry's."""

    def found(doc) -> list[str]:
        return [
            f"{d.severity}: {d.message}" for d in doc.diagnostics + rules.check(doc.registry, TODAY)
        ]

    baseline = found(OPEN)
    return [f for f in found(parse(OPEN.text + text, "t")) if f not in baseline]


def test_party_and_access_are_checked() -> None:
    assert findings(PEOPLE) == []
    assert findings('\n[people.x]\nname = "X"\nparty = "tampere"\naccess = "party"\n') == [
        'error: municipality (party) of a person "tampere" is not a municipality in the registry'
        " (known: heinavesi, iisalmi, joroinen, kuopio, lapinlahti, leppavirta, siilinjarvi,"
        " sonkajarvi, suonenjoki, varkaus, vierema)",
        'warning: no person has access = "all": nobody may change people or their access',
    ]
    assert findings(
        '\n[people.x]\nname = "X"\naccess = "region"\n[people.y]\nname = "Y"\naccess = "all"\n'
    ) == ['error: people.x has access = "region" but no party = "ID" naming their municipality']
    assert findings(
        '\n[people.x]\nname = "X"\nparty = "joroinen"\naccess = "region"\n[people.y]\nname = "Y"\naccess = "all"\n'
    ) == [
        'warning: people.x has access = "region", but Joroinen coordinates no region: it covers only Joroinen'
    ]


def test_may_edit_is_replaced_by_access_with_a_warning() -> None:
    assert findings('\n[people.x]\nname = "X"\nmay_edit = true\n') == [
        'warning: people.x.may_edit is no longer read: write access = "party", "region" or "all"'
        ' (with party = "ID") instead, see docs/registry.md'
    ]


# --- Through the one save path ------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The bundled registry with the people above, committed."""
    registry = make_repo(tmp_path / "repo")
    registry.write_text(CLOSED, encoding="utf-8")
    git(registry.parent, "commit", "-qam", "people")
    return registry


def test_a_refused_save_writes_nothing_and_commits_nothing(repo: Path) -> None:
    before = repo.read_bytes()
    store = Store(repo, login="sanna")
    store.read()
    with pytest.raises(Forbidden) as refused:
        store.save(edits.set_caseload(store.document.data, "kuopio", "2020-12", 1), TODAY)
    assert refused.value.reason == "Suonenjoki's person may not edit Kuopio"
    assert repo.read_bytes() == before
    assert subjects(repo.parent) == ["people", "registry"]
    saved = store.save(edits.set_caseload(store.document.data, "suonenjoki", "2020-12", 1), TODAY)
    assert saved.commit.sha is not None
    assert git(repo.parent, "log", "-1", "--format=%an|%s") == (
        "Sanna Suonenjoki|Suonenjoki: asiakasmäärä 2020-12 445 → 1\n"
    )


def test_rights_are_judged_by_the_file_on_disk_not_by_what_the_store_read(repo: Path) -> None:
    sanna = Session(repo, today=TODAY, login="sanna")
    sanna.open()
    sanna.apply(edits.set_caseload(sanna.document.data, "suonenjoki", "2020-12", 1000))
    admin = Store(repo, login="admin")
    admin.read()
    admin.save(edits.put_entry(admin.document.data, "people", "sanna", {"access": "read"}), TODAY)
    before = repo.read_bytes()
    # Her undo and redo meet the registry as it is now: she only reads.
    with pytest.raises(Forbidden, match=r"^a reader may not edit \(sanna's access is \"read\"\)$"):
        sanna.undo()
    assert repo.read_bytes() == before
    assert len(sanna.done) == 1  # nothing undone


def test_revert_needs_the_rights_of_what_it_takes_back(repo: Path) -> None:
    admin = Store(repo, login="admin")
    admin.read()
    saved = admin.save(edits.set_caseload(admin.document.data, "kuopio", "2020-12", 7000), TODAY)
    old, new = versions.versions_of(repo, saved.commit.sha)
    revert = versions.revert(old, new, saved.commit.sha)
    before = repo.read_bytes()
    pekka = Store(repo, login="pekka")
    pekka.read()
    with pytest.raises(Forbidden, match=r"^Varkaus region's coordinator may not edit Kuopio$"):
        pekka.save(revert, TODAY)
    assert repo.read_bytes() == before
    assert Store(repo, login="admin").save(revert, TODAY).commit.sha is not None


def test_a_hand_edit_is_committed_or_discarded_by_an_administrator_only(repo: Path) -> None:
    # The hand edit makes sanna an administrator: it is judged by the registry as committed.
    hand = CLOSED.replace('party = "suonenjoki"\naccess = "party"', 'access = "all"')
    repo.write_text(hand, encoding="utf-8")
    for login in ("sanna", "pekka", "lukija"):
        store = Store(repo, login=login)
        store.read()
        for attempt in (lambda s: s.commit_pending("mine now"), lambda s: s.restore(CLOSED)):
            with pytest.raises(Forbidden) as refused:
                attempt(store)
            assert refused.value.reason == (
                'only an administrator (access = "all") may commit or discard a hand edit'
            )
            assert repo.read_text(encoding="utf-8") == hand
    assert subjects(repo.parent) == ["people", "registry"]
    admin = Store(repo, login="admin")
    assert admin.commit_pending("sanna administers").sha is not None
    assert git(repo.parent, "log", "-1", "--format=%an|%s") == "Aino Admin|sanna administers\n"


# --- The command line -----------------------------------------------------------------------------


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A registry in which the account running the tests acts for Suonenjoki (access party)."""
    registry = make_repo(tmp_path / "repo")
    me = f'\n[people."{ACCOUNT}"]\nname = "Testaaja"\nparty = "suonenjoki"\naccess = "party"\n'
    registry.write_text(CLOSED + me, encoding="utf-8")
    git(registry.parent, "commit", "-qam", "people")
    return registry


def test_set_caseload_outside_ones_responsibility_is_refused(mine: Path) -> None:
    before = mine.read_bytes()
    result = run_kokeilu("-f", str(mine), "set-caseload", "kuopio", "2020-12", "6800")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"{mine}: error: Suonenjoki's person may not edit Kuopio; nothing written\n"
    )
    assert mine.read_bytes() == before
    assert subjects(mine.parent) == ["people", "registry"]
    result = run_kokeilu("-f", str(mine), "set-caseload", "suonenjoki", "2020-12", "1200")
    assert result.returncode == 0, result.stderr
    assert git(mine.parent, "log", "-1", "--format=%an|%s") == (
        "Testaaja|Suonenjoki: asiakasmäärä 2020-12 445 → 1200\n"
    )


def test_an_import_with_a_row_outside_is_refused_whole(mine: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "maaliskuu.csv"
    sheet.write_text(
        "party,period,count\nsuonenjoki,2021-03,1100\nkuopio,2021-03,6000\n", encoding="utf-8"
    )
    before = mine.read_bytes()
    result = run_kokeilu("-f", str(mine), "import-caseloads", str(sheet))
    assert result.returncode == 1
    assert result.stderr == (
        f"{mine}: error: Suonenjoki's person may not edit Kuopio; nothing written\n"
    )
    assert mine.read_bytes() == before
