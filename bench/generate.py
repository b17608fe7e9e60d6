"""Synthetic registries in the real schema, for benchmarks: N parties x M monthly periods.

    python bench/generate.py PARTIES PERIODS OUT.toml

Parties are spread over ten regions; every party has a decision (a third approved), and every
period has a caseload for every party. Deterministic: the same arguments give the same file.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path


def generate(parties: int, periods: int) -> str:
    """The TOML text of a registry with `parties` parties and `periods` periods."""
    rng = random.Random(parties * 1000 + periods)
    regions = min(10, max(1, parties // 3))
    ids = [f"kunta{n:05d}" for n in range(parties)]
    out = [
        "# Synthetic registry for benchmarks (bench/generate.py).",
        "schema = 1",
        "example_figures = true",
        "",
        "[agreement]",
        'title = "Synthetic pilot"',
        f'applicant = "{ids[0]}"',
        f'administrator = "{ids[0]}"',
        "ministry_letter = 2019-10-08",
        "",
    ]
    for r in range(regions):
        out += [
            f"[regions.alue{r:02d}]",
            f'name = "Alue {r}"',
            f'coordinator = "{ids[r]}"',
            f'typ_area = "typ{r:02d}"',
            "",
        ]
        out += [f"[typ_areas.typ{r:02d}]", f'name = "TYP {r}"', ""]
    for n, pid in enumerate(ids):
        r = n % regions
        out += [
            f"[parties.{pid}]",
            f'name = "Kunta {n}"',
            'kind = "kunta"',
            'body = "kunnanhallitus"',
            f'region = "alue{r:02d}"',
            f'typ_area = "typ{r:02d}"',
            'status = "party"',
            "",
            f"[parties.{pid}.decision]",
        ]
        if n % 3 == 0:
            out += [
                'outcome = "approved"',
                'body = "kunnanhallitus"',
                "date = 2019-11-11",
                f'minutes = "§ {n % 400}"',
            ]
        else:
            out += ['outcome = "pending"']
        out.append("")
    total_clients = 60 * parties
    out += [
        "[resources.te_staff]",
        'name = "TE staff"',
        'unit = "htv"',
        "step = 0.1",
        f"total = {total_clients // 200}.5",
        "",
        "[resources.appropriations]",
        'name = "Appropriations"',
        'unit = "EUR"',
        "step = 1",
        f"total = {total_clients * 350}",
        "",
    ]
    weights = [rng.randint(20, 400) for _ in ids]
    for m in range(periods):
        year, month = 2020 + m // 12, m % 12 + 1
        out.append(f'[caseloads."{year}-{month:02d}"]')
        out += [f"{pid} = {w + rng.randint(-10, 10)}" for pid, w in zip(ids, weights, strict=True)]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    parties, periods, target = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    target.write_text(generate(parties, periods), encoding="utf-8")
