import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.tlp import TLP, parse_tlp


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("TLP:AMBER+STRICT", TLP.AMBER_STRICT),
        ("amber+strict", TLP.AMBER_STRICT),
        ("tlp:white", TLP.CLEAR),
        ("TLP:CLEAR", TLP.CLEAR),
        (" Red ", TLP.RED),
        ("TLP: GREEN", TLP.GREEN),
    ],
)
def test_labels_from_feeds_and_people_are_understood(text: str, level: TLP) -> None:
    assert parse_tlp(text) is level


def test_unknown_level_names_the_field_and_lists_the_choices() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_tlp("TLP:PURPLE")
    assert error.value.field == "tlp"
    assert "TLP:AMBER+STRICT" in error.value.message


def test_levels_order_from_least_to_most_restricted() -> None:
    ranks = [level.rank for level in (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED)]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5


def test_stix_marking_ids_are_the_oasis_tlp2_ids_not_tlp1() -> None:
    # TLP 1.0 ids as shipped by the stix2 library must not be used for TLP 2.0.
    tlp1_green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
    assert TLP.GREEN.stix_marking_id != tlp1_green
    assert TLP.CLEAR.stix_marking_id == "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
    assert len({level.stix_marking_id for level in TLP}) == 5
