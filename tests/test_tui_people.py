"""People (5): the distribution list, the for-information list and the project group."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import (
    comments,
    confirm,
    dashboard,
    diff,
    form,
    go_to_row,
    press,
    row,
    shown_keys,
    static_text,
    type_text,
)

from kokeilu.text.strings import t

TABLE = "people-table"


async def test_a_adds_a_person(bundled_copy: Path) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5", "a")
        assert form(pilot).title_text == t("ui.person_new")
        typed = ("maija.m", "Maija Meikäläinen", "Kuopion kaupunki", "maija@kuopio.fi", "+358 17 1")
        for text in typed:
            await type_text(pilot, text)
            await press(pilot, "tab")
        await press(pilot, "down", "down", "space")  # roles: the project group
        await press(pilot, "ctrl+s")
        assert not pilot.app.screen.is_modal
        assert row(pilot, TABLE, "maija.m") == [
            "maija.m",
            "Maija Meikäläinen",
            "Kuopion kaupunki",
            t("role.project_group"),
            "",  # may edit: not set
            "maija@kuopio.fi",
        ]
        await press(pilot, "1")
        assert "Maija Meikäläinen, Kuopion kaupunki" in static_text(pilot, "#overview-people")
    # The new table goes after the last person, before the comment that opens the caseloads.
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == [
        '+[people."maija.m"]',
        '+name = "Maija Meikäläinen"',
        '+organisation = "Kuopion kaupunki"',
        '+email = "maija@kuopio.fi"',
        '+phone = "+358 17 1"',
        '+roles = ["project_group"]',
        "+",
    ]


NOT_NEW_LOGINS = [
    ("Maija M", t("valid.id", value="Maija M")),  # not a login
    ("jakelu", t("valid.exists", value="jakelu")),  # taken
    ("", t("valid.id", value="")),  # empty
]


async def test_a_new_person_needs_a_new_login_and_a_name(bundled_copy: Path) -> None:
    """Each refused login in turn, in one dashboard."""
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5")
        for typed, message in NOT_NEW_LOGINS:
            await press(pilot, "a")
            await type_text(pilot, typed)
            assert form(pilot).errors == {"login": message, "name": t("valid.required")}, typed
            await press(pilot, "enter")  # refused: the form stays
            assert form(pilot).values()["login"] == typed
            await press(pilot, "escape")
            assert not pilot.app.screen.is_modal
    assert bundled_copy.read_bytes() == before


async def test_enter_edits_a_person_and_a_real_name_is_no_placeholder(bundled_copy: Path) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5")
        assert row(pilot, TABLE, "tiedoksi")[1] == t("ui.placeholder", name="Etunimi Sukunimi")
        await go_to_row(pilot, TABLE, "tiedoksi")
        await press(pilot, "enter")
        assert form(pilot).values()["name"] == "Etunimi Sukunimi"
        await type_text(pilot, "Matti Virtanen")  # replaces the name shown
        await press(pilot, "enter")
        assert row(pilot, TABLE, "tiedoksi")[1] == "Matti Virtanen"
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == [
        '-name = "Etunimi Sukunimi"',
        '+name = "Matti Virtanen"',
        "-placeholder = true",
    ]


def removed_lines(login: str, role: str) -> list[str]:
    """The lines of a placeholder person's table (and the blank line after it), removed."""
    return [
        f"-[people.{login}]",
        '-name = "Etunimi Sukunimi"',
        '-organisation = "Organisaatio"',
        f'-roles = ["{role}"]',
        "-placeholder = true",
        "-",
    ]


@pytest.mark.parametrize(
    ("login", "answer", "removed"),
    [
        ("jakelu", "y", removed_lines("jakelu", "distribution")),
        ("tiedoksi", "y", removed_lines("tiedoksi", "info")),
        ("tiedoksi", "n", []),
        ("tiedoksi", "escape", []),
    ],
)
async def test_delete_removes_a_person_after_asking(
    bundled_copy: Path, login: str, answer: str, removed: list[str]
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5")
        await go_to_row(pilot, TABLE, login)
        await press(pilot, "delete")
        assert t("ui.confirm_remove", name="Etunimi Sukunimi") in confirm(pilot)
        await press(pilot, answer)
        assert not pilot.app.screen.is_modal
        everyone = ["jakelu", "tiedoksi"]
        assert shown_keys(pilot, TABLE) == [p for p in everyone if not removed or p != login]
    after = bundled_copy.read_text(encoding="utf-8")
    assert diff(before, after) == removed
    assert comments(after) == comments(before)


async def test_slash_filters_people(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5", "slash")
        await type_text(pilot, t("role.info"))
        assert shown_keys(pilot, TABLE) == ["tiedoksi"]
        await press(pilot, "escape")
        assert shown_keys(pilot, TABLE) == ["jakelu", "tiedoksi"]


@pytest.mark.parametrize("large", [False, True])
async def test_a_form_judges_a_tomlkit_edit_as_typed_only_in_a_registry_of_moderate_size(
    tmp_path: Path, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    from bench.generate import generate
    from kokeilu.editing import preview as preview_module

    registry = bundled_copy
    if large:  # 300 parties x 48 months, just past the limit: tomlkit needs ~1 s to read it
        from kokeilu.tui.views.base import LIVE_JUDGE_LIMIT

        registry = tmp_path / "large.toml"
        registry.write_text(generate(300, 48), encoding="utf-8")
        assert LIVE_JUDGE_LIMIT < len(registry.read_text(encoding="utf-8")) < 2 * LIVE_JUDGE_LIMIT
    judged: list[object] = []
    real = preview_module.preview

    def counted(*args: object, **kwargs: object) -> object:
        judged.append(args[1])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(preview_module, "preview", counted)
    async with dashboard(registry) as pilot:
        await press(pilot, "5", "a")
        await type_text(pilot, "maija.m")
        typed = len(judged)
        await press(pilot, "tab")
        await type_text(pilot, "Maija")
        await press(pilot, "ctrl+s")
        assert not pilot.app.screen.is_modal
    assert (typed == 0) is large
    assert '[people."maija.m"]\nname = "Maija"' in registry.read_text(encoding="utf-8")


async def test_a_burst_of_typed_keys_is_judged_once_not_once_a_key(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paste or a fast typist's keys arrive together; each preview of a new person (an edit
    only tomlkit writes) costs ~20 ms, so the form judges what they made, once."""
    from kokeilu.tui.views.base import View

    judged: list[object] = []
    real = View.judge

    def counting(self: View, edit: object) -> object:
        judged.append(edit)
        return real(self, edit)  # type: ignore[arg-type]

    monkeypatch.setattr(View, "judge", counting)
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5", "a")
        judged.clear()
        await type_text(pilot, "tiedoksi")  # a login already taken, typed in one burst
        assert len(judged) <= 2
        assert form(pilot).errors["login"] == t("valid.exists", value="tiedoksi")
