"""The section "Toelaatbaarheidsverklaringen" (issue 14): TLV applications submitted (and how many
without the parents' agreement), decisions granted and refused, grants by type of school and for
so by category, the median lead time from application to decision and the decisions past the
deadline; exact in a school's own report, under the same small-number and complementary
suppression as every other count where it leaves the school, and the lead time left out under 5
decisions everywhere."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import pytest

from services.reports.adapters import pdf
from services.reports.api.schemas import PartnershipReportSchema, SchoolReportSchema
from services.reports.domain import labels, suppression
from services.reports.domain.report import TLV, Figures, Period, View, render, total
from services.reports.domain.suppression import disclosed
from services.reports.service_layer import compile as reports

A = UUID("00000000-0000-4000-8000-0000000000a1")
B = UUID("00000000-0000-4000-8000-0000000000a2")
PARTNERSHIP = UUID("00000000-0000-4000-8000-00000000000a")
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
AS_OF = date(2026, 7, 1)


def school_a() -> Figures:
    """Six applications (one without the parents), six grants for so, all medium."""
    return Figures(
        tlv=Counter(submitted=6, submitted_without_agreement=1, granted=6, so=6, medium=6),
        tlv_days=[20, 30, 40, 50, 60, 70],
    )


def school_b() -> Figures:
    """One grant for sbo, decided past the deadline, on an application of an earlier period."""
    return Figures(tlv=Counter(granted=1, sbo=1, decided_late=1), tlv_days=[90])


def test_a_schools_own_section_is_exact_and_decided_is_granted_plus_refused():
    f = Figures(
        tlv=Counter(submitted=3, submitted_without_agreement=1, granted=2, refused=3, sbo=1, so=1),
        tlv_days=[14, 21, 28, 35, 70],
    )
    f.tlv.update(low=1, decided_late=2)
    assert render(f, View(suppress=False))[TLV] == {
        "submitted": 3,
        "submitted_without_agreement": 1,
        "decided": 5,
        "granted": 2,
        "refused": 3,
        "granted_by_school_type": {"sbo": 1, "so": 1},
        "so_by_category": {"low": 1, "medium": 0, "high": 0},
        "median_days_to_decision": 28.0,
        "decided_late": 2,
    }


@pytest.mark.parametrize("suppress", [False, True])
def test_the_lead_time_is_left_out_under_5_decisions_even_in_the_schools_own_report(suppress):
    four = Figures(tlv=Counter(granted=4, sbo=4), tlv_days=[10, 20, 30, 40])
    assert render(four, View(suppress=suppress))[TLV]["median_days_to_decision"] is None
    five = Figures(tlv=Counter(granted=5, sbo=5), tlv_days=[10, 20, 30, 40, 50])
    assert render(five, View(suppress=suppress))[TLV]["median_days_to_decision"] == 30.0


def test_an_empty_section_reads_zeros():
    assert render(Figures(), View(suppress=True))[TLV] == {
        "submitted": 0,
        "submitted_without_agreement": 0,
        "decided": 0,
        "granted": 0,
        "refused": 0,
        "granted_by_school_type": {"sbo": 0, "so": 0},
        "so_by_category": {"low": 0, "medium": 0, "high": 0},
        "median_days_to_decision": None,
        "decided_late": 0,
    }


def test_a_single_grant_at_one_school_cannot_be_worked_out_from_the_partnerships_total():
    # B's one grant (sbo) would be the total 7 minus A's 6: A's decided, granted, so and medium
    # read "x", and so do the total's (else A's 6 medium would be the total's minus B's 0).
    a, b = school_a(), school_b()
    (mask_a, mask_b), mask_total = suppression.partnership_masks([a, b], total([a, b]))
    shown_a = render(a, View(suppress=True), mask_a)[TLV]
    shown_b = render(b, View(suppress=True), mask_b)[TLV]
    shown_total = render(total([a, b]), View(suppress=True), mask_total)[TLV]
    assert (shown_a["decided"], shown_a["granted"], shown_a["so_by_category"]["medium"]) == (
        "x",
        "x",
        "x",
    )
    assert shown_a["submitted"] == 6 and shown_a["submitted_without_agreement"] == "<5"
    assert (shown_b["granted"], shown_b["granted_by_school_type"]["sbo"]) == ("<5", "<5")
    assert shown_b["decided_late"] == "<5"
    assert (shown_total["granted"], shown_total["granted_by_school_type"]["so"]) == ("x", "x")
    assert shown_a["median_days_to_decision"] == 45.0  # six decisions
    assert shown_b["median_days_to_decision"] is None  # one
    assert shown_total["median_days_to_decision"] == 50.0
    assert disclosed(suppression.partnership_grid([a, b], total([a, b]))) == []


def test_the_other_schools_with_agreement_are_not_given_away_beside_a_schools_exact_figures():
    # This school submitted 3 applications, all with the parents' agreement; the others 8, of
    # which 5 without. The average shows the total 11 and 5 without: 11 - 5 - 3 = 3 applications
    # with agreement at the other schools, pinned through figures the report does not show
    # (before, nothing in their own groups could be hidden, and they stayed pinned).
    mine = Figures(tlv=Counter(submitted=3))
    theirs = Figures(tlv=Counter(submitted=8, submitted_without_agreement=5))
    grid = suppression.school_grid(mine, total([mine, theirs]), exact=True)
    assert disclosed(grid) == []
    own, average = suppression.school_masks(mine, total([mine, theirs]), exact=True)
    assert own == {}
    assert average == {(TLV, "submitted_without_agreement"): "x"}


def test_the_other_schools_late_evaluations_are_not_given_away_either():
    # The same gap in the older section: 3 evaluated here, all late; the others 8, 5 on time.
    mine = Figures(interventions=Counter(evaluated=3, effective=3))
    theirs = Figures(interventions=Counter(evaluated=8, effective=8, evaluated_on_time=5))
    grid = suppression.school_grid(mine, total([mine, theirs]), exact=True)
    assert disclosed(grid) == []
    _, average = suppression.school_masks(mine, total([mine, theirs]), exact=True)
    assert average == {("interventions", "evaluated_on_time"): "x"}


class FakeReader:
    def schools_of(self, partnership_id):
        return [A, B]

    def partnership_of(self, school_id):
        return PARTNERSHIP

    def school_names(self, school_ids):
        return {A: "De Regenboog", B: "Het Anker"}

    def partnership_name(self, partnership_id):
        return "SWV Zuid"

    def figures(self, partnership_id, school_ids, period, as_of):
        return {A: school_a(), B: school_b()}

    def own_and_rest(self, partnership_id, school_id, school_ids, period, as_of):
        by_school = self.figures(partnership_id, school_ids, period, as_of)
        own = by_school.pop(school_id)
        return own, total(list(by_school.values()))


@contextmanager
def readers():
    yield FakeReader()


def test_the_school_and_partnership_reports_carry_the_section_through_their_schemas():
    school = reports.school_report(readers, PARTNERSHIP, B, PERIOD, AS_OF, exact=True)
    body = SchoolReportSchema().dump(school)
    assert body["figures"][TLV]["granted_by_school_type"] == {"sbo": 1, "so": 0}
    average = body["partnership_average"]["figures"][TLV]
    assert average["submitted"] == 3.0  # 6 over 2 schools
    assert average["granted"] == "x"  # 7 - B's own 1 would give A's 6 (an "x" elsewhere)
    assert average["median_days_to_decision"] == 50.0
    partnership = reports.partnership_report(readers, PARTNERSHIP, PERIOD, AS_OF)
    body = PartnershipReportSchema().dump(partnership)
    assert [s["figures"][TLV]["granted"] for s in body["schools"]] == ["x", "<5"]
    assert body["total"]["figures"][TLV]["submitted"] == 6
    assert body["labels"]["sections"][TLV] == "Toelaatbaarheidsverklaringen"


@pytest.mark.parametrize(
    "lang, labels_expected",
    [
        (
            "nl",
            [
                "TLV-aanvragen ingediend",
                "TLV-aanvragen zonder instemming ouders",
                "TLV toegekend voor: Speciaal onderwijs (so)",
                "TLV so naar bekostigingscategorie: Midden (categorie 2)",
                "Mediane doorlooptijd TLV (dagen)",
                "TLV-besluiten na de beslistermijn",
            ],
        ),
        (
            "en",
            [
                "TLV applications submitted",
                "TLV granted for: Special primary education (sbo)",
                "TLV so by funding category: High (category 3)",
                "TLV decisions after the deadline",
            ],
        ),
    ],
)
def test_the_downloads_table_has_a_labelled_column_per_figure(lang, labels_expected):
    report = reports.partnership_report(readers, PARTNERSHIP, PERIOD, AS_OF, lang=lang)
    t = reports.partnership_table(report)
    for label in labels_expected:
        assert label in t.header, label
    col = t.header.index(labels.figure((TLV, "submitted"), lang))
    assert [row[col] for row in t.rows] == [6, 0, 6]  # A, B, the total
    col = t.header.index(labels.figure((TLV, "granted"), lang))
    assert [row[col] for row in t.rows] == ["x", "<5", "x"]


def test_the_pdf_has_the_section_with_its_heading_per_school_and_for_the_partnership():
    school = reports.school_report(readers, PARTNERSHIP, A, PERIOD, AS_OF, exact=True)
    html = pdf.html(school)
    assert "<h2>Toelaatbaarheidsverklaringen</h2>" in html
    assert "TLV so naar bekostigingscategorie: Midden (categorie 2)" in html
    partnership = reports.partnership_report(readers, PARTNERSHIP, PERIOD, AS_OF, lang="en")
    section = pdf._tlv(partnership)
    assert section["title"] == "Admission statements (toelaatbaarheidsverklaringen, TLV)"
    assert [row[0] for row in section["rows"]] == ["De Regenboog", "Het Anker", "Partnership total"]
    assert section["rows"][1][1:4] == ["0", "0", "<5"]  # submitted, without agreement, granted
    assert section["rows"][0][-2] == "45.0"  # the median lead time over A's six decisions


def test_small_numbers_that_pin_each_other_leave_one_figure_out():
    # 4 grants: 1 sbo and 3 so, one in each category. Each reads "<5", but so is at least 3 (its
    # three categories) and the grants at most 4: every one of them would be exactly 1 (and the
    # grants 4). No "x" helps (an "x" is 5 or more): the last category is left out ("–").
    a = Figures(tlv=Counter(submitted=5, granted=4, sbo=1, so=3, low=1, medium=1, high=1))
    grid = suppression.partnership_grid([a], a)
    assert disclosed(grid) == []
    (mask,), _ = suppression.partnership_masks([a], a)
    shown = render(a, View(suppress=True), mask)[TLV]
    assert shown["so_by_category"] == {"low": "<5", "medium": "<5", "high": "–"}
    assert (shown["granted"], shown["granted_by_school_type"]) == ("<5", {"sbo": "<5", "so": "<5"})


def test_four_ones_of_a_total_of_four_leave_one_out_in_any_section():
    grid = suppression.Grid()
    keys = [("t", ("total",))] + [("t", (f"part{i}",)) for i in range(4)]
    for key, value in zip(keys, (4, 1, 1, 1, 1), strict=True):
        grid.add(key, value, suppression.State.SHOWN)
    grid.groups.append(suppression.Group(keys[0], tuple(keys[1:])))
    suppression.protect(grid)
    assert [grid.states[k].value for k in keys] == [
        "primary",
        "primary",
        "primary",
        "primary",
        "withheld",
    ]
    assert disclosed(grid) == []
    assert grid.mask("t") == {
        ("total",): "<5",
        ("part0",): "<5",
        ("part1",): "<5",
        ("part2",): "<5",
        ("part3",): "–",
    }
