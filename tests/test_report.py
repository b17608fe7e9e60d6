"""`kokeilu report application`: the application dossier, in Markdown and printable HTML.

The dossier is read as a ministry official would: the exact lines for the bundled registry, a
registry in English, contact persons with and without phone and email, hostile names that must
print as written and make no markup, and the HTML printed to PDF by headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import BUNDLED, examples, run_kokeilu
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from kokeilu.cli.report import render
from kokeilu.registry.load import load

PREPARED = dt.date(2019, 11, 19)


def dossier(path: Path, fmt: str = "md") -> str:
    return render(load(path).registry, fmt, PREPARED)


def section(text: str, number: int) -> str:
    """The Markdown of part `number`, its heading included, up to the next part."""
    start = text.index(f"\n## {number}. ") + 1
    end = text.find(f"\n## {number + 1}. ")
    return text[start : end + 1 if end != -1 else len(text)]


FRONT_AND_PARTICIPANTS = """\
# Työllisyyden kuntakokeilun hakemus: Pohjois-Savo

- **Aiesopimus:** Kuntien välinen aiesopimus työllisyyden kuntakokeilun toteuttamisesta Pohjois-Savossa
- **Hakija:** Kuopio
- **Hallinnoija:** Kuopio
- **Yhteystaho valtakunnallisissa verkostoissa:** Kuopio
- **Ministeriö:** Työ- ja elinkeinoministeriö (TEM)
- **Ministeriön kirje:** 8.10.2019
- **Haun määräaika:** 19.11.2019
- **Voimaantulo:** Sopimus ei ole voimassa: 10 sopijapuolesta 9 ei ole vielä hyväksynyt sitä.
- **Laadittu:** 19.11.2019

## 1. Kokeiluun osallistuvat kunnat

Hakemukseen kirjataan mukaan lähtijöiksi kunnat, joiden hallitus on tehnyt asiasta myönteisen päätöksen: 1/10 sopijapuolesta.

| Kunta | Toimielin | Päivämäärä | Pöytäkirja | Diaarinumero |
| --- | --- | --- | --- | --- |
| Kuopio | kaupunginhallitus | 11.11.2019 | § 139 | 8459/05.20.00/2019 |

## 2. Yhteyshenkilöt

Kunkin mukaan lähtevän kunnan yhteyshenkilö: rekisterin henkilöt, jotka edustavat kuntaa.

| Kunta | Yhteyshenkilö | Organisaatio | Puhelin | Sähköposti |
| --- | --- | --- | --- | --- |
| Kuopio | *puuttuu* |  | *puuttuu* | *puuttuu* |

"""

VARKAUS_REGION = """\
### Varkauden alue

- **Koordinoiva kunta:** Varkaus
- **Kunnat:** Varkaus, Leppävirta, Joroinen, Heinävesi (ei sopijapuoli: ehdokas)
- **TYP-alue:** Varkauden seudun TYP

**Tehtävä**

> Varkaus koordinoi käytännön toimintaa Varkauden alueella (Varkaus, Leppävirta, Joroinen, Heinävesi) ja tekee kiinteää yhteistyötä ao. kuntien kanssa.
"""

ATTACHMENTS_AND_MISSING = """\
## 5. Liitteet

**Liitteet**

> Mukaan lähtevien kuntien hallitusten päätökset

- Kuopio: Kuopion kaupunginhallituksen pöytäkirja 11.11.2019 § 139

## 6. Vielä puuttuu

Ennen kuin hakemus on valmis:

- Kuopio: yhteyshenkilö puuttuu
- Siilinjärvi: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Suonenjoki: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Lapinlahti: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Varkaus: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Leppävirta: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Joroinen: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Iisalmi: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Sonkajärvi: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Vieremä: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu
- Heinävesi: mainittu koordinaatioalueen jäseneksi (Varkauden alue), mutta ei ole sopijapuoli (ehdokas)
"""


def test_the_bundled_registry_gives_its_dossier_in_finnish() -> None:
    text = dossier(BUNDLED)
    assert text.startswith(FRONT_AND_PARTICIPANTS + "## 3. Koordinaatioalueet\n")
    assert VARKAUS_REGION in section(text, 3)
    assert text.endswith(ATTACHMENTS_AND_MISSING)


def test_every_passage_of_the_letter_is_quoted_as_written_the_aim_first() -> None:
    registry = load(BUNDLED).registry
    letter = section(dossier(BUNDLED), 4)
    assert letter.startswith(
        "## 4. Tavoitteet ja toimenpiteet: aiesopimus\n\n"
        "Aiesopimuksen kohdat sellaisinaan.\n\n"
        f"**Tavoite**\n\n> {registry.agreement.texts['aim']}\n"
    )
    quoted = re.findall(r"^> (.*)$", letter, re.MULTILINE)
    passages = [v for k, v in registry.agreement.texts.items() if k != "attachments"]
    assert sorted(quoted) == sorted(passages)


def test_the_command_prints_the_dossier_in_the_registrys_language_whoever_runs_it() -> None:
    result = run_kokeilu("-f", str(BUNDLED), "report", "application", env={"KOKEILU_LANG": "en"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Työllisyyden kuntakokeilun hakemus: Pohjois-Savo\n\n")
    assert "## 6. Vielä puuttuu\n" in result.stdout
    assert f"- **Laadittu:** {dt.date.today():%-d.%-m.%Y}\n" in result.stdout
    assert result.stderr == ""


def test_an_english_registry_gives_an_english_dossier(bundled_copy: Path) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(text.replace('language = "fi"', 'language = "en"'), encoding="utf-8")
    md = dossier(bundled_copy)
    assert md.startswith("# Employment pilot application: Pohjois-Savo\n\n- **Letter of intent:** ")
    assert "| Municipality | Body | Date | Minutes | Case number |\n" in md
    assert "- Siilinjärvi: no approved decision (pending); no contact person\n" in md
    assert '<html lang="en">' in dossier(bundled_copy, "html")


PEOPLE = """
[people.maija]
name = "Maija Meikäläinen"
organisation = "Kuopion kaupunki"
email = "maija@kuopio.example"
phone = "+358 44 123 4567"
party = "kuopio"

[people.pekka]
name = "Pekka Puhelimeton"
email = "pekka@kuopio.example"
party = "kuopio"

[people.sanna]
name = "Sanna Suonenjoki"
party = "suonenjoki"
"""


def test_contact_persons_with_their_phone_and_email_and_what_they_lack(bundled_copy: Path) -> None:
    bundled_copy.write_text(bundled_copy.read_text(encoding="utf-8") + PEOPLE, encoding="utf-8")
    check = run_kokeilu("-f", str(bundled_copy), "check")
    assert "phone" not in check.stdout + check.stderr  # a known key: no warning
    md = dossier(bundled_copy)
    assert section(md, 2).endswith(
        "| Kunta | Yhteyshenkilö | Organisaatio | Puhelin | Sähköposti |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| Kuopio | Maija Meikäläinen | Kuopion kaupunki | +358 44 123 4567 | maija@kuopio.example |\n"
        "| Kuopio | Pekka Puhelimeton |  | *puuttuu* | pekka@kuopio.example |\n\n"
    )
    missing = section(md, 6)
    assert "- Kuopio: yhteyshenkilöltä Pekka Puhelimeton puuttuu puhelinnumero\n" in missing
    assert (
        "- Suonenjoki: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilöltä Sanna "
        "Suonenjoki puuttuu puhelinnumero ja sähköpostiosoite\n"
    ) in missing
    assert "Siilinjärvi: ei hyväksyttyä päätöstä (käsittelemättä); yhteyshenkilö puuttuu" in missing


def test_nothing_missing_once_every_party_approved_with_reachable_contacts(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(
        """schema = 1
[agreement]
title = "Aiesopimus"
applicant = "a"
administrator = "a"
ministry_letter = 2019-10-08
aim = "Tavoite."
[regions.r]
name = "Alue"
coordinator = "a"
role = "A koordinoi."
[parties.a]
name = "A"
kind = "kunta"
body = "kunnanhallitus"
region = "r"
status = "party"
[parties.a.decision]
outcome = "approved"
date = 2019-11-11
minutes = "§ 1"
case = "1/2019"
attachment = "A:n pöytäkirja"
[people.x]
name = "X"
email = "x@a.example"
phone = "1"
party = "a"
""",
        encoding="utf-8",
    )
    md = dossier(path)
    assert md.startswith("# Työllisyyden kuntakokeilun hakemus\n")
    assert "- **Voimaantulo:** Sopimus on voimassa 11.11.2019 alkaen.\n" in md
    assert md.endswith("## 6. Vielä puuttuu\n\nMitään ei puutu.\n")


# Names that would make markup if written raw: HTML, emphasis, a table's cell border, a
# heading, a list, a link, an escape sequence and a bidi override.
HOSTILE = {
    "kuopio": "<script>alert(1)</script>*Kuo*pio*",
    "siilinjarvi": "# Siilin | järvi",
    "suonenjoki": "1. Suonen_joki_ [x](http://evil.example)",
    "lapinlahti": "- Lapin\\u001b[31mlahti\\u202e",
}
# As each is printed: every character, control characters as their escapes.
SHOWN = {
    "kuopio": "<script>alert(1)</script>*Kuo*pio*",
    "siilinjarvi": "# Siilin | järvi",
    "suonenjoki": "1. Suonen_joki_ [x](http://evil.example)",
    "lapinlahti": "- Lapin\\x1b[31mlahti\\u202e",
}


def hostile_registry(path: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    for pid, name in HOSTILE.items():
        plain = load(BUNDLED).registry.parties[pid].name
        text = text.replace(
            f'[parties.{pid}]\nname = "{plain}"', f'[parties.{pid}]\nname = "{name}"'
        )
    for pid in ("siilinjarvi", "suonenjoki", "lapinlahti"):
        text = text.replace(
            f'[parties.{pid}.decision]\noutcome = "pending"',
            f'[parties.{pid}.decision]\noutcome = "approved"\ndate = 2019-11-12\n'
            f'minutes = "§ 2 | *x*"\ncase = "<b>{pid}</b>"',
        )
    text += (
        '\n[people.h]\nname = "**Bold** `code` <i>x</i>"\nparty = "kuopio"\nphone = "+358 | 1"\n'
    )
    path.write_text(text, encoding="utf-8")
    return path


class Structure(HTMLParser):
    """The tags of an HTML text and its text, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def structure(html: str) -> Structure:
    parsed = Structure()
    parsed.feed(html)
    return parsed


def test_hostile_names_in_markdown_print_as_written_and_make_no_markup(
    bundled_copy: Path,
) -> None:
    md = dossier(hostile_registry(bundled_copy))
    assert "\x1b" not in md and "\u202e" not in md
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    parsed = structure(rendered)
    # Only the dossier's own markup: one title, no HTML, links, code or headings of the names.
    assert parsed.tags.count("h1") == 1
    assert parsed.tags.count("h2") == 6
    assert parsed.tags.count("h3") == 3
    for tag in ("script", "a", "code", "i", "b", "ol"):
        assert tag not in parsed.tags, tag
    text = "".join(parsed.text)
    for shown in SHOWN.values():
        assert shown in text
    assert "**Bold** `code` <i>x</i>" in text
    # The participants' table keeps its five columns in every row, `|` in names and all.
    participants = section(md, 1)
    table = MarkdownIt("commonmark").enable("table").render(participants)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    assert len(rows) == 5
    assert all(row.count("<td>") + row.count("<th>") == 5 for row in rows)
    contacts = MarkdownIt("commonmark").enable("table").render(section(md, 2))
    assert "<td>+358 | 1</td>" in contacts


def test_hostile_names_in_html_are_escaped(bundled_copy: Path) -> None:
    html = dossier(hostile_registry(bundled_copy), "html")
    assert "\x1b" not in html and "\u202e" not in html
    parsed = structure(html)
    for tag in ("script", "a", "i", "b"):
        assert tag not in parsed.tags, tag
    text = "".join(parsed.text)
    for shown in SHOWN.values():
        assert shown in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_output_file_and_a_file_that_cannot_be_written(tmp_path: Path) -> None:
    out = tmp_path / "hakemus.html"
    result = run_kokeilu(
        "-f", str(BUNDLED), "report", "application", "--format", "html", "-o", str(out)
    )
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == f"{out}: the application dossier written\n"  # the user's language
    assert out.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="fi">\n')
    bad = tmp_path / "no-such-folder" / "h.md"
    result = run_kokeilu("-f", str(BUNDLED), "report", "application", "-o", str(bad))
    assert result.returncode == 1
    assert result.stderr == f"{bad}: error: cannot write: No such file or directory\n"


def test_a_registry_with_errors_gives_no_dossier(bundled_copy: Path) -> None:
    text = bundled_copy.read_text(encoding="utf-8").replace(
        'region = "varkaus"', 'region = "nowhere"', 1
    )
    bundled_copy.write_text(text, encoding="utf-8")
    result = run_kokeilu("-f", str(bundled_copy), "report", "application")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "error" in result.stderr


def test_only_the_application_is_a_report() -> None:
    result = run_kokeilu("-f", str(BUNDLED), "report", "minutes")
    assert result.returncode == 2
    assert "invalid choice: 'minutes'" in result.stderr


def chromium() -> str:
    """Debian's chromium; CI installs it (.ci/run), so there a missing one is a failure."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        assert not os.environ.get("CI"), "CI must have chromium: .ci/run installs it"
        pytest.skip("needs chromium (apt-get install chromium)")
    return found


def print_to_pdf(html: Path, pdf: Path) -> None:
    subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={html.parent / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def pdf_pages(pdf: bytes) -> int:
    """The page count a PDF declares (its page tree's /Count)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)


def test_the_html_prints_to_a4_pages_in_headless_chromium(tmp_path: Path) -> None:
    html = tmp_path / "hakemus.html"
    html.write_text(dossier(BUNDLED, "html"), encoding="utf-8")
    pdf = tmp_path / "hakemus.pdf"
    print_to_pdf(html, pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    # The front and parts 1-3, the letter from a new page, and what is missing from another.
    assert 3 <= pdf_pages(data) <= 8
    assert 20_000 < len(data) < 2_000_000
    # A4 in points (595 x 842), as the print CSS asks.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]", data)


def test_hostile_html_prints_too(bundled_copy: Path, tmp_path: Path) -> None:
    html = tmp_path / "hostile.html"
    html.write_text(dossier(hostile_registry(bundled_copy), "html"), encoding="utf-8")
    pdf = tmp_path / "hostile.pdf"
    print_to_pdf(html, pdf)
    assert pdf_pages(pdf.read_bytes()) >= 3


# --- Markdown escaping, one text at a time -------------------------------------------------

MD = MarkdownIt("commonmark").enable("table")


def paragraph_text(markdown: str) -> str:
    """What a Markdown reader shows of a one-paragraph text, if it is one plain paragraph."""
    rendered = MD.render(markdown)
    match = re.fullmatch(r"<p>(.*)</p>\n", rendered, re.DOTALL)
    assert match, f"not one plain paragraph: {rendered!r}"
    assert "<" not in match[1], f"markup made: {rendered!r}"
    return html_unescape(match[1])


@pytest.mark.parametrize(
    "text",
    [
        "+ Kuopio",
        "+358 44 123 4567",
        "-5 %",
        "- x",
        "---",
        "===",
        "1. Kuopio",
        "2) Kuopio",
        "2019. vuosi",
        "    koodia",
        "# otsikko",
        "> lainaus",
        "*x* _y_ **z** `c` ~~s~~",
        "[x](http://evil.example) <http://evil.example> ![i](x.png)",
        "&amp; &lt;b&gt; &#42;",
        "a | b \\| c \\",
        "<!-- kommentti -->",
        "Kuopio\\",
    ],
)
def test_escaped_text_reads_as_written_in_a_paragraph(text: str) -> None:
    from kokeilu.reports.markdown import escape

    assert paragraph_text(escape(text)) == text
    item = MD.render(f"- {escape(text)}\n")
    assert item.count("<li>") == 1 and item.count("<ul>") == 1
    assert html_unescape(re.sub(r"</?(ul|li)>|\n", "", item)) == text


@given(st.text(alphabet=st.sampled_from(list("ab1 .)-+=*_`[]()<>!#|\\&;~:/\"'")), min_size=1))
@settings(max_examples=examples(300))
def test_any_text_of_markdown_characters_reads_as_written(text: str) -> None:
    from kokeilu.reports.markdown import escape

    if not text.strip(" "):
        return
    assert paragraph_text(escape(text)) == text.rstrip(" ")
