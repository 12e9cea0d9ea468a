"""TLV applications and decisions (issue 14) from the event stream to the reports: the events go
on a real Redis stream, the reports consumer (its production wiring, batches and all) projects
them into the read model on SQLite and PostgreSQL, and the figures come from the database's
GROUP BY queries. Period: 1 January - 30 June 2026, compiled on 1 July 2026.

Partnership P has schools A, B and C; school X belongs to another partnership and must not count.
Each application's deadline (decide_by) is six weeks after it was submitted unless said.

School A (submitted → decided, decision, days, deadline):
  T1 12 Jan → 16 Feb  granted so, low       35 days  in time (23 Feb)
  T2 19 Jan → 9 Mar   granted so, medium    49 days  late (2 Mar); without the parents' agreement
  T3  2 Feb → 2 Mar   granted sbo           28 days  in time
  T4  9 Feb → 30 Mar  refused               49 days  late (23 Mar)
  T5  1 Dec 2025 → 12 Jan  granted so, high 42 days  in time (deadline 12 Jan, the same day)
      (submitted before the period: decided in it, not submitted in it)
  T6 15 Jun, not decided, without the parents' agreement
  T7  1 Jun → 6 Jul (decided after the period: submitted in it only)
  → submitted 6 (T1-T4, T6, T7), without agreement 2 (T2, T6); decided 5: granted 4, refused 1;
    sbo 1, so 3 (low 1, medium 1, high 1); days 28, 35, 42, 49, 49 → median 42; late 2.
School B: U1 2 Mar → 13 Apr granted sbo, 42 days, in time.
School C: published its support profile, nothing else: zeros.
School X (other partnership): one application granted for so — nowhere in P's report.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import UUID

from services.reports.__main__ import consumer
from services.reports.adapters.queries import SqlFactReader
from services.reports.domain.report import TLV, Period
from services.reports.domain.suppression import disclosed, partnership_grid
from services.reports.service_layer import compile as compiler
from shared.auth import Role
from shared.streams import ENVELOPE_FIELD
from tests.integration.reports.helpers import dump
from tests.integration.reports.test_api import read_csv, token
from tests.unit.reports.builders import OTHER_PARTNERSHIP, PARTNERSHIP, Story, envelope

A = UUID("00000000-0000-4000-8000-0000000000a1")
B = UUID("00000000-0000-4000-8000-0000000000b2")
C = UUID("00000000-0000-4000-8000-0000000000c3")
X = UUID("00000000-0000-4000-8000-0000000000f9")
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
AS_OF = date(2026, 7, 1)


def history() -> list:
    a = Story(A)
    a.tlv("2026-01-12", "2026-02-16", school_type="so", category="low")
    a.tlv("2026-01-19", "2026-03-09", parents_agreed=False, school_type="so", category="medium")
    a.tlv("2026-02-02", "2026-03-02", school_type="sbo")
    a.tlv("2026-02-09", "2026-03-30", "refused")
    a.tlv("2025-12-01", "2026-01-12", decide_by="2026-01-12", school_type="so", category="high")
    a.tlv("2026-06-15", parents_agreed=False)
    a.tlv("2026-06-01", "2026-07-06", school_type="sbo")
    b = Story(B)
    b.tlv("2026-03-02", "2026-04-13", school_type="sbo")
    c = envelope(
        "support_profile.published",
        school_id=C,
        support_profile_id=C,
        version=1,
        valid_from="2025-08-01",
        review_by="2029-07-31",
    )
    x = Story(X, OTHER_PARTNERSHIP)
    x.tlv("2026-02-02", "2026-03-02", school_type="so", category="low")
    return [*a.events, *b.events, c, *x.events]


def consume(reports, stream: str, events: list) -> int:
    """Publish the events on the stream and let the reports consumer handle all of it."""
    for e in events:
        reports.redis.xadd(stream, {ENVELOPE_FIELD: e.to_json()})
    live = consumer(reports, claim_idle_ms=0, block_ms=10, batch=4)
    live.ensure_group()
    handled = 0
    while count := live.run_once():
        handled += count
    return handled


def test_the_consumer_projects_the_applications_and_the_reports_count_them(reports, stream_name):
    events = history()
    assert consume(reports, stream_name, events) == len(events)

    with reports.reader() as reader:
        assert isinstance(reader, SqlFactReader)
        by_school = reader.figures(PARTNERSHIP, [A, B, C], PERIOD, AS_OF)
    a, b, c = (by_school[s] for s in (A, B, C))
    assert +a.tlv == Counter(
        submitted=6,
        submitted_without_agreement=2,
        granted=4,
        refused=1,
        sbo=1,
        so=3,
        low=1,
        medium=1,
        high=1,
        decided_late=2,
    )
    assert sorted(a.tlv_days) == [28, 35, 42, 49, 49]
    assert (+b.tlv, b.tlv_days) == (Counter(submitted=1, granted=1, sbo=1), [42])
    assert (+c.tlv, c.tlv_days) == (Counter(), [])

    own = compiler.school_report(reports.reader, PARTNERSHIP, A, PERIOD, AS_OF, exact=True)
    assert own["figures"][TLV] == {
        "submitted": 6,
        "submitted_without_agreement": 2,
        "decided": 5,
        "granted": 4,
        "refused": 1,
        "granted_by_school_type": {"sbo": 1, "so": 3},
        "so_by_category": {"low": 1, "medium": 1, "high": 1},
        "median_days_to_decision": 42.0,
        "decided_late": 2,
    }
    # Beside it the partnership's average over three schools, small numbers suppressed; the lead
    # time over all six decisions (28, 35, 42, 42, 49, 49).
    average = own["partnership_average"]["figures"][TLV]
    assert average["median_days_to_decision"] == 42.0
    assert average["refused"] == "<5"

    report = compiler.partnership_report(reports.reader, PARTNERSHIP, PERIOD, AS_OF)
    rows = {s["school_id"]: s["figures"][TLV] for s in report["schools"]}
    assert set(rows) == {A, B, C}  # X is another partnership's
    assert rows[B]["granted_by_school_type"] == {"sbo": "<5", "so": 0}
    assert rows[B]["median_days_to_decision"] is None  # one decision
    assert rows[C]["submitted"] == 0 and rows[C]["decided"] == 0
    assert rows[A]["median_days_to_decision"] == 42.0
    # A's 4 grants: 1 sbo and 3 so, one per category. As "<5" each would be pinned to 1 (so is
    # at least its three categories, the grants at most 4), so the last category is left out.
    assert rows[A]["so_by_category"] == {"low": "<5", "medium": "<5", "high": "–"}
    assert rows[A]["granted_by_school_type"] == {"sbo": "<5", "so": "<5"}
    totals = report["total"]["figures"][TLV]
    # B's one application is the total 7 less A's 6: one of the two is hidden.
    assert "x" in (rows[A]["submitted"], totals["submitted"])
    assert totals["granted_by_school_type"]["so"] == "<5"  # A's 3 (X's grant does not count)
    assert totals["so_by_category"]["high"] == "–"  # A's, as the others have none
    assert disclosed(partnership_grid([a, b, c], a + b + c)) == []


def test_a_redelivered_stream_changes_nothing(reports, stream_name):
    events = history()
    consume(reports, stream_name, events)
    before = dump(reports)
    assert len(before["referrals"]) == 9  # A's seven applications, B's one, X's one
    consume(reports, stream_name, [*events[3:], *events[:3]])  # again, in another order
    assert dump(reports) == before


def test_the_api_and_its_csv_carry_the_section(reports, reports_client, stream_name):
    consume(reports, stream_name, history())
    period = {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
    admin = token(Role.ADMIN)
    response = reports_client.get("/api/v1/reports/partnership", query_string=period, headers=admin)
    assert response.status_code == 200, response.json
    assert response.json["labels"]["sections"][TLV] == "Toelaatbaarheidsverklaringen"
    total = response.json["total"]["figures"][TLV]
    assert (total["submitted"], total["decided"], total["refused"]) == (7, "x", "<5")
    coordinator = token(Role.COORDINATOR, schools=[A])
    csv = reports_client.get(
        f"/api/v1/reports/schools/{A}/export.csv", query_string=period, headers=coordinator
    )
    header, own, _average = read_csv(csv, ";")
    figures = dict(zip(header, own, strict=True))
    assert figures["TLV-besluiten na de beslistermijn"] == "2"
    assert figures["TLV so naar bekostigingscategorie: Hoog (categorie 3)"] == "1"
    assert figures["Mediane doorlooptijd TLV (dagen)"] == "42,0"
