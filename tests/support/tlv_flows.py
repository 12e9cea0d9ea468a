"""TLV application flows for API tests (issue 14): a referred case with two documents, and the
steps of its application, told as the school and the partnership would."""

from __future__ import annotations

from typing import Any

from tests.support import api_flows as f
from tests.support import documents as files

COORD, DIRECTOR, CONSULTANT, PARENT = "coordinator_a1", "director_a1", "consultant_a", "guardian_a1"
TEXT_VIEW = "Wij denken dat onze dochter meer structuur nodig heeft."


def make_referral(world) -> dict[str, Any]:
    """A referred case of pupil a1 with two documents attached (not shared yet)."""
    case, referral = f.referred_case(world, "a1")
    path = f"/api/v1/cases/{case['id']}/documents"
    report = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PDF, "rapport.pdf"))
    photo = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PNG, "obs.png"))
    return {"case": case, "id": referral["id"], "report": report["id"], "photo": photo["id"]}


def app_path(referral: dict[str, Any], suffix: str = "") -> str:
    return f"/api/v1/referrals/{referral['id']}/application{suffix}"


def start(world, referral: dict[str, Any]) -> dict[str, Any]:
    body = {
        "document_ids": [referral[k] for k in ("report", "photo") if k in referral],
        "motivation": "De ondersteuningsbehoefte overstijgt wat wij kunnen bieden.",
    }
    return f.call_ok(world, COORD, "POST", app_path(referral), 201, json=body)


def submitted(world, referral: dict[str, Any]) -> dict[str, Any]:
    start(world, referral)
    f.call_ok(world, DIRECTOR, "POST", app_path(referral, "/sign-off"), 200, json={})
    return f.call_ok(world, COORD, "POST", app_path(referral, "/submit"), 200, json={})


def advise(world, referral: dict[str, Any], role: str) -> Any:
    body = {"adviser_role": role, "adviser_name": "Drs. K. Jansen", "conclusion": "Toelaatbaar."}
    return world.call(CONSULTANT, "POST", app_path(referral, "/advices"), json=body)


GRANT = {
    "decision": "granted",
    "school_type": "so",
    "category": "high",
    "valid_from": "2026-11-01",
    "valid_until": "2028-07-31",
}
