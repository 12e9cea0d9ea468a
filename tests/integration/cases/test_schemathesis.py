"""Hostile input generated from the cases service's OpenAPI document (issue 5)."""

from __future__ import annotations

import pytest

from tests.support.fuzz import fuzz


@pytest.mark.parametrize("who", ["coordinator_a1", "admin_a"])
def test_the_cases_api_holds_to_its_spec_under_generated_input(app, world, who):
    requests, failures = fuzz(app, {"Authorization": f"Bearer {world.tokens[who]}"})
    print(f"\nschemathesis on cases as {who}: {requests} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)
