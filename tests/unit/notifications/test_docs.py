"""What the notifications docs promise, held against the code: README's table of the default
policies a partnership gets (keys, events, recipients), and docs/TRANSLATIONS.md's count of the
texts in the guardians' message catalogs."""

from __future__ import annotations

import re

from services.notifications.catalogs import template_catalog
from services.notifications.domain.policy import default_policies
from tests.conftest import ROOT
from tests.unit.notifications.builders import PARTNERSHIP

README = (ROOT / "README.md").read_text(encoding="utf-8")
TRANSLATIONS = (ROOT / "docs" / "TRANSLATIONS.md").read_text(encoding="utf-8")


def _defaults_table() -> dict[str, tuple[str, str]]:
    """The README's table of default policies: key -> (events cell, recipients cell)."""
    header = README.index("| Key |", README.index("The defaults a partnership gets"))
    table = README[header : README.index("\n\n", header)]
    found = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        found[cells[0].strip("`")] = (cells[1], cells[2])
    return found


def test_the_readme_lists_every_default_policy_with_its_events_and_recipients():
    table = _defaults_table()
    policies = default_policies(PARTNERSHIP)
    assert sorted(table) == sorted(p.key for p in policies)
    for p in policies:
        events, recipients = table[p.key]
        named = set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)?)`", events))
        # "`development_plan.meeting_planned`, `_moved`": a suffix names a sibling event
        for short in re.findall(r"`(_[a-z_]+)`", events):
            named |= {t for t in p.event_types if t.endswith(short)}
        assert set(p.event_types) <= named, (p.key, p.event_types, events)
        for role in p.recipient_roles + p.escalate_to:
            assert role in recipients, (p.key, role, recipients)


def test_the_translation_docs_count_the_message_catalogs_texts():
    texts = len([m for m in template_catalog() if m.id])
    rows = re.findall(
        r"\| `services/notifications/translations/(\w+)/LC_MESSAGES/messages.po` \(messages\) "
        r"\| (\d+) \|",
        TRANSLATIONS,
    )
    assert sorted(lang for lang, _ in rows) == ["ar", "pl", "tr", "uk"]
    assert {int(count) for _, count in rows} == {texts}
