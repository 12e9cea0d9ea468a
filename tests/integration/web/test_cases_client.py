"""The typed cases client against the real cases service: rows, an ended session, refusals."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest
import requests

from services.web.clients.base import ApiClient, ApiError, SessionEnded
from services.web.clients.cases import CasesClient, log_in
from tests.support import api_flows as f


def _client(server, token: str) -> CasesClient:
    return CasesClient(ApiClient(requests.Session(), server.url, token))


def test_caseload_rows_are_typed(world, cases_server):
    case = f.open_case(world, "a1")
    f.start_intervention(world, case["id"], evaluate_by="2026-10-01")
    page = _client(cases_server, world.tokens["coordinator_a1"]).caseload(page_size=10)
    [row] = page.items
    assert (page.total, page.pages) == (1, 1)
    assert row.case_id == UUID(case["id"]) and row.next_due_on == date(2026, 10, 1)
    assert row.flags == ("evaluation_overdue",)


def test_a_refused_token_ends_the_session_and_a_refusal_is_an_api_error(world, cases_server):
    with pytest.raises(SessionEnded):
        _client(cases_server, "not-a-token").caseload()
    with pytest.raises(ApiError) as refused:
        _client(cases_server, world.tokens["coordinator_a1"]).pupil(uuid4())
    assert refused.value.status == 404


def test_an_unreachable_service_is_a_503(world, cases_server):
    cases_server.stop()
    with pytest.raises(ApiError) as down:
        _client(cases_server, world.tokens["coordinator_a1"]).caseload()
    assert down.value.status == 503


def test_a_wrong_password_at_log_in_is_a_401_not_an_ended_session(world, cases_server):
    with pytest.raises(ApiError) as refused:
        log_in(requests.Session(), cases_server.url, "coordinator_a1@test.nl", "x", "t", "1.2.3.4")
    assert refused.value.status == 401
