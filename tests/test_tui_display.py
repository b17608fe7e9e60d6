"""Registry text on the dashboard is data: no markup, no escape reaches the terminal.

The notices are tested with notifications on (`run_test` turns them off by default), so the
toast is drawn as a user sees it.
"""

from __future__ import annotations

import re
from pathlib import Path

from gitrepo import git, make_repo
from textual import events
from textual.command import CommandPalette
from textual.content import Content
from textual.widgets import Input
from tui_helpers import (
    confirm,
    dashboard,
    form,
    go_to_row,
    notifications,
    press,
    rewrite,
    screen_text,
    static_text,
    table,
    type_text,
)

from kokeilu.editing import edits
from kokeilu.store.store import Store
from kokeilu.text.strings import t

ESC_NAME = "Iisalmi\\u001b]0;pwned\\u0007\\u001b[2J"  # as the TOML file writes it
ESC_SHOWN = "Iisalmi\\x1b]0;pwned\\x07\\x1b[2J"  # as the screen must show it: 28 visible chars


async def save_iisalmis_caseload(pilot, count: str) -> None:
    await press(pilot, "4")
    await go_to_row(pilot, "resources-table", "iisalmi")
    await press(pilot, "enter")
    await type_text(pilot, count)
    await press(pilot, "enter")


def drawn(pilot) -> str:
    """The screen's text, which must hold no control character."""
    text = screen_text(pilot)
    assert "\x1b" not in text and "\x07" not in text
    return text


def toasts(pilot) -> str:
    """The notices drawn on the screen, as rendered (title and message, one line each)."""
    drawn(pilot)
    shown = [toast.render() for toast in pilot.app.screen.query("Toast")]
    assert shown, "no notice is drawn"
    text = "\n".join(content.plain for content in shown)
    assert "\x1b" not in text and "\x07" not in text
    return text


async def test_saving_a_party_named_like_a_closing_tag_shows_the_name_and_does_not_crash(
    bundled_copy: Path,
) -> None:
    rewrite(bundled_copy, ('name = "Iisalmi"', 'name = "Iisalmi [/nope]"'))
    async with dashboard(bundled_copy, notifications=True) as pilot:
        await save_iisalmis_caseload(pilot, "1400")
        said = "Iisalmi [/nope]: caseload 2020-12 1304 → 1400"
        assert notifications(pilot)[-1] == ("information", t("ui.saved_title"), said)
        assert said in toasts(pilot)
        assert pilot.app.is_running
    assert "iisalmi = 1400" in bundled_copy.read_text(encoding="utf-8")


async def test_an_escape_sequence_in_a_name_is_shown_not_sent_in_the_save_notice(
    bundled_copy: Path,
) -> None:
    rewrite(bundled_copy, ('name = "Iisalmi"', f'name = "{ESC_NAME}"'))
    async with dashboard(bundled_copy, notifications=True) as pilot:
        await save_iisalmis_caseload(pilot, "1400")
        said = f"{ESC_SHOWN}: caseload 2020-12 1304 → 1400"
        assert notifications(pilot)[-1] == ("information", t("ui.saved_title"), said)
        assert f"{ESC_SHOWN}: caseload" in toasts(pilot)


async def test_the_author_of_a_change_elsewhere_is_shown_literally(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    repo = registry.parent
    async with dashboard(registry, notifications=True) as pilot:
        rewrite(registry, ("iisalmi = 1304", "iisalmi = 1500"))
        author = "Mallory\x1b]0;pwned\x07\x1b[2J [/nope]"
        git(repo, "-c", f"user.name={author}", "-c", "user.email=m@example.org",
            "commit", "-q", "-am", "elsewhere")  # fmt: skip
        pilot.app.main.watcher.check()
        await press(pilot)
        told = [n for n in notifications(pilot) if n[1] == t("ui.changed_on_disk")]
        assert len(told) == 1
        assert told[0][2].splitlines()[-1] == t(
            "ui.changed_by", who="Mallory\\x1b]0;pwned\\x07\\x1b[2J [/nope]"
        )
        assert "by Mallory\\x1b]0;pwned\\x07\\x1b[2J [/nope]" in toasts(pilot)


def palette_prompts(pilot) -> list[Content]:
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette), palette
    options = palette.query_one("CommandList")
    return [options.get_option_at_index(i).prompt for i in range(options.option_count)]


async def test_palette_hits_show_names_with_markup_and_escapes_as_typed(
    bundled_copy: Path,
) -> None:
    rewrite(
        bundled_copy,
        ('name = "Iisalmi"', f'name = "{ESC_NAME}"'),
        ('name = "Vieremä"', 'name = "[bold red]x[/] Vieremä"'),
        ('name = "Sonkajärvi"', 'name = "Sonkajärvi [/nope]"'),
    )
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+p")
        discovered = [prompt.plain for prompt in palette_prompts(pilot)]  # before typing
        assert "Go to party: [bold red]x[/] Vieremä" in discovered
        assert f"Go to party: {ESC_SHOWN}" in discovered
        await type_text(pilot, "Go to party")
        shown = [prompt.plain for prompt in palette_prompts(pilot)]
        for name in (ESC_SHOWN, "[bold red]x[/] Vieremä", "Sonkajärvi [/nope]"):
            assert any(s.startswith(f"Go to party: {name}") for s in shown), name
        assert not any("\x1b" in s or "\x07" in s for s in shown)
        text = drawn(pilot)
        assert "[bold red]x[/]" in text
        # The letters typed are still highlighted: "G" of the hit for Vieremä is reversed.
        hit = next(p for p in palette_prompts(pilot) if "Vieremä" in p.plain)
        assert any(span.start == 0 for span in hit.spans)
        await press(pilot, "escape")
        assert pilot.app.is_running


async def test_a_form_shows_a_name_with_escapes_literally_and_keeps_it_when_left_alone(
    bundled_copy: Path,
) -> None:
    rewrite(
        bundled_copy,
        ('name = "Etunimi Sukunimi"', 'name = "Etunimi\\u001b[2J\\u202e Sukunimi\\n[/nope]"'),
    )
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "5")
        await go_to_row(pilot, "people-table", "jakelu")
        await press(pilot, "enter")
        shown = "Etunimi\\x1b[2J\\u202e Sukunimi\\n[/nope]"
        assert pilot.app.screen.query_one("#field-name", Input).value == shown
        assert t("ui.person_title", name=shown) in drawn(pilot)
        assert form(pilot).values()["name"] == "Etunimi\x1b[2J\u202e Sukunimi\n[/nope]"
        await press(pilot, "ctrl+s")  # nothing typed: nothing changed
        assert notifications(pilot)[-1][2] == t("ui.nothing_changed")

        await press(pilot, "delete")  # the question names the person literally, on one line
        assert t("ui.confirm_remove", name=shown) in confirm(pilot).splitlines()
        drawn(pilot)
        await press(pilot, "n")
    assert bundled_copy.read_text(encoding="utf-8") == before


async def test_the_resource_form_labels_and_note_show_a_unit_literally(bundled_copy: Path) -> None:
    rewrite(bundled_copy, ('unit = "htv"', 'unit = "htv\\u001b[2J\\n[/nope]"'))
    async with dashboard(bundled_copy, size=(120, 40)) as pilot:
        await press(pilot, "4")  # the Resources view opens (a unit in a heading was markup)
        unit = "htv\\x1b[2J\\n[/nope]"
        headings = [c.label.plain for c in table(pilot, "resources-table").columns.values()]
        assert unit in headings
        await press(pilot, "e")
        labels = [str(label.render()) for label in form(pilot).query(".form-label")]
        assert labels[:2] == [t("ui.resource_total", unit=unit), t("ui.resource_step", unit=unit)]
        assert static_text(pilot, "#form-note").splitlines() == [
            f"{unit}: TE-toimiston työntekijöiden työpanos",
            "EUR: Työllisyysmäärärahat",
        ]
        drawn(pilot)


HOSTILE_TAIL = "\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202e [/nope] [bold red]x[/]"
TEXT_KEYS = ("name", "unit", "title", "organisation", "ministry", "minutes", "case", "role", "aim")


def hostile_everywhere(path: Path) -> None:
    """Every name, unit, title and free text of the registry ends in escapes and markup."""
    keys = "|".join(TEXT_KEYS)
    text = re.sub(
        rf'^({keys}) = "(.*)"$',
        lambda m: f'{m[1]} = "{m[2]}{HOSTILE_TAIL}"',
        path.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    path.write_text(text, encoding="utf-8")


async def test_every_view_draws_a_registry_full_of_escapes_and_markup_literally(
    bundled_copy: Path,
) -> None:
    hostile_everywhere(bundled_copy)
    async with dashboard(bundled_copy, size=(160, 50), notifications=True) as pilot:
        for key in "1234567":
            await press(pilot, key)
            assert pilot.app.is_running
            text = drawn(pilot)
            assert "[/nope]" in text or key in "67", key  # Findings, History: nothing to name
            assert "\\x1b]0;pwned" in text or key in "67", key
        await press(pilot, "4", "e")  # the resources form
        drawn(pilot)
        await press(pilot, "escape", "5", "enter")  # a person's form
        assert "[/nope]" in drawn(pilot)
        await press(pilot, "escape", "2", "enter")  # a decision form
        drawn(pilot)
        await press(pilot, "escape", "ctrl+p")
        await type_text(pilot, "Record decision")
        assert "[bold red]x[/]" in drawn(pilot)
        await press(pilot, "escape")
        assert pilot.app.is_running


async def test_a_conflict_names_their_value_literally(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy, notifications=True) as pilot:
        await press(pilot, "5")
        await go_to_row(pilot, "people-table", "jakelu")
        await press(pilot, "enter")
        await type_text(pilot, "Matti Virtanen")
        other = Store(bundled_copy, commit=False)  # another coordinator renames the person
        other.read()
        theirs = {"name": "Mallory\x1b]0;pwned\x07 [/nope]\nSecond line"}
        other.save(edits.put_entry(other.document.data, "people", "jakelu", theirs))
        await press(pilot, "enter")
        lines = confirm(pilot).splitlines()
        assert "Theirs: Mallory\\x1b]0;pwned\\x07 [/nope]\\nSecond line" in lines
        assert "Yours: Matti Virtanen" in lines
        drawn(pilot)
        await press(pilot, "n")
        assert pilot.app.is_running


async def test_ctrl_c_says_which_key_quits_in_words_not_markup(bundled_copy: Path) -> None:
    # Every notice is literal, so Textual's own "Press [b]ctrl+q[/b]" would show its tags.
    async with dashboard(bundled_copy, notifications=True) as pilot:
        await press(pilot, "ctrl+c")
        hint = t("ui.quit_hint", key="^q")
        assert notifications(pilot)[-1] == ("information", t("ui.quit_title"), hint)
        assert hint in toasts(pilot)
        assert pilot.app.is_running


async def test_a_saved_screenshot_is_named_in_words_not_markup(
    bundled_copy: Path, tmp_path: Path
) -> None:
    async with dashboard(bundled_copy, notifications=True) as pilot:
        saved = tmp_path / "kokeilu [x].svg"
        pilot.app.post_message(events.DeliveryComplete("key", path=saved, name="screenshot"))
        await press(pilot)
        said = t("ui.screenshot_saved", path=saved)
        assert notifications(pilot) == [("information", t("ui.screenshot_title"), said)]
