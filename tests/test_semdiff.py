"""The semantic diff: every kind of change in words, and nothing for what only looks different."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import tomlkit
from conftest import BUNDLED

from kokeilu.editing import edits, toml_writer
from kokeilu.editing.edits import MISSING
from kokeilu.history.effects import Side, effects
from kokeilu.history.semdiff import FieldChange, affects_allocations, diff_data
from kokeilu.history.wording import describe, summary
from kokeilu.registry.load import Document, parse
from kokeilu.text.strings import EN

TEXT = BUNDLED.read_text(encoding="utf-8")
BASE = parse(TEXT)


def edited(make: Callable[[dict[str, Any]], edits.Edit], base: Document = BASE) -> Document:
    """The registry after an edit made as the dashboard makes it (tomlkit, format-preserving)."""
    doc = tomlkit.parse(base.text)
    toml_writer.apply(doc, make(base.data))
    return parse(doc.as_string())


def lines(old: Document, new: Document) -> list[str]:
    return [describe(c, old.registry, new.registry) for c in diff_data(old.data, new.data)]


def replaced(old: str, new: str, text: str = TEXT) -> Document:
    assert text.count(old) == 1, old
    return parse(text.replace(old, new))


# --- Each kind of change, in words -----------------------------------------------------------------


def test_a_decision_is_one_line_per_field_with_the_date_as_finns_write_it() -> None:
    new = edited(
        lambda d: edits.record_decision(
            d,
            "iisalmi",
            outcome="approved",
            body="kaupunginhallitus",
            date=dt.date(2019, 11, 18),
            minutes="§ 5",
        )
    )
    assert lines(BASE, new) == [
        "Iisalmi: decision outcome pending → approved",
        "Iisalmi: decision body – → kaupunginhallitus",
        "Iisalmi: decision date – → 18.11.2019",
        "Iisalmi: decision minutes – → § 5",
    ]
    assert lines(new, BASE)[2] == "Iisalmi: decision date 18.11.2019 → –"


def test_a_caseload() -> None:
    new = edited(lambda d: edits.set_caseload(d, "iisalmi", "2020-12", 1400))
    assert lines(BASE, new) == ["Iisalmi: caseload 2020-12 1304 → 1400"]


def test_a_region_move_names_the_regions() -> None:
    new = edited(lambda d: edits.move_party(d, "lapinlahti", "yla_savo"))
    assert lines(BASE, new) == ["Lapinlahti: region Kuopion keskinen kokeilualue → Ylä-Savo"]


def test_a_status_and_a_coordinator() -> None:
    new = edited(lambda d: edits.set_status(d, "heinavesi", "party"))
    assert lines(BASE, new) == ["Heinävesi: status candidate → party"]
    new = edited(lambda d: edits.set_coordinator(d, "varkaus", "leppavirta"))
    assert lines(BASE, new) == ["region Varkauden alue: coordinator Varkaus → Leppävirta"]


TUUSNIEMI = {
    "name": "Tuusniemi",
    "kind": "kunta",
    "body": "kunnanhallitus",
    "region": "kuopio",
    "typ_area": "kuopio",
    "status": "party",
    "decision": {"outcome": "pending"},
}


def test_a_party_added_or_removed_is_one_line() -> None:
    new = edited(lambda d: edits.put_entry(d, "parties", "tuusniemi", TUUSNIEMI))
    changes = diff_data(BASE.data, new.data)
    assert changes == [FieldChange(("parties", "tuusniemi"), MISSING, TUUSNIEMI)]
    assert lines(BASE, new) == ["Tuusniemi: added"]
    assert lines(new, BASE) == ["Tuusniemi: removed"]
    gone = edited(lambda d: edits.put_entry(d, "parties", "heinavesi", None))
    assert lines(BASE, gone) == ["Heinävesi: removed"]


def test_a_decision_table_added_or_removed_is_one_line() -> None:
    without = replaced('[parties.iisalmi.decision]\noutcome = "pending"\n', "")
    decided = replaced(
        '[parties.iisalmi.decision]\noutcome = "pending"\n',
        '[parties.iisalmi.decision]\noutcome = "approved"\ndate = 2019-11-18\nminutes = "§ 5"\n',
    )
    assert lines(without, decided) == ["Iisalmi: decision added (approved, 18.11.2019, § 5)"]
    assert lines(decided, without) == ["Iisalmi: decision removed"]


AGREEMENT = {"service": "kotouttaminen", "provider": "kuopio", "recipients": ["siilinjarvi"]}


def test_service_agreements_by_index() -> None:
    one = edited(lambda d: edits.put_service_agreement(d, None, AGREEMENT))
    assert lines(BASE, one) == ["service agreement 1 added: Kuopio → Siilinjärvi (Kotouttaminen)"]
    assert lines(one, BASE) == ["service agreement 1 removed: Kuopio → Siilinjärvi (Kotouttaminen)"]
    second = {
        "service": "tyokykykoordinaattori",
        "provider": "iisalmi",
        "recipients": ["sonkajarvi", "vierema"],
    }
    two = edited(lambda d: edits.put_service_agreement(d, None, second), one)
    assert lines(one, two) == [
        "service agreement 2 added: Iisalmi → Sonkajärvi, Vieremä (Työkykykoordinaattorin palvelut)"
    ]
    changed = edited(
        lambda d: edits.put_service_agreement(
            d, 0, AGREEMENT | {"recipients": ["siilinjarvi", "lapinlahti"]}
        ),
        two,
    )
    assert lines(two, changed) == [
        "service agreement 1: recipients Siilinjärvi → Siilinjärvi, Lapinlahti"
    ]


def test_a_resource_total() -> None:
    new = edited(lambda d: edits.set_resource(d, "te_staff", total=Decimal("62.3")))
    assert lines(BASE, new) == ["TE-toimiston työntekijöiden työpanos: total 61.5 → 62.3"]


def test_people_added_changed_removed() -> None:
    maija = {
        "name": "Maija Meikäläinen",
        "organisation": "Kuopion kaupunki",
        "roles": ["project_group"],
    }
    added = edited(lambda d: edits.put_entry(d, "people", "maija.m", maija))
    assert lines(BASE, added) == ["Maija Meikäläinen (maija.m): added"]
    assert lines(added, BASE) == ["Maija Meikäläinen (maija.m): removed"]
    changed = edited(
        lambda d: edits.put_entry(
            d,
            "people",
            "maija.m",
            {"email": "maija@example.org", "roles": ["project_group", "info"]},
        ),
        added,
    )
    assert lines(added, changed) == [
        "Maija Meikäläinen (maija.m): roles project_group → project_group, info",
        "Maija Meikäläinen (maija.m): email – → maija@example.org",
    ]


def test_a_new_period_of_caseloads_is_one_line() -> None:
    table = '\n[caseloads."2021-01"]\n' + "".join(
        f"{pid} = {100 + i}\n" for i, pid in enumerate(BASE.data["parties"])
    )
    new = parse(TEXT + table)
    assert lines(BASE, new) == ["caseloads 2021-01 added (11 parties)"]
    assert lines(new, BASE) == ["caseloads 2021-01 removed (11 parties)"]


def test_the_agreement_short_and_long_fields_and_the_generic_fallback() -> None:
    new = replaced("ministry_letter = 2019-10-08", "ministry_letter = 2019-10-09")
    assert lines(BASE, new) == ["agreement: ministry_letter 8.10.2019 → 9.10.2019"]
    new = replaced('costs = "Kunnat myös vastaavat', 'costs = "Kunnat eivät vastaa')
    assert lines(BASE, new) == ["agreement: costs changed"]
    new = replaced('applicant = "kuopio"', 'applicant = "varkaus"')
    assert lines(BASE, new) == ["agreement: applicant Kuopio → Varkaus"]
    new = replaced("example_figures = true", "example_figures = false")
    assert lines(BASE, new) == ["example_figures: true → false"]
    new = parse(TEXT + '\n[extra]\nfoo = "bar"\n')
    assert lines(BASE, new) == ["extra: – → {foo = bar}"]
    newer = parse(TEXT + '\n[extra]\nfoo = "baz"\n')
    assert lines(new, newer) == ["extra.foo: bar → baz"]


def test_names_come_from_the_registry_that_has_them() -> None:
    renamed = replaced('name = "Iisalmi"', 'name = "Iisalmen kaupunki"')
    assert lines(BASE, renamed) == ["Iisalmen kaupunki: name Iisalmi → Iisalmen kaupunki"]


# --- What does not count ---------------------------------------------------------------------------


def test_reordering_and_comments_alone_give_no_changes() -> None:
    text = "\n".join(line for line in TEXT.splitlines() if not line.lstrip().startswith("#"))
    text = text.replace("total = 4_300_000", "total   =   4300000").replace(
        "step = 0.1", "step = 0.10"
    )
    people_start = text.index("[people.jakelu]")
    people_end = text.index('[caseloads."2020-01"]')
    people = text[people_start:people_end]
    text = text[:people_start] + text[people_end:]
    text = text.replace("[regions.kuopio]", people + "\n[regions.kuopio]")
    text = text.replace('[parties.iisalmi.decision]\noutcome = "pending"\n', "").replace(
        "[parties.iisalmi]\n",
        '[parties.iisalmi]\ndecision = { outcome = "pending" }\n',
    )
    reordered = parse(text)
    assert reordered.text != TEXT
    assert diff_data(BASE.data, reordered.data) == []
    assert summary([], BASE.registry, reordered.registry) == "comments or layout only"


def test_a_date_is_not_its_text_and_a_number_is_not_a_boolean() -> None:
    quoted = replaced("ministry_letter = 2019-10-08", 'ministry_letter = "2019-10-08"')
    assert lines(BASE, quoted) == ["agreement: ministry_letter 8.10.2019 → 2019-10-08"]
    assert diff_data({"a": 1}, {"a": Decimal("1.0")}) == []
    assert diff_data({"a": 1}, {"a": True}) == [FieldChange(("a",), 1, True)]


def test_summary_is_the_first_change_and_how_many_more() -> None:
    new = edited(
        lambda d: edits.record_decision(
            d, "iisalmi", outcome="approved", date=dt.date(2019, 11, 18), minutes="§ 5"
        )
    )
    changes = diff_data(BASE.data, new.data)
    assert summary(changes, BASE.registry, new.registry) == (
        "Iisalmi: decision outcome pending → approved (+2 more)"
    )


# --- Effects on allocations --------------------------------------------------------------------------


def largest_remainder(seats: int, weights: dict[str, int]) -> dict[str, int]:
    """The README's rule, written out independently: floors, then the largest remainders."""
    total = sum(weights.values())
    quotas = {k: Fraction(seats * w, total) for k, w in weights.items()}
    out = {k: int(q) for k, q in quotas.items()}
    left = seats - sum(out.values())
    order = sorted(weights, key=lambda k: (-(quotas[k] - out[k]), -weights[k], k))
    for k in order[:left]:
        out[k] += 1
    return out


def expected_amounts(
    doc: Document, period: str, provisional: bool
) -> dict[tuple[str, str], Decimal]:
    """Every amount as `shares` gives it: approved parties (or all but the rejected), exactly."""
    parties = [
        p
        for p, v in doc.data["parties"].items()
        if v["status"] == "party"
        and (
            v["decision"]["outcome"] != "rejected"
            if provisional
            else v["decision"]["outcome"] == "approved"
        )
    ]
    counts = {p: doc.data["caseloads"][period].get(p, 0) for p in parties}
    out = {}
    for rid, r in doc.data["resources"].items():
        step = Decimal(str(r["step"]))
        seats = int(Decimal(str(r["total"])) / step)
        for p, units in largest_remainder(seats, counts).items():
            out[(rid, p)] = units * step
    return out


def approve(party: str, base: Document = BASE) -> Document:
    return edited(
        lambda d: edits.record_decision(
            d, party, outcome="approved", body="kunnanhallitus", date=dt.date(2019, 11, 18)
        ),
        base,
    )


# Kuopio has approved in the bundled registry; Iisalmi approves here.
TWO = approve("iisalmi")


@pytest.mark.parametrize("provisional", [False, True], ids=["approved", "provisional"])
def test_a_caseload_change_moves_allocations_and_they_still_add_up(provisional: bool) -> None:
    new = edited(lambda d: edits.set_caseload(d, "iisalmi", "2020-12", 1400), TWO)
    moved_by = effects(TWO.registry, new.registry, provisional=provisional).moved
    assert moved_by
    before = expected_amounts(TWO, "2020-12", provisional)
    after = expected_amounts(new, "2020-12", provisional)
    moved = {(r, p) for (r, p) in before if before[(r, p)] != after[(r, p)]}
    assert {(e.resource, e.party) for e in moved_by} == moved
    for e in moved_by:
        assert (e.old, e.new) == (before[(e.resource, e.party)], after[(e.resource, e.party)])
    for rid in ("te_staff", "appropriations"):
        assert sum(e.new - e.old for e in moved_by if e.resource == rid) == 0
    iisalmi = [e for e in moved_by if e.party == "iisalmi"]
    assert {e.resource for e in iisalmi} == {"te_staff", "appropriations"}
    assert all(e.new > e.old for e in iisalmi)
    assert all(e.new < e.old for e in moved_by if e.party != "iisalmi")
    staff = next(e for e in iisalmi if e.resource == "te_staff")
    assert staff[1:5] == ("TE-toimiston työntekijöiden työpanos", "htv", "iisalmi", "Iisalmi")
    if not provisional:
        assert {e.party for e in moved_by} == {"kuopio", "iisalmi"}


def test_by_default_a_party_that_has_not_approved_moves_nothing() -> None:
    new = edited(lambda d: edits.set_caseload(d, "iisalmi", "2020-12", 1400))
    found = effects(BASE.registry, new.registry)
    assert (found.provisional, found.before, found.after, found.moved) == (
        False,
        Side("2020-12"),
        Side("2020-12"),
        [],
    )
    assert effects(BASE.registry, new.registry, provisional=True).moved


def test_an_approval_is_an_effect_from_nothing_and_the_others_shrink() -> None:
    moved = effects(BASE.registry, TWO.registry).moved
    assert {(e.resource, e.party): (e.old, e.new) for e in moved} == {
        (rid, party): (
            expected_amounts(BASE, "2020-12", False).get((rid, party)),
            expected_amounts(TWO, "2020-12", False)[(rid, party)],
        )
        for rid in ("te_staff", "appropriations")
        for party in ("kuopio", "iisalmi")
    }
    assert [e.old for e in moved if e.party == "iisalmi"] == [None, None]
    assert all(e.new < e.old for e in moved if e.party == "kuopio")


def test_only_changed_rows_and_a_period_to_choose() -> None:
    new = edited(lambda d: edits.set_caseload(d, "iisalmi", "2020-01", 1400), TWO)
    assert effects(TWO.registry, new.registry).moved == []  # the latest period is 2020-12
    assert effects(TWO.registry, new.registry, "2020-01").moved
    assert effects(TWO.registry, TWO.registry).moved == []


def test_a_division_that_cannot_be_made_says_why() -> None:
    found = effects(BASE.registry, BASE.registry, "1999-01")
    assert found.moved == []
    assert (
        found.before
        == found.after
        == Side(
            "1999-01",
            EN["shares.no_period"].format(period="1999-01", known=", ".join(BASE.registry.periods)),
        )
    )
    none = parse(TEXT.split('[caseloads."2020-01"]')[0])
    found = effects(none.registry, BASE.registry)
    assert (found.before, found.after, found.moved) == (
        Side(None, EN["shares.no_periods"]),
        Side("2020-12"),
        [],
    )


def test_the_last_approval_taken_back_is_an_effect_to_nothing() -> None:
    # Only Kuopio has approved; without it, no party shares.
    pending = replaced(
        '[parties.kuopio.decision]\noutcome = "approved"',
        '[parties.kuopio.decision]\noutcome = "pending"',
    )
    found = effects(BASE.registry, pending.registry)
    assert found.after == Side("2020-12", EN["semdiff.nobody_shares"])
    assert {(e.resource, e.party, e.old, e.new) for e in found.moved} == {
        ("te_staff", "kuopio", Decimal("61.5"), None),
        ("appropriations", "kuopio", Decimal("4300000"), None),
    }


def test_a_party_joining_is_an_effect_from_nothing() -> None:
    joined = edited(lambda d: edits.set_status(d, "heinavesi", "party"))
    moved = effects(BASE.registry, joined.registry, provisional=True).moved
    heinavesi = [e for e in moved if e.party == "heinavesi"]
    assert len(heinavesi) == 2 and all(e.old is None and e.new > 0 for e in heinavesi)
    # Approved too: it shares in the default division as well.
    approved = approve("heinavesi", joined)
    moved = effects(BASE.registry, approved.registry).moved
    assert {e.party for e in moved} == {"kuopio", "heinavesi"}


@pytest.mark.parametrize(
    ("path", "affects"),
    [
        (("caseloads", "2020-12", "iisalmi"), True),
        (("people", "jakelu"), False),
        (("parties", "iisalmi"), True),
        (("parties", "iisalmi", "status"), True),
        (("parties", "iisalmi", "decision"), True),
        (("parties", "iisalmi", "decision", "outcome"), True),
        (("parties", "iisalmi", "decision", "minutes"), False),
        (("parties", "iisalmi", "region"), False),
        (("parties", "iisalmi", "name"), False),
        (("resources", "te_staff", "total"), True),
        (("resources", "te_staff", "name"), False),
    ],
)
def test_which_changes_can_move_an_allocation(path: tuple, affects: bool) -> None:
    assert affects_allocations([FieldChange(path, 1, 2)]) is affects
