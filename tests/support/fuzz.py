"""Schemathesis against a service's own OpenAPI document, in-process (WSGI), seeded and bounded:
no 5xx, every response in the documented shape (errors in the one JSON error shape), status
codes and content types as documented. Valid-looking data that the domain refuses (a date after
a plan's end, say) is a 4xx by design, so that one check is left out."""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


def fuzz(app: Flask, headers: dict[str, str], max_examples: int = 10) -> tuple[int, list[str]]:
    """Run every operation; return how many requests were made and the failures found."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    requests = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=max_examples,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def run(case: Any) -> None:
            nonlocal requests
            requests += 1
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Exception as err:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {str(err)[:2000]}")
    return requests, failures
