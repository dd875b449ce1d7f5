"""NCSC's six incident categories and which members fall under NIS.

The NCSC sorts UK cyber incidents from C1 (a national emergency) to C6 (an
incident confined to one organisation). The labels below are our own short
descriptions of each level, for members choosing one on a form.
"""

from __future__ import annotations

from enum import StrEnum

from openwarp.core.errors import InvalidInput


class NcscCategory(StrEnum):
    C1 = "C1"
    C2 = "C2"
    C3 = "C3"
    C4 = "C4"
    C5 = "C5"
    C6 = "C6"

    @property
    def label(self) -> str:
        return NCSC_LABELS[self]

    @property
    def choice_label(self) -> str:
        return f"{self.value}: {self.label}"


NCSC_LABELS: dict[NcscCategory, str] = {
    NcscCategory.C1: "National cyber emergency (harm to the whole country, lives at risk)",
    NcscCategory.C2: "Highly significant incident (serious harm to central government, "
    "essential services or much of the population)",
    NcscCategory.C3: "Significant incident (serious harm to a large organisation or "
    "wider government, or to a great many people)",
    NcscCategory.C4: "Substantial incident (serious harm to a medium organisation, or "
    "harm to a large one or to many people)",
    NcscCategory.C5: "Moderate incident (harm to a small organisation or to a few people)",
    NcscCategory.C6: "Localised incident (one person or a small organisation; little wider harm)",
}


def parse_category(value: str) -> NcscCategory:
    try:
        return NcscCategory(value.strip().upper())
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not an NCSC category (C1 to C6)", field="ncsc_category"
        ) from None


# Operators of essential services under the NIS Regulations 2018 among our
# member types: health-care providers and commissioners. Councils, schools,
# fire and police are not operators of essential services by type.
NIS_ORGANISATION_TYPES = frozenset({"nhs_trust", "icb"})


def nis_in_scope(organisation_type: str) -> bool:
    """Whether an organisation of this type must also tell its NIS competent authority."""
    return organisation_type in NIS_ORGANISATION_TYPES
