"""The letter as written: every passage of the bundled registry is the letter's own text.

`data/aiesopimus.txt` is the letter as the municipalities received it (a copy of the source
document, with its line breaks and hyphenation). A passage must occur in it word for word, once
the letter's line breaks are undone: a hyphen that ends a line splits a word (`aiesopi-` /
`muksen`), and runs of white space are one space.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kokeilu.registry.load import load
from kokeilu.registry.spec import AGREEMENT_TEXTS

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT / "data" / "aiesopimus.txt"
BUNDLED = ROOT / "data" / "pohjois-savo.toml"


def flowing(text: str) -> str:
    """`text` as one line: words split at a line's end joined, white space runs one space."""
    joined = re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "", text)
    return re.sub(r"\s+", " ", joined).strip()


def passages() -> list[tuple[str, str]]:
    """Every passage of the bundled registry: (where, text)."""
    registry = load(BUNDLED).registry
    found = [("agreement.title", registry.agreement.title)]
    found += [(f"agreement.{k}", v) for k, v in registry.agreement.texts.items()]
    found += [(f"regions.{r.id}.role", r.role) for r in registry.regions.values() if r.role]
    return found


def test_flowing_joins_the_letters_split_words() -> None:
    assert flowing("tämän aiesopi-\nmuksen  osapuolina") == "tämän aiesopimuksen osapuolina"
    assert flowing("(TE-toi-\nmiston työntekijöiden") == "(TE-toimiston työntekijöiden"
    # A hyphen inside a line stays: "kunnan- / kaupunginhallituksessa", "valmistelu- ja".
    assert flowing("kunnan- / kaupunginhalli-\ntuksessa") == "kunnan- / kaupunginhallituksessa"


def test_the_bundled_registry_holds_every_passage_of_the_letter() -> None:
    found = dict(passages())
    assert set(AGREEMENT_TEXTS) <= {k.removeprefix("agreement.") for k in found}
    assert {"regions.kuopio.role", "regions.varkaus.role", "regions.yla_savo.role"} <= set(found)


@pytest.mark.parametrize(("where", "text"), passages(), ids=[w for w, _ in passages()])
def test_every_passage_is_the_letters_own_text(where: str, text: str) -> None:
    assert flowing(text) in flowing(LETTER.read_text(encoding="utf-8")), where


def test_the_clauses_the_condensed_passages_lost_are_there() -> None:
    found = dict(passages())
    assert (
        "myötävaikuttavat osaltaan kokeilun päämäärien saavuttamiseen"
        in found["agreement.cooperation"]
    )
    assert (
        "jonka avulla eteen tulevia haasteita voidaan ratkoa yhdessä"
        in found["agreement.cooperation"]
    )
    assert found["agreement.application"].endswith("myönteisen päätöksen sovitusti.")
