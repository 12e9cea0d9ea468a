"""The default catalog of support domains (seed §1.2 and §1.3), exit and referral destinations,
with Dutch and English labels (written once, in shared/support_labels.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared import support_labels

if TYPE_CHECKING:  # school.py imports this module
    from services.cases.domain.school import PartnershipSettings

# The default catalog: the vocabulary every service shares (shared/support_labels.py).
BASIC_DOMAINS = support_labels.BASIC_DOMAINS
EXTRA_DOMAINS = support_labels.EXTRA_DOMAINS
EXIT_DESTINATIONS = support_labels.EXIT_DESTINATIONS
REFERRAL_DESTINATIONS = support_labels.REFERRAL_DESTINATIONS


def domain_rows(settings: PartnershipSettings) -> list[dict[str, str]]:
    """A partnership's domains, basic then extra, labelled from the catalog (else the code)."""
    rows = []
    for level, codes, catalog in (
        ("basic", settings.basic_domains, BASIC_DOMAINS),
        ("extra", settings.extra_domains, EXTRA_DOMAINS),
    ):
        for code in codes:
            labels = catalog.get(code) or BASIC_DOMAINS.get(code) or EXTRA_DOMAINS.get(code) or {}
            rows.append(
                {
                    "code": code,
                    "level": level,
                    "label_nl": labels.get("nl", code),
                    "label_en": labels.get("en", code),
                }
            )
    return rows


def labelled(codes: list[str], catalog: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """Codes with their Dutch and English labels, in the given order; a partnership's own code
    that the catalog does not know is its own label."""
    return [{"code": code, **catalog.get(code, {"nl": code, "en": code})} for code in codes]


def choices_text(catalog: dict[str, dict[str, str]]) -> str:
    """'code (Dutch label), ...' for an API description."""
    return ", ".join(f"`{code}` ({labels['nl']})" for code, labels in catalog.items())
