"""`kokeilu status`: in force or not, who is missing, the application, the regions."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
