"""Regenerate the demo region's councils from mySociety's register of local authorities.

Run once by a developer; the output (our own TOML seed format) is committed and
the CSV itself is not. Usage: python scripts/make_demo_seed.py > \
  src/openwarp/hub/members/seed/east_midlands_councils.toml
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "shared/data/orgs/uk_local_authorities_current.csv"
TYPES = {
    "CTY": "county",
    "NMD": "district",
    "UA": "unitary",
    "MD": "metropolitan",
    "LBO": "london_borough",
}
# Counties, and the Local Resilience Forum each council's area belongs to.
FORUMS = {
    "DBY": "Derbyshire LRF",
    "DER": "Derbyshire LRF",
    "LEC": "Leicester, Leicestershire and Rutland LRF",
    "LCE": "Leicester, Leicestershire and Rutland LRF",
    "RUT": "Leicester, Leicestershire and Rutland LRF",
    "LIN": "Lincolnshire LRF",
    "NTT": "Nottingham and Nottinghamshire LRF",
    "NGM": "Nottingham and Nottinghamshire LRF",
    "NNT": "Northamptonshire LRF",
    "WNT": "Northamptonshire LRF",
}


def main() -> None:
    rows = {row["local-authority-code"]: row for row in csv.DictReader(SOURCE.open())}
    current = [
        r
        for r in rows.values()
        if r["region"] == "East Midlands"
        and not r["end-date"]
        and r["local-authority-type"] in TYPES
    ]
    counties = {r["county-la"] for r in current if r["county-la"]}
    chosen = {r["local-authority-code"]: r for r in current}
    chosen.update({code: rows[code] for code in counties})
    out = [
        "# East Midlands councils: names, types, populations (mid-2020) and locations",
        "# from mySociety's uk_local_authority_names_and_codes (MIT), written in our format.",
        "",
    ]
    for code in sorted(
        chosen,
        key=lambda c: (
            TYPES[chosen[c]["local-authority-type"]] != "county",
            chosen[c]["official-name"],
        ),
    ):
        row = chosen[code]
        forum = FORUMS.get(code) or FORUMS.get(row["county-la"], "")
        out += [
            "[[organisation]]",
            f'code = "{code}"',
            f'name = "{row["official-name"]}"',
            f'type = "{TYPES[row["local-authority-type"]]}"',
        ]
        if row["county-la"]:
            out.append(f'parent = "{row["county-la"]}"')
        if row["pop-2020"]:
            out.append(f"population = {int(float(row['pop-2020']))}")
        if row["lat"]:
            out.append(f"location = [{float(row['lat']):.4f}, {float(row['long']):.4f}]")
        out += [f'subregion = "{forum}"', ""]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
