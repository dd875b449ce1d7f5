"""CPE suggestions for free-text rows, from the CPE names in the real 2024 records."""

from __future__ import annotations

from pathlib import Path

import pytest

from openwarp.core.vulns.cpe import parse_cpe
from openwarp.core.vulns.cve5 import load_cve5
from openwarp.core.vulns.inventory import make_item
from openwarp.core.vulns.suggest import CpeDictionary


@pytest.fixture(scope="module")
def dictionary(shared_data: Path) -> CpeDictionary:
    records = load_cve5([shared_data / "cve5" / "cve5-2024.jsonl.gz"]).records
    names = set()
    for record in records:
        for entry in record.affected:
            for text in entry.cpes:
                parts = text.split(":")
                if len(parts) == 13 and parts[:2] == ["cpe", "2.3"] and "\\" not in text:
                    names.add((parts[2], parts[3], parts[4]))
    return CpeDictionary(names)


@pytest.mark.parametrize(
    ("vendor", "product", "expected"),
    [
        ("Microsoft", "Windows Svr 2019", "microsoft:windows_server_2019"),
        ("Fortinet Inc", "Forti OS", "fortinet:fortios"),
        ("Ivanti", "Connect Secure VPN", "ivanti:connect_secure"),
        ("Citrix", "NetScaler ADC", "citrix:netscaler_application_delivery_controller"),
        ("Micorsoft", "Exchange Server", "microsoft:exchange_server"),
        ("Progress", "WhatsUp Gold", "progress:whatsup_gold"),
        ("ORACLE", "MySQL Server", "oracle:mysql_server"),
    ],
)
def test_the_best_suggestion_is_the_product_an_analyst_would_pick(
    dictionary: CpeDictionary, vendor: str, product: str, expected: str
) -> None:
    best = dictionary.suggest(vendor, product)[0]
    assert f"{best.vendor}:{best.product}" == expected
    assert 0.6 <= best.score <= 1.0


def test_scores_rank_an_exact_name_above_a_near_one(dictionary: CpeDictionary) -> None:
    suggestions = dictionary.suggest("Oracle", "MySQL Server")
    assert suggestions[0].score == 1.0 > suggestions[1].score
    assert len(suggestions) <= 3


def test_a_product_the_data_never_names_gets_no_suggestion(dictionary: CpeDictionary) -> None:
    assert dictionary.suggest("Acme Widgets", "Doesnotexist Suite") == []
    assert dictionary.suggest("", "FortiOS") == []


def test_an_accepted_suggestion_gives_a_row_the_cpe_keys_the_records_use(
    dictionary: CpeDictionary,
) -> None:
    best = dictionary.suggest("Fortinet Inc", "Forti OS")[0]
    assert best.part == "*"  # filed under both `a` and `o` in the data
    row = make_item(1, {"vendor": "Fortinet Inc", "product": "Forti OS", "cpe": best.cpe})
    assert ("fortinet", "fortios") in row.keys
    assert best.cpe == "cpe:2.3:*:fortinet:fortios:*:*:*:*:*:*:*:*"
    assert parse_cpe(best.cpe).vendor == "fortinet"
