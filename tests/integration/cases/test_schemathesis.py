"""Hostile input generated from the cases service's OpenAPI document (issue 5)."""

from __future__ import annotations

import pytest

from tests.support.fuzz import fuzz, fuzz_all_checks


@pytest.mark.parametrize("who", ["coordinator_a1", "admin_a"])
def test_the_cases_api_holds_to_its_spec_under_generated_input(app, world, who):
    requests, failures = fuzz(app, {"Authorization": f"Bearer {world.tokens[who]}"})
    print(f"\nschemathesis on cases as {who}: {requests} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("who", ["coordinator_a1", "admin_a"])
def test_make_fuzz_cases(app, world, who, fuzz_seed):
    """`make fuzz`: 50 examples per operation, every check; no server error."""
    report = fuzz_all_checks(app, {"Authorization": f"Bearer {world.tokens[who]}"}, fuzz_seed)
    print("\n" + report.summary(f"cases as {who}"))
    print(report.details())
    assert not report.server_errors, "\n\n".join(report.server_errors)
