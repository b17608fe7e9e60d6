"""Writing a value edit into the text gives byte for byte what tomlkit writes, or leaves it to tomlkit."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from typing import Any

import pytest
from conftest import BUNDLED, examples
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from kokeilu.editing import edits, toml_writer
from kokeilu.editing.edits import Change, Edit
from kokeilu.editing.splice import splice

AWKWARD = """\
# A registry-shaped file with everything a hand may write.
schema = 1
title = "Quote \\" and backslash \\\\ and # hash"   # trailing comment
'literal key' = 'C:\\path\\# not a comment'
"quoted.key" = "ünïcödé ✓ \\u00e9"
grouped = 4_300_000 # grouped
hexy = 0xdead_beef
negative = -1_000
flt = 6.02e23
exact = 61.5
when = 2019-11-11
stamp = 1979-05-27 07:32:00Z
local = 1979-05-27T07:32:00.123
clock = 07:32:00
flag = true
tight=1#c
list = ["a", 'b', "c#d", "[x]"] # list comment
nested = [[1, 2], ["x"]]
inline = { a = 1, b = "two", c = [3] }
dotted.key = 3

[table]
  indented = "yes"{SPACES}
  "quoted key" = 5
  'lit' = 6
  emptystr = ""
  brackets = "a [b] c"

[table.sub] # header comment
x = 1
  [table.sub.deeper]
  y = "z"

[ spaced . header ]
y = 2

[other."2020-01"]
kuopio = 6874 # the biggest
iisalmi = 1304

[[aot]]
a = 1
b = "x"

[[aot]]
a = 2
recipients = ["kuopio", "iisalmi"]

[regions.one]
name = "One"

[typ_areas.one]
name = "TYP one"

[regions.two]
name = "Two"
""".replace("{SPACES}", "   ")  # trailing blanks after a value

MULTILINE_ARRAY = AWKWARD + '\n[late]\nz = [\n  1,\n  "[not.a.header]",\n]\nw = 1\n'
MULTILINE_STRING = AWKWARD + '\n[late]\nz = """\n[table]\nindented = "no"\n"""\nw = 1\n'

TEXTS = {
    "bundled": BUNDLED.read_text(encoding="utf-8"),
    "generated": generate(12, 3),
    "awkward": AWKWARD,
    "crlf": AWKWARD.replace("\n", "\r\n"),
    "multiline_array": MULTILINE_ARRAY,
    "multiline_string": MULTILINE_STRING,
}
# The awkward texts most often: the registries are plain, and the multi-line ones never splice.
WEIGHTED = ["awkward"] * 4 + ["crlf"] * 2 + ["bundled", "generated"] * 2 + list(TEXTS)[-2:]
DATA = {name: tomllib.loads(text, parse_float=Decimal) for name, text in TEXTS.items()}


def by_tomlkit(text: str, edit: Edit) -> str:
    """What the save path wrote before splicing: the edit applied to the tomlkit document."""
    import tomlkit

    doc = tomlkit.parse(text)
    toml_writer.apply(doc, edit)
    return doc.as_string()


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path in parsed data: tables, values, array-of-tables items and their keys."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((*prefix, key))
            out += paths(value, (*prefix, key))
    elif isinstance(node, list) and node and all(isinstance(v, dict) for v in node):
        for i, value in enumerate(node):
            out += paths(value, (*prefix, i))
    return out


AWKWARD_TEXT = st.text(
    st.one_of(
        st.sampled_from(list('"\\#\'[]{}=.\n\r\t\x00\x1b\x7f é✓𝄞"""')), st.characters(codec="utf-8")
    ),
    max_size=12,
)
SCALARS = st.one_of(
    st.integers(-(10**15), 10**15),
    st.decimals(allow_nan=False, allow_infinity=False, places=1),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False),
    AWKWARD_TEXT,
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=2))])),
    st.times(),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.lists(st.lists(st.integers(0, 9), max_size=2), max_size=2),
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_spliced_edit_is_byte_for_byte_what_tomlkit_writes(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(WEIGHTED))
    text, parsed = TEXTS[name], DATA[name]
    every = paths(parsed)
    values = [p for p in every if not isinstance(edits.value_at(parsed, p), dict)]
    chosen = data.draw(
        st.lists(
            st.one_of(st.sampled_from(values), st.sampled_from(every)),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    edit = Edit(
        "test",
        (),
        tuple(
            Change(path, edits.value_at(parsed, path), data.draw(VALUES, label=str(path)))
            for path in chosen
        ),
    )
    spliced = splice(text, parsed, edit)
    event(f"{name}: {'spliced' if spliced is not None else 'left to tomlkit'}")
    if spliced is not None:
        assert spliced == by_tomlkit(text, edit)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_edits_spliced_one_after_another_match_tomlkit_at_each_step(data: st.DataObject) -> None:
    import tomlkit

    name = data.draw(st.sampled_from(["awkward", "crlf", "bundled"]))
    text, parsed = TEXTS[name], DATA[name]
    # The tomlkit document is kept from edit to edit, as the save path keeps it.
    doc = tomlkit.parse(text)
    for _ in range(4):
        values = [p for p in paths(parsed) if not isinstance(edits.value_at(parsed, p), dict)]
        path = data.draw(st.sampled_from(values))
        edit = Edit("test", (), (Change(path, edits.value_at(parsed, path), data.draw(VALUES)),))
        spliced = splice(text, parsed, edit)
        toml_writer.apply(doc, edit)
        expected = doc.as_string()
        if spliced is not None:
            assert spliced == expected
        # Go on from the spliced text itself: the splicer remembers where its headers are.
        text = expected if spliced is None else spliced
        parsed = tomllib.loads(text, parse_float=Decimal)


def test_the_coordinators_value_edits_are_all_spliced_and_match_tomlkit() -> None:
    for name in ("bundled", "generated"):
        text, data = TEXTS[name], DATA[name]
        period = max(data["caseloads"])
        party = next(iter(data["caseloads"][period]))
        people = next(iter(data.get("people", {"x": {}})))
        cases = [
            edits.set_caseload(data, party, period, 123_456),
            edits.set_status(data, party, "withdrawn"),
            edits.move_party(data, party, list(data["regions"])[-1]),
            edits.set_coordinator(data, list(data["regions"])[-1], party),
            edits.set_resource(data, "appropriations", total=Decimal("4400000")),
            edits.set_resource(data, "te_staff", total=Decimal("62.25"), step=Decimal("0.5")),
            edits.import_caseloads(
                data, [(p, period, 7) for p in list(data["caseloads"][period])[:5]], "x.csv"
            ),
        ]
        if "people" in data:
            cases.append(
                edits.put_entry(
                    data,
                    "people",
                    people,
                    {"name": 'Maija "M" Meikäläinen \\ #1', "roles": ["info"]},
                )
            )
        for edit in cases:
            assert edit.changes, (name, edit)
            spliced = splice(text, data, edit)
            assert spliced is not None, (name, edit)
            assert spliced == by_tomlkit(text, edit), (name, edit)


def test_a_grouped_number_stays_grouped_and_comments_stay() -> None:
    data = DATA["awkward"]
    edit = Edit(
        "test",
        (),
        (
            Change(("grouped",), 4_300_000, Decimal("4400000")),
            Change(("other", "2020-01", "kuopio"), 6874, 7000),
            Change(("aot", 1, "a"), 2, 3),
            Change(("table", "quoted key"), 5, "five"),
        ),
    )
    spliced = splice(AWKWARD, data, edit)
    assert spliced is not None
    assert "grouped = 4_400_000 # grouped\n" in spliced
    assert "kuopio = 7000 # the biggest\n" in spliced
    assert '  "quoted key" = "five"\n' in spliced
    assert spliced == by_tomlkit(AWKWARD, edit)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("awkward", Change(("inline", "a"), 1, 2)),  # inside an inline table
        ("awkward", Change(("dotted", "key"), 3, 4)),  # a dotted key
        ("awkward", Change(("spaced", "header", "y"), 2, 3)),  # a header written with spaces
        ("awkward", Change(("table", "new"), edits.MISSING, 1)),  # a key added
        ("awkward", Change(("table", "lit"), 6, edits.MISSING)),  # a key removed
        ("awkward", Change(("table", "sub"), {"x": 1, "deeper": {"y": "z"}}, 1)),  # a table
        ("multiline_array", Change(("table", "lit"), 6, 7)),  # a value spans lines somewhere
        ("multiline_string", Change(("table", "lit"), 6, 7)),
    ],
)
def test_what_splicing_cannot_do_exactly_is_left_to_tomlkit(name: str, change: Change) -> None:
    assert splice(TEXTS[name], DATA[name], Edit("test", (), (change,))) is None


def test_a_value_that_is_not_what_the_data_says_is_not_spliced() -> None:
    data = dict(DATA["awkward"], grouped=5)  # the text changed underneath the data
    assert splice(AWKWARD, data, Edit("test", (), (Change(("grouped",), 5, 6),))) is None
