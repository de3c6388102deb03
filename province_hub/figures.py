"""The province's figures: storing the days stations send, and a period's summary.

A station sends counts per procedure and day (``shared.province``); a day sent again
replaces the one stored, in one transaction with the rest of the batch. The summary of a
period is the commune report's figures (``shared.reports.Summary``: same keys, same
rates) for the province, for each commune and for each procedure, built from the database's
sums by ``shared.province.summary_of``; its page, CSV and PDF are the commune report's
renderers with communes where the commune report lists procedures.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from province_hub.db import Conn, transaction
from province_hub.directory import Province, now_utc
from province_hub.store import directory as directory_q
from province_hub.store import figures as q
from shared.documents.report_pdf import render_report
from shared.errors import problem
from shared.hub_messages import DirectoryEntry, FiguresAnswer, FiguresBatch
from shared.province import AT_END, COUNTERS, Turnaround, series_of, summary_of
from shared.reports import Analysis, Summary, csv_file, csv_rows, page_view, parse_period
from shared.workdays import VN_TZ

PROVINCE_NOTE = (
    "Số liệu tổng hợp do các xã, phường gửi lên cổng tỉnh: chỉ có số đếm. Danh sách hồ sơ "
    "quá hạn, lý do và ý kiến của người dân ở lại máy chủ của từng xã."
)


def store(conn: Conn, station: DirectoryEntry, batch: FiguresBatch) -> FiguresAnswer:
    """Replace the days of ``batch`` for ``station``, all or none."""
    seen: set[str] = set()
    for d in batch.days:
        if d.day in seen:
            raise problem(
                "HUB_FIGURES_REFUSED",
                "days",
                day=d.day,
                detail="day sent twice in one batch",
                detail_vi="một ngày gửi hai lần trong một lượt",
            )
        seen.add(d.day)
        try:
            as_of = datetime.fromisoformat(d.as_of)
        except ValueError:
            as_of = None
        if as_of is None or as_of.tzinfo is None:
            raise problem(
                "HUB_FIGURES_REFUSED",
                "as_of",
                day=d.day,
                detail="as_of: ISO with offset",
                detail_vi="as_of cần thời điểm ISO có múi giờ",
            )
        if len({p.procedure for p in d.procedures}) != len(d.procedures):
            raise problem(
                "HUB_FIGURES_REFUSED",
                "procedures",
                day=d.day,
                detail="procedure listed twice",
                detail_vi="một thủ tục có hai dòng",
            )
        if as_of.astimezone(VN_TZ).date() < date.fromisoformat(d.day):
            raise problem(
                "HUB_FIGURES_REFUSED",
                "as_of",
                day=d.day,
                detail="counted before the day began",
                detail_vi="đếm trước khi ngày bắt đầu",
            )
    with transaction(conn):
        q.replace_days(conn, station.unit_code, batch.days, now_utc())
        last = q.last_day(conn, station.unit_code)
    return FiguresAnswer(len(batch.days), None if last is None else last.isoformat())


@dataclass
class ProvinceReport:
    """What the summary endpoint answers (``data``) and what the CSV and PDF are made of."""

    data: dict[str, Any]
    analysis: Analysis  # summary = the province; by_procedure = one entry per commune
    names: dict[str, str]
    province: Province


def _short(agency: str) -> str:
    """ "Ủy ban nhân dân xã Lai Vung" → "Xã Lai Vung": what a table of communes shows."""
    name = agency.removeprefix("Ủy ban nhân dân ").strip()
    return name[:1].upper() + name[1:]


_ZERO = [0] * len(COUNTERS)
_END_AT = [COUNTERS.index(c) for c in AT_END]


def _add(into: dict[str, list[int]], key: str, values: list[int]) -> None:
    have = into.get(key)
    into[key] = list(values) if have is None else [a + b for a, b in zip(have, values, strict=True)]


def summary(
    conns: Sequence[Conn],
    province: Province,
    start: str | None,
    end: str | None,
    commune: str | None = None,
    procedure: str | None = None,
    now: datetime | None = None,
) -> ProvinceReport:
    """The period's figures, per commune, per procedure and for the province (module
    docstring). ``conns``: up to three connections on one snapshot (``db.snapshot``): the
    sums run on the first while the others count the times to return, the charts' days,
    the supplements and what each commune sent. ``commune``: one unit code;
    ``procedure``: one procedure code."""
    period = parse_period(start, end)
    moment = (now or now_utc()).astimezone(VN_TZ)
    main, side, third = (list(conns) * 3)[:3] if len(conns) < 3 else conns[:3]
    stations = {r["unit_code"]: r for r in directory_q.list_stations(main)}
    if commune is not None and commune not in stations:
        raise problem("HUB_STATION_UNKNOWN", "commune", unit=commune)
    a, b = period.start, period.end

    def times() -> list[Any]:
        return q.turnaround(side, a, b, commune, procedure)

    def others() -> tuple[list[Any], list[Any], list[Any]]:
        return (
            q.day_series(third, a, b, commune, procedure),
            q.supplement_dossiers(third, a, b, commune, procedure),
            q.coverage(third, a, b, commune),
        )

    # Side by side on one snapshot (db.snapshot); one after the other on one connection.
    with ThreadPoolExecutor(max_workers=2) as pool:
        later_times = pool.submit(times) if side is not main else None
        later_others = pool.submit(others) if third is not main else None
        sums = q.period_sums(main, a, b, commune, procedure)
        turnaround = times() if later_times is None else later_times.result()
        series_rows, supplements, coverage = (
            others() if later_others is None else later_others.result()
        )
    cover = {u: (n, last, as_of) for u, n, last, as_of in coverage}
    # A commune that has not sent the period's last day: open counts of its last day sent.
    behind = [(u, c[1]) for u, c in cover.items() if c[1] < b]
    late_open = {(r[0], r[1]): r[2:] for r in q.open_at(main, behind, procedure)}

    def as_of_of(unit: str | None) -> datetime:
        known = [c[2] for u, c in cover.items() if unit is None or u == unit]
        return max(known).astimezone(VN_TZ) if known else min(moment, period.end_at)

    # Counters as lists in COUNTERS order while adding up (600 rows: kept cheap).
    by_unit: dict[str, list[int]] = {}
    by_proc: dict[str, list[int]] = {}
    behind_units = {u for u, _ in behind}
    rows = [(r[0], r[1], [int(v or 0) for v in r[2:]]) for r in sums]
    for unit, proc, values in rows:
        if unit in behind_units:
            opened = late_open.pop((unit, proc), None) or (0,) * len(AT_END)
            for i, v in zip(_END_AT, opened, strict=True):
                values[i] = int(v or 0)
    for (unit, proc), opened in late_open.items():  # open then, nothing in the period's rows
        values = list(_ZERO)
        for i, v in zip(_END_AT, opened, strict=True):
            values[i] = int(v or 0)
        rows.append((unit, proc, values))
    whole_values = list(_ZERO)
    for unit, proc, values in rows:
        _add(by_unit, unit, values)
        _add(by_proc, proc, values)
        whole_values = [a + b for a, b in zip(whole_values, values, strict=True)]
    whole = dict(zip(COUNTERS, whole_values, strict=True))
    days = [(r[0], dict(zip(q.SERIES, r[1:], strict=True))) for r in series_rows]

    def level(rows: list[tuple[Any, ...]], key: int) -> tuple[dict[Any, Any], Any]:
        scoped: dict[Any, Any] = {}
        total: Any = None
        for r in rows:
            if r[0] == 0b11:
                total = r
            elif r[0] == key:
                scoped[r[1] if key == 0b01 else r[2]] = r
        return scoped, total

    def turn(r: tuple[Any, ...] | None) -> Turnaround:
        return Turnaround(0, None, None) if r is None else Turnaround(*r[3:6])

    def supp(r: tuple[Any, ...] | None) -> int:
        return 0 if r is None else int(r[3] or 0)

    t_unit, t_whole = level(turnaround, 0b01)
    t_proc, _ = level(turnaround, 0b10)
    s_unit, s_whole = level(supplements, 0b01)
    s_proc, _ = level(supplements, 0b10)

    units = [commune] if commune is not None else sorted(stations)
    by_commune: dict[str, Summary] = {
        u: summary_of(
            dict(zip(COUNTERS, by_unit.get(u, _ZERO), strict=True)),
            period,
            procedure,
            as_of_of(u),
            turn(t_unit.get(u)),
            supp(s_unit.get(u)),
        )
        for u in units
    }
    by_procedure: dict[str, Summary] = {
        code: summary_of(
            dict(zip(COUNTERS, values, strict=True)),
            period,
            code,
            as_of_of(commune),
            turn(t_proc.get(code)),
            supp(s_proc.get(code)),
        )
        for code, values in sorted(by_proc.items())
    }
    # As the commune report (shared.reports.assemble): a procedure with nothing received
    # and no rating in the period is left out.
    by_procedure = {
        code: s
        for code, s in by_procedure.items()
        if s.received["total"] or s.satisfaction["total"]
    }
    total = summary_of(whole, period, procedure, as_of_of(commune), turn(t_whole), supp(s_whole))
    series = series_of(period, sorted(days))
    names = {u: _short(str(stations[u]["name"])) for u in units}
    scope_name = province.name if commune is None else names[commune]
    page = page_view(total, by_commune, series, names, scope_name, free_text=False)
    page.update(
        {
            "title": "BÁO CÁO TỔNG HỢP TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
            "rows_heading": "II. THEO XÃ, PHƯỜNG",
            "rows_label": "Xã, phường",
            "overdue_note": PROVINCE_NOTE,
            "footer": f"Cổng tổng hợp {province.name} · số liệu do các xã, phường gửi",
        }
    )
    data = {
        "province": {"code": province.code, "name": province.name},
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "commune": commune,
        "procedure": procedure,
        "generated_at": moment.isoformat(timespec="seconds"),
        "summary": total.to_dict(),
        "by_commune": {u: s.to_dict() for u, s in by_commune.items()},
        "by_procedure": {c: s.to_dict() for c, s in by_procedure.items()},
        "communes": {
            u: {
                "name": names[u],
                "days_sent": cover[u][0] if u in cover else 0,
                "days_in_period": (period.end - period.start).days + 1,
                "last_day": cover[u][1].isoformat() if u in cover else None,
                "as_of": cover[u][2].astimezone(VN_TZ).isoformat(timespec="seconds")
                if u in cover
                else None,
            }
            for u in units
        },
        "series": series.to_dict(),
        "page": page,
        "free_text": False,
    }
    return ProvinceReport(data, Analysis(total, by_commune, series), names, province)


def report_csv(report: ProvinceReport) -> bytes:
    page = report.data["page"]
    rows = csv_rows(report.analysis.summary, report.analysis.by_procedure, report.names)
    rows[0][0] = "Phạm vi (tỉnh / xã, phường)"
    return csv_file(
        [
            ["Báo cáo", page["title"]],
            ["Tỉnh", report.province.name],
            ["Kỳ báo cáo", page["period"]],
            ["Phạm vi", page["scope"]],
            ["Ghi chú", PROVINCE_NOTE],
            [],
            *rows,
        ]
    )


def report_pdf(report: ProvinceReport) -> bytes:
    name = report.province.name
    return render_report(
        report.data["page"],
        agency_lines=("ỦY BAN NHÂN DÂN", name.upper()),
        place_name=name.removeprefix("Tỉnh ").removeprefix("Thành phố "),
        generated_at=datetime.fromisoformat(report.data["generated_at"]),
        checkpoint=None,
    )
