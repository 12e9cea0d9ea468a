"""The payload of a published event version never changes: the catalog's schemas, field by field,
against the contract written down before issue 16 derived them from the event classes."""

from __future__ import annotations

from pathlib import Path

from tests.support.event_contract import contract_lines

FIXTURE = Path(__file__).parent / "fixtures" / "event_contract.txt"


def test_every_event_payload_is_as_its_contract_says() -> None:
    assert contract_lines() == FIXTURE.read_text(encoding="utf-8").splitlines()
