"""`kokeilu status`: in force or not, who is missing, the application, the regions."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import BUNDLED, run_kokeilu

from kokeilu.cli import main

NINE_OTHERS = [
    "iisalmi",
    "joroinen",
    "lapinlahti",
    "leppavirta",
    "siilinjarvi",
    "sonkajarvi",
    "suonenjoki",
    "varkaus",
    "vierema",
]


def status_json(capsys, *args: str) -> dict:
    assert main(["status", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def approve_all(path: Path, dates: dict[str, str]) -> None:
    """Record an approval for each party in `dates`, as a coordinator would."""
    text = path.read_text(encoding="utf-8")
    for party, day in dates.items():
        text = text.replace(
            f'[parties.{party}.decision]\noutcome = "pending"',
            f'[parties.{party}.decision]\noutcome = "approved"\ndate = {day}\nminutes = "§ 12"',
        )
    path.write_text(text, encoding="utf-8")


def test_bundled_registry_is_not_in_force(capsys) -> None:
    status = status_json(capsys, "-f", str(BUNDLED))
    assert status["in_force"] is False
    assert status["in_force_since"] is None
    assert status["application"] == ["kuopio"]
    assert status["missing"] == NINE_OTHERS
    assert set(status["missing_outcomes"].values()) == {"pending"}
    assert status["example_figures"] is True
    assert [(r["id"], r["coordinator"]) for r in status["regions"]] == [
        ("kuopio", "kuopio"),
        ("varkaus", "varkaus"),
        ("yla_savo", "iisalmi"),
    ]
    members = {r["id"]: r["members"] for r in status["regions"]}
    assert members["kuopio"] == ["kuopio", "siilinjarvi", "suonenjoki", "lapinlahti"]
    assert members["varkaus"] == ["varkaus", "leppavirta", "joroinen", "heinavesi"]
    assert members["yla_savo"] == ["iisalmi", "sonkajarvi", "vierema"]


def test_in_force_once_every_party_approved_since_the_latest_approval(bundled_copy, capsys) -> None:
    dates = {p: f"2019-11-{10 + i:02d}" for i, p in enumerate(NINE_OTHERS)}
    approve_all(bundled_copy, dates)
    status = status_json(capsys, "-f", str(bundled_copy))
    assert status["in_force"] is True
    assert status["in_force_since"] == "2019-11-18"
    assert status["missing"] == []
    assert status["application"] == sorted(["kuopio", *NINE_OTHERS])


def test_a_candidate_does_not_hold_up_entry_into_force(bundled_copy, capsys) -> None:
    # Heinävesi (candidate) stays pending: the agreement is still in force.
    approve_all(bundled_copy, dict.fromkeys(NINE_OTHERS, "2019-12-02"))
    status = status_json(capsys, "-f", str(bundled_copy))
    assert status["in_force"] is True
    assert "heinavesi" not in status["application"]


def test_text_names_the_missing_and_the_flagged_candidate(capsys) -> None:
    assert main(["-f", str(BUNDLED), "status"]) == 0
    out = capsys.readouterr().out
    assert "The agreement is not in force: 9 of 10 parties have not approved." in out
    assert "EXAMPLE FIGURES" in out
    assert re.search(r"^  Kuopio +11\.11\.2019 kaupunginhallitus § 139$", out, re.M)
    assert re.search(r"^  Vieremä +pending$", out, re.M)
    assert "Heinävesi (not a party: candidate)" in out
    assert "Ylä-Savo — coordinator Iisalmi — 0/3 approved" in out


def test_status_refuses_a_registry_with_errors(bundled_copy, capsys) -> None:
    text = bundled_copy.read_text(encoding="utf-8").replace(
        'coordinator = "varkaus"', 'coordinator = "nobody"'
    )
    bundled_copy.write_text(text, encoding="utf-8")
    assert main(["status", "-f", str(bundled_copy)]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == f"{bundled_copy}: error: the registry has errors (1); run `kokeilu check` to see them\n"
    )


def test_file_from_environment_and_from_option_after_the_command(bundled_copy, tmp_path) -> None:
    by_env = run_kokeilu("status", "--json", cwd=tmp_path, env={"KOKEILU_FILE": str(bundled_copy)})
    by_option = run_kokeilu("status", "--json", "-f", str(bundled_copy), cwd=tmp_path)
    assert by_env.returncode == by_option.returncode == 0
    assert json.loads(by_env.stdout) == json.loads(by_option.stdout)


def test_default_file_is_the_bundled_registry_relative_to_the_working_folder(tmp_path) -> None:
    here = run_kokeilu("status", "--json")
    assert here.returncode == 0 and json.loads(here.stdout)["application"] == ["kuopio"]
    elsewhere = run_kokeilu("status", cwd=tmp_path)
    assert elsewhere.returncode == 2
    assert elsewhere.stderr == (
        "data/pohjois-savo.toml: error: no such file (give one with -f FILE or $KOKEILU_FILE)\n"
    )
    assert "Traceback" not in elsewhere.stderr


# --- Issue 12: who approved and when, since when the letter waits, the deadline, roles, notes ----


def days_since_the_deadline() -> int:
    return (dt.date.today() - dt.date(2019, 11, 19)).days


def test_text_says_since_when_the_letter_waits_and_how_far_the_deadline_is(capsys) -> None:
    assert main(["-f", str(BUNDLED), "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("The agreement is not in force: 9 of 10 parties have not approved.")
    assert lines[at + 1 : at + 3] == [
        "Waiting since 11.11.2019, when Kuopio approved first.",
        f"Application deadline 19.11.2019: passed {days_since_the_deadline()} days ago.",
    ]
    at = lines.index("Approved (1): the municipalities the application lists")
    assert lines[at + 1 : at + 3] == [
        "  Kuopio       11.11.2019 kaupunginhallitus § 139",
        "               case 8459/05.20.00/2019",
    ]


def test_text_quotes_each_regions_role_wrapped_to_80_columns(capsys) -> None:
    assert main(["-f", str(BUNDLED), "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("  Varkauden alue — coordinator Varkaus — 0/3 approved")
    assert lines[at + 1 : at + 5] == [
        "    Varkaus, Leppävirta, Joroinen, Heinävesi (not a party: candidate)",
        "    role: “Varkaus koordinoi käytännön toimintaa Varkauden alueella (Varkaus,",
        "      Leppävirta, Joroinen, Heinävesi) ja tekee kiinteää yhteistyötä ao. kuntien",
        "      kanssa.”",
    ]
    assert max(len(line) for line in lines if "role" in line or line.startswith("      ")) <= 80


def test_notes_and_case_numbers_are_shown_under_their_municipality(bundled_copy, capsys) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    text = text.replace(
        '[parties.varkaus.decision]\noutcome = "pending"',
        '[parties.varkaus.decision]\noutcome = "pending"\ncase = "112/00.01/2019"\n'
        'note = "kaupunginhallitus käsittelee 25.11."',
    )
    text = text.replace(
        'typ_area = "varkaus"\nstatus = "party"\n\n[parties.varkaus.decision]',
        'typ_area = "varkaus"\nstatus = "party"\nnote = "yhteyshenkilö vaihtuu"\n\n'
        "[parties.varkaus.decision]",
    )
    bundled_copy.write_text(text, encoding="utf-8")
    assert main(["-f", str(bundled_copy), "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("  Varkaus      pending")
    assert lines[at + 1 : at + 4] == [
        "               case 112/00.01/2019",
        "               note: kaupunginhallitus käsittelee 25.11.",
        "               note: yhteyshenkilö vaihtuu",
    ]
    status = status_json(capsys, "-f", str(bundled_copy))
    assert status["decisions"]["varkaus"] == {
        "outcome": "pending",
        "body": None,
        "date": None,
        "minutes": None,
        "case": "112/00.01/2019",
        "attachment": None,
        "note": "kaupunginhallitus käsittelee 25.11.",
    }
    assert status["notes"] == {"varkaus": "yhteyshenkilö vaihtuu"}


def test_json_gives_the_approvals_the_deadline_and_the_roles(capsys) -> None:
    status = status_json(capsys, "-f", str(BUNDLED))
    assert status["approvals"] == [{"party": "kuopio", "date": "2019-11-11"}]
    assert status["waiting_since"] == {"party": "kuopio", "date": "2019-11-11"}
    assert status["application_deadline"] == "2019-11-19"
    assert status["today"] == dt.date.today().isoformat()
    assert status["days_to_deadline"] == -days_since_the_deadline()
    assert status["decisions"]["kuopio"]["case"] == "8459/05.20.00/2019"
    assert status["notes"] == {}
    roles = {r["id"]: r["role"] for r in status["regions"]}
    assert roles["yla_savo"] == (
        "Iisalmi koordinoi ja tukee toimintaa vastaavasti Ylä-Savossa (Iisalmi, Sonkajärvi, "
        "Vieremä) pl. Lapinlahti."
    )


@pytest.mark.parametrize(
    ("days", "line"),
    [
        (12, "Application deadline {date}: 12 days left."),
        (1, "Application deadline {date}: tomorrow."),
        (0, "Application deadline {date}: today."),
        (-1, "Application deadline {date}: passed yesterday."),
        (-3, "Application deadline {date}: passed 3 days ago."),
    ],
    ids=["ahead", "tomorrow", "today", "yesterday", "passed"],
)
def test_the_deadline_in_words_relative_to_today(bundled_copy, capsys, days, line) -> None:
    deadline = dt.date.today() + dt.timedelta(days=days)
    text = bundled_copy.read_text(encoding="utf-8").replace(
        "application_deadline = 2019-11-19", f"application_deadline = {deadline.isoformat()}"
    )
    bundled_copy.write_text(text, encoding="utf-8")
    assert main(["-f", str(bundled_copy), "status"]) == 0
    shown = f"{deadline.day}.{deadline.month}.{deadline.year}"
    assert line.format(date=shown) in capsys.readouterr().out.splitlines()


def test_in_force_the_text_names_no_wait_and_no_one_missing(bundled_copy, capsys) -> None:
    approve_all(bundled_copy, {p: "2019-11-15" for p in NINE_OTHERS})
    assert main(["-f", str(bundled_copy), "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("The agreement is in force since 15.11.2019.")
    assert lines[at + 1] == (
        f"Application deadline 19.11.2019: passed {days_since_the_deadline()} days ago."
    )
    assert not any(line.startswith("Waiting since") for line in lines)
    assert "Approved (10): the municipalities the application lists" in lines


def test_without_approvals_the_text_says_none_has_approved(bundled_copy, capsys) -> None:
    text = bundled_copy.read_text(encoding="utf-8").replace(
        'outcome = "approved"\nbody = "kaupunginhallitus"\ndate = 2019-11-11\nminutes = "§ 139"\n'
        'case = "8459/05.20.00/2019"\n',
        'outcome = "pending"\n',
    )
    bundled_copy.write_text(text, encoding="utf-8")
    assert main(["-f", str(bundled_copy), "status"]) == 0
    assert "No party has approved yet." in capsys.readouterr().out.splitlines()
    assert status_json(capsys, "-f", str(bundled_copy))["waiting_since"] is None
