"""The web front end's address of what a message or a calendar entry is about. A link holds only
ids (no names, no details) and the page it opens needs a log-in, so group channels may carry it
(DESIGN.md: minimal data). Never a JSON endpoint: people open these links in a browser."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

DEFAULT_WEB_URL = "http://127.0.0.1:8000"


def page_path(case_id: UUID | str | None, plan_id: UUID | str | None = None) -> str:
    """The page of a case (`/trajecten/<case>`) or of its plan (`/trajecten/<case>/opp/<plan>`);
    the home page when there is no case."""
    if not case_id:
        return "/"
    case = str(UUID(str(case_id)))
    if plan_id:
        return f"/trajecten/{case}/opp/{UUID(str(plan_id))}"
    return f"/trajecten/{case}"


def page_url(web_url: str, case_id: UUID | str | None, plan_id: UUID | str | None = None) -> str:
    """The full address: the web front end's public URL and the page's path."""
    return f"{web_url.rstrip('/')}{page_path(case_id, plan_id)}"


def consent_path(plan_id: UUID | str) -> str:
    """The parents' page where a guardian reads a plan's action plan and answers (issue 13);
    after the e-mailed sign-in a guardian without a session lands there."""
    return f"/ouders/plannen/{UUID(str(plan_id))}/instemming"


def decision_path(referral_id: UUID | str) -> str:
    """The parents' page of their child's TLV application, where they read the decision (issue
    14); after the e-mailed sign-in a guardian without a session lands there."""
    return f"/ouders/aanvragen/{UUID(str(referral_id))}"


def application_path(case_id: UUID | str, referral_id: UUID | str) -> str:
    """The school's page of a referral's TLV application (issue 14); the web sends the
    partnership's consultant on to their own page of it."""
    case, referral = UUID(str(case_id)), UUID(str(referral_id))
    return f"/trajecten/{case}/verwijzingen/{referral}/aanvraag"


def report_path(report_id: UUID | str) -> str:
    """The web page that hands out a compiled outcome report (as PDF, after log-in)."""
    return f"/rapporten/{UUID(str(report_id))}"


def link_for(web_url: str, ids: Mapping[str, Any]) -> str | None:
    """The page a message is about, from its context's ids: a TLV application (the case's and the
    referral's ids: notifications puts the referral's in only for the application's messages),
    else the case (or its plan), else the report, else the home page; None when no web address
    is configured."""
    if not web_url:
        return None
    if ids.get("case_id") and ids.get("referral_id"):
        return f"{web_url.rstrip('/')}{application_path(ids['case_id'], ids['referral_id'])}"
    if not ids.get("case_id") and ids.get("report_id"):
        return f"{web_url.rstrip('/')}{report_path(ids['report_id'])}"
    return page_url(web_url, ids.get("case_id"), ids.get("plan_id"))


def web_url_from_env(env: Mapping[str, str]) -> str:
    """WEB_PUBLIC_URL: where people open the web front end (the links in messages and feeds)."""
    return (env.get("WEB_PUBLIC_URL") or DEFAULT_WEB_URL).rstrip("/")
