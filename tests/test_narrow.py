"""Every view reads at 80x24 without cutting what matters (issue 12, item 7).

The status line keeps its counts whole; tables that do not fit give their widest text column what
is left (wrapped, or ending in "…" where a pane under the table shows it whole) and leave out
columns a line under the table shows for the row under the cursor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import git, make_repo
from tui_helpers import (
    dashboard,
    go_to_row,
    in_language,
    press,
    rewrite,
    screen_text,
    settle,
    type_text,
)

from kokeilu.tui.widgets.status_line import StatusLine


def status_lines(pilot) -> list[str]:
    """The status line's lines as drawn (the footer is the screen's last line)."""
    height = pilot.app.query_one(StatusLine).size.height
    return [line.rstrip() for line in screen_text(pilot).splitlines()[-1 - height : -1]]


async def test_the_status_line_keeps_its_counts_in_finnish_at_80_columns(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_language(monkeypatch, "fi")
    async with dashboard(bundled_copy) as pilot:
        assert status_lines(pilot)[0] == (
            " pohjois-savo… │ ei voimassa, puuttuu 9 │ ei gitissä │ virheitä 0, varoituksia 2"
        )
        # A save outside git says so at length: the save state is shortened, not the counts.
        await press(pilot, "4")
        await go_to_row(pilot, "resources-table", "iisalmi")
        await press(pilot, "enter")
        await type_text(pilot, "1400")
        await press(pilot, "enter")
        assert status_lines(pilot)[0] == (
            " pohjo… │ ei voimassa, puuttuu 9 │ tallennettu, ei … │ virheitä 0, varoituksia 2"
        )
        assert pilot.app.query_one(StatusLine).tooltip == (
            " pohjois-savo.toml │ ei voimassa, puuttuu 9 │ tallennettu, ei gitissä"
            " │ virheitä 0, varoituksia 2"
        )


async def test_the_status_line_is_whole_when_it_fits(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        assert status_lines(pilot)[0] == (
            " pohjois-savo.toml │ not in force: 9 missing │ not in git │ 0 errors, 2 warnings"
        )
        assert pilot.app.query_one(StatusLine).tooltip is None


def lines_between(pilot, first: str, count: int) -> list[str]:
    """`count` lines of the screen from the one that starts with `first`, right spaces aside."""
    lines = [line.rstrip() for line in screen_text(pilot).splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith(first))
    return lines[at : at + count]


async def test_regions_wrap_their_members_whole_at_80_columns(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        assert lines_between(pilot, " Region ", 6) == [
            " Region                        Coordinator  Members",
            " Kuopion keskinen kokeilualue  Kuopio       Kuopio, Siilinjärvi, Suonenjoki,",
            "                                            Lapinlahti",
            " Varkauden alue                Varkaus      Varkaus, Leppävirta, Joroinen,",
            "                                            Heinävesi",
            " Ylä-Savo                      Iisalmi      Iisalmi, Sonkajärvi, Vieremä",
        ]
        # The TYP area left out: the line under the tables says it for the row under the cursor.
        assert lines_between(pilot, " Name ", 1) == [
            " Name         Status     Region                        Note"
        ]
        lines = screen_text(pilot).splitlines()
        assert lines[-4].rstrip() == " Kuopio · TYP area: Kuopion seudun TYP"
        await go_to_row(pilot, "parties-table", "lapinlahti")
        lines = screen_text(pilot).splitlines()
        assert lines[-4].rstrip() == " Lapinlahti · TYP area: Ylä-Savon TYP"
        await press(pilot, "shift+tab")  # the regions table
        lines = screen_text(pilot).splitlines()
        assert lines[-4].rstrip() == " Kuopion keskinen kokeilualue · TYP area: Kuopion seudun TYP"


async def test_at_120_columns_every_column_is_in_the_table(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy, size=(120, 40)) as pilot:
        await press(pilot, "3")
        assert lines_between(pilot, " Region ", 2) == [
            " Region                        Coordinator  TYP area              Members",
            " Kuopion keskinen kokeilualue  Kuopio       Kuopion seudun TYP    Kuopio, Siilinjärvi,"
            " Suonenjoki, Lapinlahti",
        ]
        assert not pilot.app.query_one("#responsibilities-detail").display


async def test_findings_wrap_their_messages_whole_in_finnish(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_language(monkeypatch, "fi")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "6")
        assert lines_between(pilot, " Rivi ", 6) == [
            " Rivi   Vakavuus  Havainto",
            " 128:1  varoitus  Lapinlahti kuuluu TYP-alueeseen Ylä-Savon TYP, mutta",
            "                  koordinaatioalueeseen Kuopion keskinen kokeilualue",
            "                  (tunnettu poikkeus)",
            " 175:1  varoitus  Heinävesi kuuluu koordinaatioalueeseen Varkauden alue,",
            "                  mutta ei ole sopijapuoli (tila: ehdokas)",
        ]


async def test_people_show_name_organisation_and_lists_and_the_rest_below(
    bundled_copy: Path,
) -> None:
    rewrite(
        bundled_copy,
        (
            "[people.tiedoksi]",
            '[people."maija.m"]\nname = "Maija Meikäläinen"\norganisation = "Kuopion kaupunki"\n'
            'roles = ["distribution", "project_group"]\nemail = "maija.meikalainen@kuopio.fi"\n'
            'party = "kuopio"\naccess = "region"\n\n[people.tiedoksi]',
        ),
    )
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5")
        assert lines_between(pilot, " Name ", 5) == [
            " Name                            Organisation      Lists",
            " Etunimi Sukunimi (placeholder)  Organisaatio      Distribution (jakelu)",
            " Maija Meikäläinen               Kuopion kaupunki  Distribution (jakelu),",
            "                                                   Project group",
            "                                                   (projektiryhmä)",
        ]
        await go_to_row(pilot, "people-table", "maija.m")
        assert [line.rstrip() for line in screen_text(pilot).splitlines()[-5:-3]] == [
            " Maija Meikäläinen · Login: maija.m · May edit: Kuopio region · Email:",
            " maija.meikalainen@kuopio.fi",
        ]


async def test_history_cuts_a_long_change_with_an_ellipsis_and_the_pane_says_it_whole(
    tmp_path: Path,
) -> None:
    registry = make_repo(tmp_path / "repo")
    rewrite(
        registry,
        (
            '[people.jakelu]\nname = "Etunimi Sukunimi"',
            '[people.jakelu]\nname = "Maija Meikäläinen"',
        ),
    )
    git(registry.parent, "commit", "-q", "-a", "-m", "Nimi")
    change = " Maija Meikäläinen (jakelu): name Etunimi Sukunimi → Maija Meikäläinen"
    async with dashboard(registry) as pilot:
        await press(pilot, "7")
        lines = [line.rstrip() for line in screen_text(pilot).splitlines()]
        assert lines[3].startswith(" 20")
        assert lines[3].endswith("  Test Admin  Maija Meikäläinen (jakelu): name Etunimi Sukuni…")
        assert len(lines[3]) == 79
        assert change in lines


async def test_a_wider_terminal_brings_the_columns_back(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        assert pilot.app.query_one("#responsibilities-detail").display
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert lines_between(pilot, " Name ", 1) == [
            " Name         Status     Region                        TYP area              Note"
        ]
        assert not pilot.app.query_one("#responsibilities-detail").display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert lines_between(pilot, " Name ", 1) == [
            " Name         Status     Region                        Note"
        ]


async def test_a_click_on_a_heading_sorts_by_that_column_when_columns_are_left_out(
    bundled_copy: Path,
) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5")
        heading = lines_between(pilot, " Name ", 1)[0]
        await pilot.click("#people-table", offset=(heading.index("Lists"), 0))
        await settle(pilot)
        assert lines_between(pilot, " Name ", 3) == [
            " Name                            Organisation  Lists ▲",
            " Etunimi Sukunimi (placeholder)  Organisaatio  Distribution (jakelu)",
            " Etunimi Sukunimi (placeholder)  Organisaatio  For information (tiedoksi)",
        ]
        await pilot.click("#people-table", offset=(heading.index("Lists"), 0))
        await settle(pilot)
        assert lines_between(pilot, " Name ", 2)[1].endswith("For information (tiedoksi)")


async def test_every_tab_shows_whole_at_80_columns_and_with_its_key_when_wider(
    bundled_copy: Path,
) -> None:
    async with dashboard(bundled_copy) as pilot:
        assert screen_text(pilot).splitlines()[0].rstrip() == (
            " Overview Approvals Regions Resources People Findings History Trends"
        )
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert screen_text(pilot).splitlines()[0].rstrip() == (
            " 1 Overview 2 Approvals 3 Regions 4 Resources 5 People 6 Findings 7 History 8 Trends"
        )
        await press(pilot, "8")  # the keys stay whatever the labels say
        assert pilot.app.main.current_view == "trends"


async def test_the_finnish_tabs_fit_80_columns_too(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_language(monkeypatch, "fi")
    async with dashboard(bundled_copy) as pilot:
        first = screen_text(pilot).splitlines()[0].rstrip()
    assert first == " Yleiskuva Päätökset Alueet Resurssit Henkilöt Havainnot Historia Kehitys"
