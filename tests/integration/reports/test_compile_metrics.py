"""A report compiled through the API is timed in report_compile_duration_seconds (by scope) and
shows in the reports app's own GET /metrics; a request refused before compiling is not timed."""

from __future__ import annotations

import re

from services.reports.service_layer.projector import project
from tests.conftest import NOW
from tests.integration.reports.test_api import ADMIN, PERIOD, TEACHER_A, A
from tests.integration.reports.test_figures import school_a_interventions, school_b


def compiled(client, scope: str) -> tuple[float, float]:
    """(count, sum) of report_compile_duration_seconds{scope} as GET /metrics shows them."""
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    values = []
    for suffix in ("count", "sum"):
        line = re.search(
            rf'^report_compile_duration_seconds_{suffix}\{{scope="{scope}"\}} (\S+)$',
            text,
            re.MULTILINE,
        )
        values.append(float(line.group(1)) if line else 0.0)
    return values[0], values[1]


def test_compiling_a_report_over_the_api_is_timed_per_scope(reports, reports_client) -> None:
    for story in [*school_a_interventions(), *school_b()]:
        for event in story.events:
            project(event, reports.store, NOW)
    school, partnership = (
        compiled(reports_client, "school"),
        compiled(reports_client, "partnership"),
    )

    response = reports_client.get(
        f"/api/v1/reports/schools/{A}", query_string=PERIOD, headers=ADMIN
    )
    assert response.status_code == 200, response.json
    count, total = compiled(reports_client, "school")
    assert count == school[0] + 1
    assert total > school[1]  # a real duration was observed, not a bare increment
    assert compiled(reports_client, "partnership") == partnership  # the other scope is apart

    response = reports_client.get("/api/v1/reports/partnership", query_string=PERIOD, headers=ADMIN)
    assert response.status_code == 200, response.json
    assert compiled(reports_client, "partnership")[0] == partnership[0] + 1

    # A teacher has no reports: refused before any compiling, so nothing is timed.
    refused = reports_client.get(
        f"/api/v1/reports/schools/{A}", query_string=PERIOD, headers=TEACHER_A
    )
    assert refused.status_code == 403
    assert compiled(reports_client, "school")[0] == count

    # The histogram's buckets are there for the quantiles on a dashboard.
    text = reports_client.get("/metrics").get_data(as_text=True)
    assert re.search(
        r'^report_compile_duration_seconds_bucket\{le="\+Inf",scope="school"\} ', text, re.MULTILINE
    )
