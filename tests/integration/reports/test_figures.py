"""Every figure of a school's and a partnership's report against a small history computed by hand.

The history goes through the projector into the real read model (SQLite and PostgreSQL); the
figures come from the database's GROUP BY queries. Period: 1 January - 30 June 2026, compiled on
15 May 2026 (so an evaluation due later in the period is still to come).

Partnership P has schools A, B and C; school X belongs to another partnership and must not count.

School A — basic interventions (start → evaluate-by, evaluated, effect):
  I1 reading   12 Jan → 9 Mar,  evaluated 2 Mar,  effective          49 days, on time
  I2 reading    2 Feb → 30 Mar, evaluated 6 Apr,  partly effective    63 days, late
  I3 math      16 Feb → 13 Apr, evaluated 13 Apr, not effective       56 days, on time (same day)
  I4 math       2 Mar → 11 May, not evaluated
  I5 reading   17 Nov 2025 → 26 Jan, evaluated 19 Jan, effective      63 days, on time
               (started before the period: evaluated in it, not started in it)
  I6 gifted     4 May → 6 Jul, not evaluated, outside the school's support profile
  I7 reading    1 Dec 2025 → 26 Jan, evaluated 22 Dec 2025 (all before the period: not counted)
  E1 an extra intervention (reading_dyslexia_combined) started 16 Mar, outside the profile
  → started 5 (I1-I4, I6); evaluated 4 (I1, I2, I3, I5): effective 2, partly 1, not 1;
    on time 3 of 4 = 0.75; durations 49, 56, 63, 63 → median (56 + 63) / 2 = 59.5;
    per domain: reading started 2 / evaluated 3 (effective 2, partly 1), math started 2 /
    evaluated 1 (not 1), gifted started 1; outside the profile 2 (I6, E1); extra started 1.

School A — development plans:
  P1 created 1 Oct 2025, agreed 3 Nov 2025 (activated). Evaluation EV1 due 1 Feb, held 28 Jan:
     continue, next EV2 due 1 Jun (not held; still to come on 15 May).     → active at 30 June
  P2 created 15 Jan. Consent asked 20 Jan, declined 3 Feb (14 days); asked again 10 Feb, agreed
     24 Feb (14 days). EV3 due 1 Apr, held 8 Apr (late): back to basic, plan closed 8 Apr.
     EV4 due 15 Jun was never held: the plan closed first, so it was cancelled (not counted).
  P3 created 1 Feb, asked 5 Feb, agreed 26 Feb (21 days). EV5 due 31 Mar never held (overdue:
     the plan was still open then). EV6 due 6 May, held 6 May: refer to sbo; closed 6 May.
  P4 created 10 Mar, never agreed (not active).
  P5 created 1 Sep 2025, active 20 Sep 2025, closed 15 Dec 2025 (before the period).
  → new 3 (P2, P3, P4); active at period end 1 (P1); closed 2 (back_to_basic 1, referred 1);
    decisions held in the period: continue 1 (EV1), back_to_basic 1 (EV3), refer 1 (EV6);
    consent answers in the period: agreed 2, declined 1; days 14, 14, 21 → median 14;
    evaluations due in the period (EV4 cancelled): EV1 on time, EV6 on time, EV3 overdue (held
    late), EV5 overdue (never held), EV2 open → due 5, on time 2, overdue 2, open 1;
    referrals 1 (sbo).

School B: six basic reading interventions started 2 Feb, evaluate by 30 Mar, evaluated after
  21, 28, 28, 35, 35 and 42 days (all on time) as effective → median (28 + 35) / 2 = 31.5; one
  referral to 'so' requested 10 Mar (from a plan created before the period).
School C: published its support profile, nothing else: a row of zeros.
School X (other partnership): one intervention started 12 Jan — nowhere in P's report.

Leaving the school, counts of 1 to 4 read "<5" (primary suppression) and further counts read "x"
wherever a "<5" could otherwise be worked out by subtraction (complementary suppression,
domain/suppression.py); each "x" below says which subtraction it prevents.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from services.reports.domain.report import Period
from services.reports.service_layer import compile as compiler
from services.reports.service_layer.projector import project
from tests.conftest import NOW
from tests.unit.reports.builders import OTHER_PARTNERSHIP, PARTNERSHIP, Story, envelope

A = UUID("00000000-0000-4000-8000-0000000000a1")
B = UUID("00000000-0000-4000-8000-0000000000b2")
C = UUID("00000000-0000-4000-8000-0000000000c3")
X = UUID("00000000-0000-4000-8000-0000000000f9")
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
AS_OF = date(2026, 5, 15)


def school_a_interventions() -> list[Story]:
    s = Story(A)
    s.intervention("reading_dyslexia", "2026-01-12", "2026-03-09", "2026-03-02", "effective")
    s.intervention("reading_dyslexia", "2026-02-02", "2026-03-30", "2026-04-06", "partly_effective")
    s.intervention("math_dyscalculia", "2026-02-16", "2026-04-13", "2026-04-13", "not_effective")
    s.intervention("math_dyscalculia", "2026-03-02", "2026-05-11")
    s.intervention("reading_dyslexia", "2025-11-17", "2026-01-26", "2026-01-19", "effective")
    s.intervention("gifted", "2026-05-04", "2026-07-06", outside=True)
    s.intervention("reading_dyslexia", "2025-12-01", "2026-01-26", "2025-12-22", "effective")
    extra = Story(A)
    extra.intervention(
        "reading_dyslexia_combined", "2026-03-16", "2026-06-15", level="extra", outside=True
    )
    return [s, extra]


def school_a_plans() -> list[Story]:
    p1 = Story(A)
    plan = p1.plan("2025-10-01")
    p1.consent(plan, "2025-10-20", "2025-11-03", "agreed")
    ev1 = p1.schedule(plan, "2026-02-01")
    p1.evaluate(plan, ev1, "2026-02-01", "2026-01-28", "continue", next_on="2026-06-01")
    p1.schedule(plan, "2026-06-01")

    p2 = Story(A)
    plan = p2.plan("2026-01-15")
    ev3, _ev4 = p2.schedule(plan, "2026-04-01"), p2.schedule(plan, "2026-06-15")
    p2.consent(plan, "2026-01-20", "2026-02-03", "declined")
    p2.consent(plan, "2026-02-10", "2026-02-24", "agreed", version=2)
    p2.evaluate(plan, ev3, "2026-04-01", "2026-04-08", "back_to_basic")
    p2.close_plan(plan, "2026-04-08", "back_to_basic")

    p3 = Story(A)
    plan = p3.plan("2026-02-01")
    _ev5, ev6 = p3.schedule(plan, "2026-03-31"), p3.schedule(plan, "2026-05-06")
    p3.consent(plan, "2026-02-05", "2026-02-26", "agreed")
    p3.evaluate(plan, ev6, "2026-05-06", "2026-05-06", "refer")
    p3.refer(plan, "sbo", "2026-05-06")
    p3.close_plan(plan, "2026-05-06", "referred")

    p4 = Story(A)
    p4.plan("2026-03-10")

    p5 = Story(A)
    plan = p5.plan("2025-09-01")
    p5.consent(plan, "2025-09-10", "2025-09-20", "agreed")
    p5.close_plan(plan, "2025-12-15", "case_closed")
    return [p1, p2, p3, p4, p5]


def school_b() -> list[Story]:
    stories = []
    for evaluated in ("02-23", "03-02", "03-02", "03-09", "03-09", "03-16"):
        s = Story(B)
        s.intervention(
            "reading_dyslexia", "2026-02-02", "2026-03-30", f"2026-{evaluated}", "effective"
        )
        stories.append(s)
    referred = Story(B)
    plan = referred.plan("2025-06-01")
    referred.refer(plan, "so", "2026-03-10")
    return [*stories, referred]


def other_schools() -> list:
    c = envelope(
        "support_profile.published",
        school_id=C,
        support_profile_id=C,
        version=1,
        valid_from="2025-08-01",
        review_by="2029-07-31",
    )
    x = Story(X, OTHER_PARTNERSHIP)
    x.intervention("reading_dyslexia", "2026-01-12", "2026-03-09")
    return [c, *x.events]


def project_history(c) -> None:
    """The history above, into a reports container's read model."""
    stories = [*school_a_interventions(), *school_a_plans(), *school_b()]
    for e in [e for s in stories for e in s.events] + other_schools():
        assert project(e, c.store, NOW)


@pytest.fixture
def history(reports) -> None:
    project_history(reports)


def zeros(**overrides) -> dict:
    """The sections of a scope with nothing in the period, updated with the given sections."""
    sections = {
        "interventions": {
            "started": 0,
            "evaluated": 0,
            "by_outcome": {"effective": 0, "partly_effective": 0, "not_effective": 0},
            "evaluated_on_time": 0,
            "share_evaluated_on_time": None,
            "median_days": None,
            "by_domain": {},
            "outside_support_profile": 0,
            "extra_started": 0,
        },
        "development_plans": {
            "new": 0,
            "active": 0,
            "closed": 0,
            "closed_by_reason": {},
            "evaluation_decisions": {"continue": 0, "back_to_basic": 0, "refer": 0},
        },
        "consent": {"agreed": 0, "declined": 0, "median_days_to_answer": None},
        "plan_evaluations": {"due": 0, "on_time": 0, "overdue": 0, "open": 0},
        "referrals": {"requested": 0, "by_destination": {}},
        # No TLV applications in this history (tests/integration/reports/test_tlv.py has them).
        "admission_statements": {
            "submitted": 0,
            "submitted_without_agreement": 0,
            "decided": 0,
            "granted": 0,
            "refused": 0,
            "granted_by_school_type": {"sbo": 0, "so": 0},
            "so_by_category": {"low": 0, "medium": 0, "high": 0},
            "median_days_to_decision": None,
            "decided_late": 0,
        },
    }
    for name, values in overrides.items():
        sections[name] = {**sections[name], **values}
    return sections


SCHOOL_A_EXACT = zeros(
    interventions={
        "started": 5,
        "evaluated": 4,
        "by_outcome": {"effective": 2, "partly_effective": 1, "not_effective": 1},
        "evaluated_on_time": 3,
        "share_evaluated_on_time": 0.75,
        "median_days": 59.5,
        "by_domain": {
            "gifted": {
                "started": 1,
                "evaluated": 0,
                "effective": 0,
                "partly_effective": 0,
                "not_effective": 0,
            },
            "math_dyscalculia": {
                "started": 2,
                "evaluated": 1,
                "effective": 0,
                "partly_effective": 0,
                "not_effective": 1,
            },
            "reading_dyslexia": {
                "started": 2,
                "evaluated": 3,
                "effective": 2,
                "partly_effective": 1,
                "not_effective": 0,
            },
        },
        "outside_support_profile": 2,
        "extra_started": 1,
    },
    development_plans={
        "new": 3,
        "active": 1,
        "closed": 2,
        "closed_by_reason": {"back_to_basic": 1, "referred": 1},
        "evaluation_decisions": {"continue": 1, "back_to_basic": 1, "refer": 1},
    },
    consent={"agreed": 2, "declined": 1, "median_days_to_answer": 14.0},
    plan_evaluations={"due": 5, "on_time": 2, "overdue": 2, "open": 1},
    referrals={"requested": 1, "by_destination": {"sbo": 1}},
)

# The same figures leaving the school: 1 to 4 read "<5"; medians and shares over 1-4 rows go.
SCHOOL_A_SUPPRESSED = zeros(
    interventions={
        "started": 5,
        "evaluated": "<5",
        "by_outcome": {"effective": "<5", "partly_effective": "<5", "not_effective": "<5"},
        "evaluated_on_time": "<5",
        "share_evaluated_on_time": None,
        "median_days": None,
        "by_domain": {
            "gifted": {
                "started": "<5",
                "evaluated": 0,
                "effective": 0,
                "partly_effective": 0,
                "not_effective": 0,
            },
            "math_dyscalculia": {
                "started": "<5",
                "evaluated": "<5",
                "effective": 0,
                "partly_effective": 0,
                "not_effective": "<5",
            },
            "reading_dyslexia": {
                "started": "<5",
                "evaluated": "<5",
                "effective": "<5",
                "partly_effective": "<5",
                "not_effective": 0,
            },
        },
        "outside_support_profile": "<5",
        "extra_started": "<5",
    },
    development_plans={
        "new": "<5",
        "active": "<5",
        "closed": "<5",
        "closed_by_reason": {"back_to_basic": "<5", "referred": "<5"},
        "evaluation_decisions": {"continue": "<5", "back_to_basic": "<5", "refer": "<5"},
    },
    consent={"agreed": "<5", "declined": "<5", "median_days_to_answer": None},
    plan_evaluations={"due": 5, "on_time": "<5", "overdue": "<5", "open": "<5"},
    referrals={"requested": "<5", "by_destination": {"sbo": "<5"}},
)

# School B in the partnership's report: six interventions of 21-42 days, all effective and on
# time; one referral to 'so'. Its 6 evaluated would give school A's "<5" back (the total 10 - 6 -
# C's 0 = 4), so it reads "x"; and with it everything equal to it: its effective 6 (the other
# effects are 0), its reading evaluated and effective (its only domain). Its 6 started would do
# the same for A's reading started (the total's reading 8 - 6 = 2): its reading started and
# started read "x". The share on time goes with the hidden evaluated; its 6 on time stay (B's
# evaluated is then 6 to 9, A's 1 to 4).
SCHOOL_B_SUPPRESSED = zeros(
    interventions={
        "started": "x",
        "evaluated": "x",
        "by_outcome": {"effective": "x", "partly_effective": 0, "not_effective": 0},
        "evaluated_on_time": 6,
        "share_evaluated_on_time": None,
        "median_days": 31.5,
        "by_domain": {
            "reading_dyslexia": {
                "started": "x",
                "evaluated": "x",
                "effective": "x",
                "partly_effective": 0,
                "not_effective": 0,
            }
        },
    },
    referrals={"requested": "<5", "by_destination": {"so": "<5"}},
)

# School A in the partnership's report: as leaving the school, but its 5 started read "x": with
# B's started hidden, the total 11 - A's 5 would give B's 6 back. A and B are now 5 or 6 each.
SCHOOL_A_IN_PARTNERSHIP = zeros(
    **{
        **SCHOOL_A_SUPPRESSED,
        "interventions": {**SCHOOL_A_SUPPRESSED["interventions"], "started": "x"},
    }
)

# A + B + C: started 5 + 6 = 11; evaluated 4 + 6 = 10, effective 2 + 6 = 8, on time 3 + 6 = 9
# (share 0.9); durations 21, 28, 28, 35, 35 | 42, 49, 56, 63, 63 → median (35 + 42) / 2 = 38.5;
# reading started 2 + 6 = 8, evaluated 3 + 6 = 9, effective 2 + 6 = 8; referrals sbo 1 + so 1 = 2.
# Everything of school A alone stays below 5, except the five evaluations due.
# Hidden as "x" besides:
#   effective 8: evaluated 10 - 8 leaves 2 for partly + not, two "<5" that must then both be 1;
#   on time 9: 10 evaluated - 9 on time = 1 evaluated late (not shown, but a count all the same),
#     so the share (0.9) goes as well;
#   reading evaluated 9: evaluated 10 - reading 9 - gifted 0 = math's "<5" (1);
#   reading effective 8: reading evaluated then = 8 + partly, and 10 = 8 + partly + math leaves
#     2 for two "<5" again.
# Reading started 8 stays: started 11 - 8 = 3 for math + gifted, each "<5" 1 or 2.
TOTAL = zeros(
    interventions={
        "started": 11,
        "evaluated": 10,
        "by_outcome": {"effective": "x", "partly_effective": "<5", "not_effective": "<5"},
        "evaluated_on_time": "x",
        "share_evaluated_on_time": None,
        "median_days": 38.5,
        "by_domain": {
            **SCHOOL_A_SUPPRESSED["interventions"]["by_domain"],
            "reading_dyslexia": {
                "started": 8,
                "evaluated": "x",
                "effective": "x",
                "partly_effective": "<5",
                "not_effective": 0,
            },
        },
        "outside_support_profile": "<5",
        "extra_started": "<5",
    },
    development_plans=SCHOOL_A_SUPPRESSED["development_plans"],
    consent=SCHOOL_A_SUPPRESSED["consent"],
    plan_evaluations=SCHOOL_A_SUPPRESSED["plan_evaluations"],
    referrals={"requested": "<5", "by_destination": {"sbo": "<5", "so": "<5"}},
)

# The average per school over the three schools: a total of 5 or more divided by 3, one decimal
# (11 / 3 = 3.7, 10 / 3 = 3.3); a total of 1-4 is "<5". Medians and shares are the partnership's
# own (38.5 days), not averages of schools. An average gives its total back (x 3 schools), so it
# hides what the total hides ("x" for effective, on time, reading evaluated and effective: see
# TOTAL), and what school A could work out by subtracting its own exact figures:
#   reading started (8 / 3 = 2.7): started 11 - 8 = 3 for math + gifted, which A alone has
#     (2 + 1), so the partnership's "<5"s for math and gifted would be known to be 2 and 1;
#   plan evaluations due (5 / 3 = 1.7): on time + overdue + open = 5, all A's own (2 + 2 + 1).
AVERAGE = zeros(
    interventions={
        **TOTAL["interventions"],
        "started": 3.7,
        "evaluated": 3.3,
        "by_domain": {
            **TOTAL["interventions"]["by_domain"],
            "reading_dyslexia": {
                "started": "x",
                "evaluated": "x",
                "effective": "x",
                "partly_effective": "<5",
                "not_effective": 0,
            },
        },
    },
    development_plans=TOTAL["development_plans"],
    consent=TOTAL["consent"],
    plan_evaluations={**TOTAL["plan_evaluations"], "due": "x"},
    referrals=TOTAL["referrals"],
)

# Beside A's own figures suppressed (a copy leaving the school) A's exact figures are not known to
# the reader, so only what TOTAL hides goes: reading started (2.7) and due (1.7) stay.
AVERAGE_BESIDE_SUPPRESSED = zeros(
    interventions={
        **AVERAGE["interventions"],
        "by_domain": {
            **AVERAGE["interventions"]["by_domain"],
            "reading_dyslexia": {
                **TOTAL["interventions"]["by_domain"]["reading_dyslexia"],
                "started": 2.7,
            },
        },
    },
    development_plans=TOTAL["development_plans"],
    consent=TOTAL["consent"],
    plan_evaluations={**TOTAL["plan_evaluations"], "due": 1.7},
    referrals=TOTAL["referrals"],
)


def test_a_schools_own_report_shows_every_figure_exactly(reports, history):
    report = reports_school(reports, A)
    assert report["figures"] == SCHOOL_A_EXACT
    assert report["suppressed"] is False
    assert report["partnership_average"] == {"schools": 3, "figures": AVERAGE}


def test_the_same_school_report_suppressed_when_it_leaves_the_school(reports, history):
    report = reports_school(reports, A, exact=False)
    assert report["figures"] == SCHOOL_A_SUPPRESSED
    assert report["suppressed"] is True
    assert report["partnership_average"] == {"schools": 3, "figures": AVERAGE_BESIDE_SUPPRESSED}


def test_the_partnership_report_per_school_and_in_total(reports, history):
    report = compiler.partnership_report(reports.reader, PARTNERSHIP, PERIOD, AS_OF)
    by_school = {s["school_id"]: s["figures"] for s in report["schools"]}
    assert list(by_school) == sorted([A, B, C])  # X is another partnership's
    assert by_school[A] == SCHOOL_A_IN_PARTNERSHIP
    assert by_school[B] == SCHOOL_B_SUPPRESSED
    assert by_school[C] == zeros()
    assert report["total"] == {"schools": 3, "figures": TOTAL}


def test_a_period_without_activity_is_a_report_of_zeros(reports, history):
    summer = Period(date(2026, 7, 20), date(2026, 7, 31))
    report = compiler.school_report(reports.reader, PARTNERSHIP, A, summer, AS_OF, exact=True)
    # Plan P1 stays active through the summer; nothing else happens.
    assert report["figures"] == zeros(development_plans={"active": 1})


def reports_school(c, school_id, exact=True):
    return compiler.school_report(c.reader, PARTNERSHIP, school_id, PERIOD, AS_OF, exact=exact)
