"""Keys are spelled one way: in the file kokeilu writes, in the edits it refuses, in findings."""

from __future__ import annotations

import pytest

from kokeilu.editing.layout import LayoutError
from kokeilu.registry.keys import dotted, key


@pytest.mark.parametrize(
    ("name", "spelled"),
    [
        ("kuopio", "kuopio"),
        ("service_agreements", "service_agreements"),
        ("2020-01", '"2020-01"'),
        ("Kuopio", '"Kuopio"'),
        ("Siilinjärvi", '"Siilinjärvi"'),
        ('say "hi"\n', '"say \\"hi\\"\\n"'),
        ("bell\x07", '"bell\\u0007"'),
    ],
)
def test_an_id_is_bare_and_anything_else_a_basic_string(name: str, spelled: str) -> None:
    assert key(name) == spelled


def test_a_path_names_its_items_by_index_in_findings_and_not_in_headers() -> None:
    assert dotted(("caseloads", "2020-01", "kuopio")) == 'caseloads."2020-01".kuopio'
    assert dotted(("service_agreements", 0, "provider")) == "service_agreements[0].provider"
    assert dotted(("service_agreements", 0, "provider"), indices=False) == (
        "service_agreements.provider"
    )


def test_a_refused_layout_names_the_table_as_its_header_is_written() -> None:
    refusal = LayoutError("not_table", ("caseloads", "2020-01"), actual="x")
    assert refusal.describe(3, 1) == (
        'caseloads."2020-01" is x, not a table at 3:1: kokeilu cannot write '
        '[caseloads."2020-01"] into it; make it a table to edit it here'
    )
