"""Showing figures: exact inside the school, small numbers suppressed outside it; periods; the
table behind the downloads; and how a school's and a partnership's report are put together."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import pytest

from services.reports.domain.report import Figures, Period, View, median, render, total
from services.reports.domain.table import table
from services.reports.service_layer import compile as reports
from shared.errors import RuleViolation

A = UUID("00000000-0000-4000-8000-0000000000a1")
B = UUID("00000000-0000-4000-8000-0000000000a2")
PARTNERSHIP = UUID("00000000-0000-4000-8000-00000000000a")
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
AS_OF = date(2026, 5, 15)


@pytest.mark.parametrize("n, shown", [(0, 0), (1, "<5"), (2, "<5"), (4, "<5"), (5, 5), (37, 37)])
def test_a_count_from_1_to_4_reads_less_than_5_outside_the_school(n, shown):
    assert View(suppress=True).count(n) == shown
    assert View(suppress=False).count(n) == n


@pytest.mark.parametrize("base, shown", [(0, 0.5), (1, None), (4, None), (5, 0.5)])
def test_a_median_or_share_over_1_to_4_rows_is_left_out_when_suppressed(base, shown):
    assert View(suppress=True).derived(0.5, base) == shown
    assert View(suppress=False).derived(0.5, base) == 0.5


def test_an_average_per_school_is_suppressed_when_its_total_is():
    three_schools = View(suppress=True, per=3)
    assert three_schools.count(11) == 3.7  # 11 / 3 schools, one decimal
    assert three_schools.count(5) == 1.7  # the total of 5 is shown, so its average is
    assert three_schools.count(2) == "<5"
    assert three_schools.count(0) == 0


def test_figures_round_half_up():
    assert View(suppress=True, per=4).count(9) == 2.3  # 2.25, which round() makes 2.2
    assert View(suppress=False).derived(0.8125, 8, 3) == 0.813


def test_median_of_even_odd_and_no_spans():
    assert median([63, 49, 63, 56]) == 59.5
    assert median([7, 1, 3]) == 3.0
    assert median([]) is None


def test_a_period_ending_before_it_starts_is_refused_and_a_single_day_is_fine():
    with pytest.raises(RuleViolation) as err:
        Period(date(2026, 6, 30), date(2026, 1, 1))
    assert err.value.status == 422 and "end" in err.value.errors
    assert Period(date(2026, 6, 30), date(2026, 6, 30)).start == date(2026, 6, 30)


def test_an_empty_report_has_every_section_with_zeros():
    sections = render(Figures(), View(suppress=True))
    assert sections["interventions"]["started"] == 0
    assert sections["interventions"]["by_outcome"] == {
        "effective": 0,
        "partly_effective": 0,
        "not_effective": 0,
    }
    assert sections["interventions"]["median_days"] is None
    assert sections["interventions"]["share_evaluated_on_time"] is None
    assert sections["development_plans"]["evaluation_decisions"] == {
        "continue": 0,
        "back_to_basic": 0,
        "refer": 0,
    }
    assert sections["plan_evaluations"] == {"due": 0, "on_time": 0, "overdue": 0, "open": 0}
    assert sections["referrals"] == {"requested": 0, "by_destination": {}}


def school_a() -> Figures:
    return Figures(
        interventions=Counter(started=6, evaluated=5, effective=5, evaluated_on_time=4),
        intervention_days=[28, 30, 35, 40, 41],
        by_domain={"reading_dyslexia": Counter(started=6, evaluated=5, effective=5)},
        referrals=Counter(sbo=1),
    )


def school_b() -> Figures:
    return Figures(
        interventions=Counter(started=1),
        by_domain={"gifted": Counter(started=1)},
        referrals=Counter(so=2),
    )


def test_totals_add_counts_and_spans_and_merge_domains():
    both = total([school_a(), school_b()])
    assert both.interventions["started"] == 7
    assert both.intervention_days == [28, 30, 35, 40, 41]
    assert set(both.by_domain) == {"reading_dyslexia", "gifted"}
    assert both.referrals == Counter(sbo=1, so=2)


class FakeReader:
    def schools_of(self, partnership_id):
        return [A, B] if partnership_id == PARTNERSHIP else []

    def partnership_of(self, school_id):
        return PARTNERSHIP if school_id in (A, B) else None

    def school_names(self, school_ids):
        return {}  # no `school.registered` seen

    def partnership_name(self, partnership_id):
        return None  # no `partnership.registered` seen

    def figures(self, partnership_id, school_ids, period, as_of):
        known = {A: school_a(), B: school_b()}
        return {s: known.get(s, Figures()) for s in school_ids}

    def own_and_rest(self, partnership_id, school_id, school_ids, period, as_of):
        by_school = self.figures(partnership_id, sorted({*school_ids, school_id}), period, as_of)
        return by_school.pop(school_id), total(list(by_school.values()))


@contextmanager
def readers():
    yield FakeReader()


def test_a_schools_own_report_is_exact_and_the_average_beside_it_suppressed():
    report = reports.school_report(readers, PARTNERSHIP, B, PERIOD, AS_OF, exact=True)
    assert report["suppressed"] is False
    assert report["figures"]["interventions"]["started"] == 1  # exact for the school itself
    assert report["figures"]["referrals"]["by_destination"] == {"so": 2}
    average = report["partnership_average"]
    assert average["schools"] == 2
    assert average["figures"]["interventions"]["started"] == 3.5  # (6 + 1) / 2
    assert average["figures"]["interventions"]["evaluated"] == 2.5  # 5 / 2
    assert average["figures"]["interventions"]["median_days"] == 35.0  # over all, base 5
    assert average["figures"]["referrals"]["by_destination"] == {"sbo": "<5", "so": "<5"}


def test_the_partnership_report_lists_every_school_and_the_totals_suppressed():
    report = reports.partnership_report(readers, PARTNERSHIP, PERIOD, AS_OF, lang="en")
    assert [s["school_id"] for s in report["schools"]] == [A, B]
    a, b = (s["figures"]["interventions"] for s in report["schools"])
    # B's 1 started would be the total 7 minus A's 6: A's 6 reads "x" (and its reading domain,
    # the only one, too), so B's "<5" can be 1 or 2.
    assert (a["started"], a["evaluated"], a["median_days"]) == ("x", 5, 35.0)
    assert a["by_domain"]["reading_dyslexia"]["started"] == "x"
    assert (b["started"], b["evaluated"], b["median_days"]) == ("<5", 0, None)
    assert report["total"]["figures"]["interventions"]["started"] == 7
    assert report["labels"]["figures"]["interventions.started"] == "Basic interventions started"


def test_the_table_has_a_column_per_figure_in_dutch_and_zeros_for_missing_domains():
    report = reports.partnership_report(readers, PARTNERSHIP, PERIOD, AS_OF)
    t = reports.partnership_table(report)
    assert t.header[:4] == ["School", "Begin periode", "Einde periode", "Basisinterventies gestart"]
    col = t.header.index("Meer- en hoogbegaafdheid: gestart")
    assert [row[col] for row in t.rows] == [0, "<5", "<5"]  # school A, school B, total
    assert [row[0] for row in t.rows] == [str(A), str(B), "Totaal samenwerkingsverband"]
    assert t.rows[0][1:3] == ["2026-01-01", "2026-06-30"]
    assert "Verwijzingen naar: Speciaal basisonderwijs (sbo)" in t.header


def test_the_table_in_english_and_an_unknown_code_keeps_its_code():
    sections = render(Figures(by_domain={"own_code": Counter(started=7)}), View(suppress=False))
    t = table([("x", sections)], "2026-01-01", "2026-06-30", "en")
    assert "own_code: started" in t.header
    assert "Median duration (days)" in t.header
