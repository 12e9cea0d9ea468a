"""Schemathesis against a service's own OpenAPI document, in-process (WSGI).

`fuzz` is the seeded, bounded run of `make test`: no 5xx, every response in the documented shape
(errors in the one JSON error shape), status codes and content types as documented. Valid-looking
data that the domain refuses (a date after a plan's end, say) is a 4xx by design, so that one check
is left out there.

`fuzz_all_checks` is `make fuzz`: 50 examples per operation of valid data and 50 of invalid data,
from a new seed each run (printed, to replay one: FUZZ_SEED=<seed> make fuzz), every check
schemathesis has, every example run (a failing one does not stop its operation), and the server
errors counted apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, is_check_class, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance


def fuzz(app: Flask, headers: dict[str, str], max_examples: int = 10) -> tuple[int, list[str]]:
    """Run every operation; return how many requests were made and the failures found."""
    failures: list[str] = []
    requests = 0
    for operation in _operations(app):

        def call(case: Any) -> None:
            nonlocal requests
            requests += 1
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            _examples(operation, max_examples, call)()
        except Exception as err:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {str(err)[:2000]}")
    return requests, failures


@dataclass
class FuzzReport:
    """What `make fuzz` found on one service."""

    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    check_failures: dict[str, list[str]] = field(default_factory=dict)
    no_invalid_input: list[str] = field(default_factory=list)  # operations with nothing to break

    def summary(self, service: str) -> str:
        """'cases: N requests, 0 server errors' and the other checks' failures per check."""
        line = f"{service}: {self.requests} requests, {len(self.server_errors)} server errors"
        others = ", ".join(f"{name} {len(v)}" for name, v in sorted(self.check_failures.items()))
        return f"{line} (other check failures: {others or 'none'})"

    def details(self, per_check: int = 3) -> str:
        """The first few failures of each other check, to read after the run."""
        return "\n".join(
            f"  {name}: {failure}"
            for name, failures in sorted(self.check_failures.items())
            for failure in failures[:per_check]
        )


def fuzz_all_checks(
    app: Flask, headers: dict[str, str], run_seed: int, max_examples: int = 50
) -> FuzzReport:
    """Every operation, `max_examples` valid and as many invalid requests each, with every
    response check schemathesis has."""
    load_all_checks()
    checks = [c for c in CHECKS.get_all() if not is_check_class(c)]
    report = FuzzReport()
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for operation, mode in ((o, m) for o in _operations(app) for m in modes):

        def call(case: Any) -> None:
            report.requests += 1
            response = case.call(headers=headers)
            where = f"{case.operation.label} -> {response.status_code}"
            if response.status_code >= 500:
                report.server_errors.append(f"{where}: {case.as_curl_command()[:1500]}")
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except (Exception, BaseExceptionGroup) as err:  # noqa: BLE001 - count each, go on
                for failure in getattr(err, "exceptions", [err]):
                    name = type(failure).__name__
                    report.check_failures.setdefault(name, []).append(f"{where}: {failure}"[:500])

        try:
            seed(run_seed)(_examples(operation, max_examples, call, mode, derandomize=False))()
        except Unsatisfiable:  # nothing to make invalid: no parameters, no body
            report.no_invalid_input.append(operation.label)
    return report


def _operations(app: Flask) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _examples(
    operation: Any,
    max_examples: int,
    call: Callable[[Any], None],
    mode: GenerationMode = GenerationMode.POSITIVE,
    derandomize: bool = True,
) -> Callable[[], None]:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=max_examples,
        derandomize=derandomize,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case: Any) -> None:
        call(case)

    return run
