"""The fast read of caseload tables gives exactly what tomllib gives, errors included.

A registry's caseload tables are read line by line with a strict pattern and the rest by tomllib;
whenever the text is not plainly in that form, the whole text goes to tomllib. Either way a user
must see the same registry, or the same error at the same line and column.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from typing import Any

import pytest
from conftest import BUNDLED, examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kokeilu.registry import fastparse
from kokeilu.registry.load import Unreadable, parse


def shape(value: Any) -> Any:
    """A value with its types and its tables' key order made visible to `==`."""
    if isinstance(value, dict):
        return ("table", [(k, shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("array", [shape(v) for v in value])
    return (type(value).__name__, value)


def outcome(load: Any, text: str) -> Any:
    try:
        return shape(load(text, parse_float=Decimal))
    except tomllib.TOMLDecodeError as exc:
        return ("error", str(exc))


def assert_same(text: str) -> None:
    assert outcome(fastparse.loads, text) == outcome(tomllib.loads, text)


def fast(text: str) -> bool:
    """Whether the text was read by the fast path (and gave tomllib's result)."""
    assert_same(text)
    return fastparse.fast_loads(text, Decimal) is not None


HEAD = 'schema = 1\n\n[agreement]\ntitle = "T"\n\n[parties.kuopio]\nname = "Kuopio"\n\n'


def registry(*caseloads: str, head: str = HEAD) -> str:
    return head + "".join(caseloads)


# --- the fast path is taken for registries as they are written ---------------------------------


def test_the_bundled_registry_is_read_fast_and_the_same() -> None:
    assert fast(BUNDLED.read_text(encoding="utf-8"))


def test_a_plain_registry_is_read_fast_with_its_order_kept() -> None:
    text = registry(
        '[caseloads."2020-02"]\nkuopio = 5\nsiilinjarvi = 0\n\n',
        "[people.x]\nname = 'X'\n\n",
        '[caseloads."2020-01"]\nkuopio = 7\n',
    )
    assert fast(text)
    data = fastparse.loads(text)
    assert list(data) == ["schema", "agreement", "parties", "caseloads", "people"]
    assert list(data["caseloads"]) == ["2020-02", "2020-01"]
    assert data["caseloads"]["2020-02"] == {"kuopio": 5, "siilinjarvi": 0}


@pytest.mark.parametrize(
    "body",
    [
        "kuopio=5\n",
        "\tkuopio\t=\t5\t\n",
        "kuopio = 5 # a comment with ä and \t tab\n",
        "# a comment line\nkuopio = 5\n\n   \n",
        "kuopio = 5\r\nvarkaus = 6\r\n",
        "kuopio = +5\nvarkaus = -0\niisalmi = 1_000_000\n",
        "Kuopio-2_x = 0\n123 = 4\n",
        "kuopio = 5",  # no newline at the end of the file
    ],
)
def test_every_plain_form_of_a_body_is_read_fast(body: str) -> None:
    assert fast(registry('[caseloads."2020-01"]\n', body))


@pytest.mark.parametrize(
    "header",
    ['[caseloads."2020-01"]   # January\n', '  \t[caseloads."2020-01"]\r\n'],
)
def test_headers_with_whitespace_and_comments_are_read_fast(header: str) -> None:
    assert fast(registry(header, "kuopio = 5\n"))


# --- every guard: the whole text goes to tomllib, and the result is still tomllib's -------------

GUARDS = {
    "a body line that is not `key = integer`": 'kuopio = "5"\n',
    "a float": "kuopio = 5.0\n",
    "a leading zero": "kuopio = 05\n",
    "a double underscore": "kuopio = 1__0\n",
    "hex": "kuopio = 0x10\n",
    "a date": "kuopio = 2020-01-01\n",
    "a very long number": "kuopio = " + "9" * 40 + "\n",
    "a dotted key": "kuopio.x = 5\n",
    "a quoted key": '"kuopio" = 5\n',
    "a duplicate key": "kuopio = 5\nkuopio = 6\n",
    "a duplicate key, one plain and one not": "kuopio = 5\nkuopio=6\n",
    "a lone carriage return": "kuopio = 5\rvarkaus = 6\n",
    "a carriage return at the end": "kuopio = 5\r",
    "a control character in a comment": "kuopio = 5 # \x01\n",
    "a multi-line array": "kuopio = [\n1]\n",
    "two statements on a line": "kuopio = 5 varkaus = 6\n",
}


@pytest.mark.parametrize("body", GUARDS.values(), ids=GUARDS.keys())
def test_a_body_not_plainly_in_form_goes_to_tomllib(body: str) -> None:
    assert not fast(registry('[caseloads."2020-01"]\n', body, '[caseloads."2020-02"]\na = 1\n'))


STRUCTURE = {
    "a period given twice": '[caseloads."2020-01"]\na = 1\n[caseloads."2020-01"]\nb = 2\n',
    "the same period spelled another way": '[caseloads."2020-01"]\na = 1\n'
    "[caseloads.'2020-01']\nb = 2\n",
    "another period spelled another way": '[caseloads."2020-01"]\na = 1\n'
    '["caseloads"."2020-02"]\nb = 2\n',
    "an escaped key": '[caseloads."2020-01"]\na = 1\n["caseload\\u0073"."2020-02"]\nb = 2\n',
    "a [caseloads] table with a key": '[caseloads]\nx = 1\n[caseloads."2020-01"]\na = 1\n',
    "a [caseloads] table after with a key": '[caseloads."2020-01"]\na = 1\n[caseloads]\nx = 1\n',
    "a sub-table of a period": '[caseloads."2020-01"]\na = 1\n[caseloads."2020-01".a]\nb = 1\n',
    "an array of tables": '[caseloads."2020-01"]\na = 1\n[[caseloads]]\n',
    "a header not exactly a period": '[caseloads."2020-01"]\na = 1\n[caseloads."2020-1"]\nb = 2\n',
    "a header with a space inside": '[caseloads."2020-01"]\na = 1\n[ caseloads."2020-02" ]\nb = 2\n',
    "a header with text after it": '[caseloads."2020-01"] a = 1\n',
    "a body ending on a line that is not a header": '[caseloads."2020-01"]\na = 1\nb = "x"\n',
}


@pytest.mark.parametrize("text", STRUCTURE.values(), ids=STRUCTURE.keys())
def test_caseloads_named_elsewhere_go_to_tomllib(text: str) -> None:
    assert not fast(registry(text))


def test_dotted_caseload_keys_in_the_rest_go_to_tomllib() -> None:
    head = 'schema = 1\ncaseloads."2020-02".kuopio = 1\n\n'
    assert not fast(registry('[caseloads."2020-01"]\na = 1\n', head=head))
    head = "schema = 1\ncaseloads = { }\n\n"
    assert not fast(registry('[caseloads."2020-01"]\na = 1\n', head=head))


MULTILINE = {
    "a basic string hiding a header": 'note = """\n[caseloads."2020-01"]\na = 1\n"""\n',
    "a literal string hiding a header": "note = '''\n[caseloads.\"2020-01\"]\na = 1\n'''\n",
    "a string after the first header": '[caseloads."2020-01"]\na = 1\n[x]\ny = """\n"""\n',
    "a string never closed": 'note = """\n[caseloads."2020-01"]\na = 1\n',
    "an array holding a header": 'xs = [\n[caseloads."2020-01"]\n[1]]\n',
    "an array holding a header, then a value": 'xs = [\n[caseloads."2020-01"]\na = 1\n]\n',
    # The period's real table is elsewhere and empty: only the guard on strings is left to see it.
    "a string hiding a whole table": "[caseloads.'2020-01']\n[w]\n"
    'note = """\n[caseloads."2020-01"]\nk = 1\n[x] """\n',
    "a comment ending in a header": "[caseloads.'2020-02']\n[u]\n"
    'x = 1 # [caseloads."2020-02"]\nk = 5\n',
}


@pytest.mark.parametrize("text", MULTILINE.values(), ids=MULTILINE.keys())
def test_a_header_that_might_not_be_one_goes_to_tomllib(text: str) -> None:
    assert not fast(registry('[caseloads."2019-12"]\nb = 2\n', text))


def test_header_like_text_in_comments_and_strings_is_left_to_tomllib() -> None:
    text = registry(
        '# [caseloads."2020-02"]\nx = "[caseloads.\\"2020-03\\"]"\n',
        '[caseloads."2020-01"]\na = 1\n',
    )
    assert fast(text)
    assert list(fastparse.loads(text)["caseloads"]) == ["2020-01"]


def test_an_error_in_a_caseload_table_has_tomllibs_line_and_column() -> None:
    text = registry('[caseloads."2020-01"]\nkuopio = 5\nvarkaus = 05\n')
    with pytest.raises(tomllib.TOMLDecodeError) as expected:
        tomllib.loads(text)
    with pytest.raises(Unreadable) as got:
        parse(text)
    line = text[: text.index("05")].count("\n") + 1
    assert got.value.line == line
    where = f"(at line {got.value.line}, column {got.value.col})"
    assert str(expected.value) == f"{got.value.message} {where}"


# --- properties: generated registries and mutated texts -----------------------------------------

KEYS = st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True)
BAD_KEYS = st.sampled_from(['"kuopio"', "a.b", "ä", "'x'", ""])
INTEGERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(-5, 10**9).map(lambda n: f"{n:_}"),
    st.sampled_from(["+5", "-0", "+0", "0", "9" * 31]),
)
BAD_INTEGERS = st.sampled_from(
    [
        *("007", "1__0", "1_", "0x1f", "1e3", "2.5", "inf", '"7"', "true", "2020-01-01"),
        *("[1, 2]", "{a = 1}", "9" * 35, "- 1", "1 2"),
    ]
)
WS = st.sampled_from(["", " ", "\t", "  "])
COMMENTS = st.sampled_from(["", "", "# note", "#", "# ä ö \t", "# [caseloads]", "# a = 1"])
BAD_COMMENTS = st.sampled_from(["# \x7f", '# """', "# \x00", "# \r"])
EOLS = st.sampled_from(["\n", "\n", "\r\n"])
BAD_EOLS = st.sampled_from(["\r", "\r\r\n", ""])
PERIODS = st.sampled_from(["2020-01", "2020-02", "2020-03", "2021-12", "1999-07"])
BAD_PERIODS = st.sampled_from(["2020-1", "x", "2020-01"])
OTHERS = st.sampled_from(
    [
        '[people.x]\nname = "X"\n',
        "[resources.r]\nstep = 0.1\ntotal = 1.5\n",
        '[[service_agreements]]\nrecipients = [\n  "a", # c\n  "b",\n]\n',
        '[x]\nnote = """\nmulti\n"""\n',
        "[y]\ncaseloads = 1\n",
        "\n# comment\n",
        "[z]\ndate = 2020-01-01\n",
        # Valid, and each a trap for a split that trusts too much:
        "[caseloads.'2020-01']\n",
        '["caseloads"."2020-02"]\n',
        "[caseloads]\n",
        '[caseloads."2020-01".sub]\n',
        '[u]\nx = 1 # [caseloads."2020-02"]\nk = 5\n',
        "[caseloads.'2020-02']\n[u]\nx = 1 # [caseloads.\"2020-02\"]\nk = 5\n",
        # A string hiding a whole table, whose period's real table is elsewhere and empty.
        '[caseloads.\'2020-01\']\n[w]\nnote = """\n[caseloads."2020-01"]\nk = 1\n[x] """\n',
        "[v]\nnote = '''\n[caseloads.\"2020-03\"]\n'''\n",
    ]
)
BAD_OTHERS = st.sampled_from(
    ["[caseloads]\n", "xs = [\n", "]\n", "caseloads.a = 1\n", "'''\n", '[caseloads."2020-01"]\n']
)


class Flaws:
    """How often a text's parts are drawn from the bad forms: never in a clean text."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.odds = draw(st.sampled_from([0, 0, 3, 12]))

    def __call__(self, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
        if self.odds and not self.draw(st.integers(0, self.odds - 1)):
            return self.draw(bad)
        return self.draw(good)

    def now(self) -> bool:
        return self(st.just(False), st.just(True))


def body_line(pick: Flaws, key: str) -> str:
    """One line of a caseload table for `key`, mostly as kokeilu writes it."""
    key = pick(st.just(key), BAD_KEYS)
    if pick.draw(st.integers(0, 2)):
        return f"{key} = {pick.draw(st.integers(0, 10**5))}\n"
    ws = pick.draw(st.lists(WS, min_size=4, max_size=4))
    value, comment, eol = (
        pick(INTEGERS, BAD_INTEGERS),
        pick(COMMENTS, BAD_COMMENTS),
        pick(EOLS, BAD_EOLS),
    )
    return f"{ws[0]}{key}{ws[1]}={ws[2]}{value}{ws[3]}{comment}{eol}"


def caseload_table(pick: Flaws, period: str) -> str:
    header = pick(
        st.sampled_from([f'[caseloads."{period}"]', f'  [caseloads."{period}"]  # c']),
        st.sampled_from(
            [
                f"[caseloads.'{period}']",
                f'[ caseloads . "{period}" ]',
                f'[caseloads."{period}".sub]',
                f'[[caseloads."{period}"]]',
                "[caseloads]",
            ]
        ),
    )
    keys = pick.draw(st.lists(KEYS, unique=True, max_size=6))
    if keys and pick.now():
        keys.append(keys[0])  # a key given twice
    lines = [body_line(pick, key) for key in keys]
    for _ in range(pick.draw(st.integers(0, 2))):  # blank lines and comments
        at = pick.draw(st.integers(0, len(lines)))
        comment = pick.draw(st.sampled_from(["", "# c "]))
        lines.insert(at, pick.draw(WS) + comment + pick(EOLS, BAD_EOLS))
    return header + pick(EOLS, BAD_EOLS) + "".join(lines)


@st.composite
def registry_text(draw: st.DrawFn) -> str:
    pick = Flaws(draw)
    periods = draw(st.lists(PERIODS, unique=True, max_size=4))
    periods = [pick(st.just(p), BAD_PERIODS) for p in periods]
    if periods and pick.now():
        periods.append(periods[0])  # a period given twice
    parts = [caseload_table(pick, period) for period in periods]
    others = draw(st.lists(OTHERS, unique=True, max_size=2))
    if pick.now():
        others.append(draw(BAD_OTHERS))
    for other in others:
        parts.insert(draw(st.integers(0, len(parts))), other)
    text = HEAD + "".join(parts)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    return text


SNIPPETS = st.sampled_from(
    [
        "\n",
        "[",
        "]",
        '"',
        "'",
        '"""',
        "'''",
        "#",
        "=",
        " ",
        "\t",
        "\r",
        "0",
        "_",
        ".",
        "\\",
        "\x00",
        '[caseloads."2020-01"]\n',
        '\n[caseloads."2020-03"]\nkuopio = 1\n',
        "caseloads.",
        "[caseloads]\n",
        "a = [\n",
        "kuopio = 1\n",
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(registry_text())
    for _ in range(draw(st.integers(1, 2))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "replace"]))
        if action == "insert":
            text = text[:at] + draw(SNIPPETS) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]
        else:
            text = text[:at] + draw(SNIPPETS) + text[at + 1 :]
    return text


# Enough examples that taking out the guard on multi-line strings, on line starts or on tables
# filled elsewhere fails these (tried one at a time, three seeds each, at 500 generated and 300
# mutated); the duplicate-key guard, which random texts hit in only one seed of three even at
# 1000, has an example of its own. `HYPOTHESIS_PROFILE=long` runs twenty times as many.
def heavy(ci: int) -> settings:
    return settings(
        max_examples=examples(ci), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )


@heavy(500)
@given(registry_text())
@example(registry('[caseloads."2020-01"]\nkuopio = 5\n'))
@example(registry('[caseloads."2020-01"]\nkuopio = 5\nkuopio = 6\n'))  # the duplicate-key guard
def test_generated_registries_read_as_tomllib_reads_them(text: str) -> None:
    assert_same(text)


@heavy(300)
@given(mutated())
def test_mutated_registries_read_as_tomllib_reads_them(text: str) -> None:
    assert_same(text)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(
        st.tuples(PERIODS, st.integers(0, 8)),
        min_size=1,
        max_size=4,
        unique_by=lambda t: t[0],
    )
)
def test_registries_as_kokeilu_writes_them_are_read_fast(periods: list[tuple[str, int]]) -> None:
    tables = [
        f'[caseloads."{p}"]\n' + "".join(f"k{i} = {i * 7}\n" for i in range(n)) + "\n"
        for p, n in periods
    ]
    assert fast(registry(*tables))


def test_shape_tells_types_and_order_apart() -> None:
    assert shape({"a": True}) != shape({"a": 1})
    assert shape({"a": 1, "b": 2}) != shape({"b": 2, "a": 1})
    assert shape({"a": Decimal(1)}) != shape({"a": 1})
    assert shape({"d": dt.date(2020, 1, 1)}) == shape({"d": dt.date(2020, 1, 1)})
