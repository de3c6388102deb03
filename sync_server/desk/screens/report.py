"""The report page for leaders and admins: period picker, figures, charts, overdue list.

Everything shown comes from the report JSON's ``page`` section (``shared.reports.
page_view``: labels in Vietnamese, numbers already formatted), the same data the CSV and
PDF exports print, so the three cannot disagree. Charts are ``flet_charts`` controls (the
bundled web client renders them), each inside a labelled semantics node that names what
it shows, so a screen reader (and the browser test) can find it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import flet as ft
import flet_charts as fch

from shared.reports import FREE_TEXT_NOTE
from sync_server.desk import report as rv
from sync_server.desk.screens.common import (
    BORDER,
    ERROR,
    MUTED,
    PRIMARY,
    SURFACE,
    button,
    card,
    named,
    page_body,
    text,
)
from sync_server.desk.state import DeskState

ALL = "__all__"
EARLY, ON_TIME, LATE = "#1E6B35", "#0B4F8A", "#B3261E"
VERY, SATISFIED, UNSATISFIED = "#1E6B35", "#7CB342", "#B3261E"
LINE = "#7A3E9D"
CHART_HEIGHT = 240


def _set(ref: Any) -> Any:
    def handler(e: ft.Event[Any]) -> None:
        ref.current = e.control.value or ""

    return handler


def _picker(state: DeskState, start: Any, end: Any) -> ft.Control:
    choice = state.reports.choice
    busy = state.busy == "report"

    def pick(kind: str) -> Any:
        async def handler() -> None:
            nxt = choice.with_kind(kind)
            if kind == "custom":
                start.current, end.current = nxt.start, nxt.end
                state.reports.choice = nxt  # wait for the days to be typed
                return
            await state.load_report(nxt)

        return handler

    def shift(steps: int) -> Any:
        async def handler() -> None:
            await state.load_report(choice.shifted(steps))

        return handler

    async def custom() -> None:
        await state.load_report(
            rv.Choice(
                kind="custom",
                start=start.current or "",
                end=end.current or "",
                procedure=choice.procedure,
            )
        )

    async def procedure(e: ft.Event[Any]) -> None:
        value = e.control.value
        code = None if value in (None, "", ALL) else str(value)
        await state.load_report(replace(choice, procedure=code))

    kinds = ft.Row(
        [
            (ft.FilledButton if key == choice.kind else ft.OutlinedButton)(
                content=ft.Text(label, size=16),
                on_click=pick(key),
                tooltip=f"Kỳ báo cáo: {label}",
                height=46,
                style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=22)),
            )
            for key, label in rv.KINDS
        ],
        wrap=True,
        spacing=8,
    )
    rows: list[ft.Control] = [kinds]
    if state.reports.province_linked:  # registered with a provincial hub (docs/province.md)

        def scope(key: str) -> Any:
            async def handler() -> None:
                await state.load_report(replace(choice, scope=key))

            return handler

        rows.insert(
            0,
            ft.Row(
                [
                    (ft.FilledButton if key == choice.scope else ft.OutlinedButton)(
                        content=ft.Text(label, size=16),
                        on_click=scope(key),
                        tooltip=f"Phạm vi: {label}",
                        height=46,
                        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=22)),
                    )
                    for key, label in rv.SCOPES
                ],
                spacing=8,
            ),
        )
    if choice.kind == "custom":
        errors = state.field_errors
        rows.append(
            ft.Row(
                [
                    ft.TextField(
                        label="Từ ngày (năm-tháng-ngày)",
                        value=start.current or "",
                        on_change=_set(start),
                        error=errors.get("from"),
                        width=250,
                    ),
                    ft.TextField(
                        label="Đến ngày (năm-tháng-ngày)",
                        value=end.current or "",
                        on_change=_set(end),
                        error=errors.get("to"),
                        width=250,
                    ),
                    button("Xem báo cáo", custom, icon=ft.Icons.SEARCH, busy=busy),
                ],
                wrap=True,
                spacing=10,
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        )
    nav: list[ft.Control] = []
    if choice.kind != "custom":
        nav = [
            button("Kỳ trước", shift(-1), icon=ft.Icons.CHEVRON_LEFT, primary=False, busy=busy),
            button("Kỳ sau", shift(1), icon=ft.Icons.CHEVRON_RIGHT, primary=False, busy=busy),
        ]
    rows.append(
        ft.Row(
            [
                *nav,
                ft.Dropdown(
                    label="Thủ tục",
                    value=choice.procedure or ALL,
                    options=[
                        ft.DropdownOption(key=ALL, text="Tất cả thủ tục"),
                        *[
                            ft.DropdownOption(key=c, text=f"{c} – {n}")
                            for c, n in state.procedures()
                        ],
                    ],
                    on_select=procedure,
                    width=520,
                    **named("Lọc báo cáo theo thủ tục"),
                ),
            ],
            wrap=True,
            spacing=10,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    )
    return ft.Column(rows, spacing=10)


def _tiles(page: dict[str, Any]) -> ft.Control:
    return ft.Row(
        [
            ft.Container(
                content=ft.Column(
                    [
                        text(t["value"], 30, bold=True, color=PRIMARY),
                        text(t["label"], 15, color=MUTED),
                    ],
                    spacing=2,
                ),
                bgcolor=SURFACE,
                border=ft.Border.all(1, BORDER),
                border_radius=10,
                padding=ft.Padding.symmetric(horizontal=16, vertical=12),
                expand=True,
            )
            for t in page.get("tiles") or []
        ],
        spacing=10,
    )


def _legend(items: list[tuple[str, str]]) -> ft.Control:
    return ft.Row(
        [
            ft.Row(
                [
                    ft.Container(width=16, height=16, bgcolor=color, border_radius=3),
                    text(label, 14),
                ],
                spacing=6,
                tight=True,
            )
            for label, color in items
        ],
        spacing=18,
        wrap=True,
    )


def _bottom_axis(labels: list[str]) -> fch.ChartAxis:
    step = rv.every(len(labels))
    return fch.ChartAxis(
        labels=[
            fch.ChartAxisLabel(value=i, label=ft.Text(label, size=12, color=MUTED))
            for i, label in enumerate(labels)
            if i % step == 0
        ],
        label_size=28,
    )


def _stacked(
    buckets: list[dict[str, Any]], parts: list[tuple[str, str, str]], name: str
) -> fch.BarChart:
    """Stacked bars, one per bucket; ``parts`` = (key, label, colour) bottom-up."""
    groups = []
    top = 0.0
    width = max(6, min(28, 600 // max(1, len(buckets))))
    for i, b in enumerate(buckets):
        y, stack = 0.0, []
        for key, _label, color in parts:
            n = float(b.get(key) or 0)
            if n:
                stack.append(fch.BarChartRodStackItem(from_y=y, to_y=y + n, color=color))
            y += n
        top = max(top, y)
        tip = f"{b['label']}: " + ", ".join(f"{label} {b.get(key) or 0}" for key, label, _ in parts)
        groups.append(
            fch.BarChartGroup(
                x=i,
                rods=[
                    fch.BarChartRod(
                        from_y=0,
                        to_y=y,
                        width=width,
                        color="#00000000" if not y else parts[0][2],
                        stack_items=stack,
                        border_radius=2,
                        tooltip=tip,
                    )
                ],
            )
        )
    return fch.BarChart(
        groups=groups,
        max_y=rv.nice_max(top, floor=4),
        min_y=0,
        left_axis=fch.ChartAxis(label_size=40),
        bottom_axis=_bottom_axis([b["label"] for b in buckets]),
        horizontal_grid_lines=fch.ChartGridLines(color="#DDE3EA", width=1),
        height=CHART_HEIGHT,
        expand=True,
        animation=ft.Animation(0),
    )


def _trend(weeks: list[dict[str, Any]]) -> fch.LineChart:
    points = [
        fch.LineChartDataPoint(x=i, y=w["rate"], tooltip=f"{w['label']}: {w['rate']:.1f} %")
        for i, w in enumerate(weeks)
        if w.get("rate") is not None
    ]
    return fch.LineChart(
        data_series=[
            fch.LineChartData(
                points=points,
                color=LINE,
                stroke_width=3,
                point=fch.ChartCirclePoint(color=LINE, radius=4),
            )
        ],
        min_y=0,
        max_y=100,
        min_x=0,
        max_x=max(1, len(weeks) - 1),
        left_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=v, label=ft.Text(f"{v} %", size=12, color=MUTED))
                for v in (0, 25, 50, 75, 100)
            ],
            label_size=48,
            label_spacing=25,
        ),
        bottom_axis=_bottom_axis([w["label"] for w in weeks]),
        horizontal_grid_lines=fch.ChartGridLines(color="#DDE3EA", width=1, interval=25),
        height=CHART_HEIGHT,
        expand=True,
        animation=ft.Animation(0),
    )


def _chart(title: str, name: str, chart: ft.Control, legend: ft.Control | None) -> ft.Control:
    """A chart in a card, inside a semantics node whose label says what it shows."""
    # Right padding: the last label under the chart is centred on the last bucket.
    body: list[ft.Control] = [ft.Container(ft.Row([chart]), padding=ft.Padding.only(right=18))]
    if legend is not None:
        body.append(legend)
    return ft.Semantics(
        label=name,
        container=True,
        content=card(title, body),
    )


def _charts(page: dict[str, Any]) -> list[ft.Control]:
    charts = page.get("charts") or {}
    weeks = charts.get("timeliness_by_week") or []
    months = charts.get("satisfaction_by_month") or []
    same = charts.get("same_day_by_week") or []
    timely = [("early", "Trước hạn", EARLY), ("on_time", "Đúng hạn", ON_TIME)]
    timely.append(("late", "Quá hạn", LATE))
    levels = [
        ("very_satisfied", "Rất hài lòng", VERY),
        ("satisfied", "Hài lòng", SATISFIED),
        ("unsatisfied", "Không hài lòng", UNSATISFIED),
    ]
    return [
        _chart(
            "Kết quả giải quyết theo tuần",
            "Biểu đồ: trước hạn, đúng hạn, quá hạn theo tuần",
            _stacked(weeks, timely, "timeliness"),
            _legend([(label, color) for _, label, color in timely]),
        ),
        ft.Row(
            [
                ft.Container(
                    _chart(
                        "Mức độ hài lòng theo tháng",
                        "Biểu đồ: mức độ hài lòng theo tháng",
                        _stacked(months, levels, "satisfaction"),
                        _legend([(label, color) for _, label, color in levels]),
                    ),
                    expand=True,
                ),
                ft.Container(
                    _chart(
                        "Tỷ lệ nhận và trả trong ngày theo tuần",
                        "Biểu đồ: xu hướng tỷ lệ nhận và trả trong ngày",
                        _trend(same),
                        _legend([("Tỷ lệ trong ngày (%)", LINE)]),
                    ),
                    expand=True,
                ),
            ],
            spacing=14,
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
    ]


def _figures(page: dict[str, Any]) -> ft.Control:
    """The national form's figures, two groups a row."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in page.get("table") or []:
        groups.setdefault(r["group"], []).append((r["label"], r["value"]))
    boxes: list[ft.Control] = [
        ft.Container(
            content=ft.Column(
                [
                    text(g, 16, bold=True, color=PRIMARY),
                    *[
                        ft.Row(
                            [text(label, 15, color="#333"), text(value, 15, bold=True)],
                            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                        )
                        for label, value in rows
                    ],
                ],
                spacing=4,
            ),
            col={"xs": 12, "md": 6, "lg": 4},
            padding=ft.Padding.all(10),
            border=ft.Border.all(1, BORDER),
            border_radius=8,
        )
        for g, rows in groups.items()
    ]
    return card("Số liệu theo biểu mẫu báo cáo", [ft.ResponsiveRow(boxes, spacing=10)])


def _cell(value: Any, *, bold: bool = False) -> ft.DataCell:
    return ft.DataCell(text(str(value), 15, bold=bold))


def _procedures(page: dict[str, Any]) -> ft.Control:
    # The provincial summary lists communes here (its page says so: province_hub).
    title = "Theo xã, phường" if page.get("rows_label") else "Theo từng thủ tục"
    heads = [
        page.get("rows_label") or "Thủ tục",
        "Tiếp nhận",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Từ chối",
        "Đang giải quyết",
        "Đang quá hạn",
        "Trong ngày",
        "Hài lòng",
    ]
    rows = [
        ft.DataRow(
            cells=[
                ft.DataCell(
                    ft.Column(
                        [text(p["code"], 14, color=MUTED), text(p["name"], 15, bold=True)],
                        spacing=0,
                        tight=True,
                    )
                ),
                _cell(p["received"]),
                _cell(p["early"]),
                _cell(p["on_time"]),
                _cell(p["late"]),
                _cell(p["refused"]),
                _cell(p["in_progress"]),
                _cell(p["overdue"]),
                _cell(p["same_day_rate"]),
                _cell(p["satisfaction_rate"]),
            ]
        )
        for p in page.get("procedures") or []
    ]
    if not rows:
        return card(title, [text("Không có hồ sơ trong kỳ.", 15, color=MUTED)])
    table = ft.DataTable(
        columns=[
            ft.DataColumn(label=ft.Text(h, size=14, weight=ft.FontWeight.BOLD)) for h in heads
        ],
        rows=rows,
        column_spacing=18,
        data_row_min_height=56,
        data_row_max_height=72,
    )
    return card(title, [ft.Row([table], scroll=ft.ScrollMode.AUTO)])


def _overdue(page: dict[str, Any]) -> ft.Control:
    from sync_server.desk.views import when

    items = page.get("overdue") or []
    if page.get("overdue_note"):  # the province: the list stays at each commune's station
        return card("Hồ sơ đang quá hạn", [text(page["overdue_note"], 15, color=MUTED)])
    rows: list[ft.Control] = [
        ft.Container(
            content=ft.Row(
                [
                    ft.Column(
                        [
                            text(o["code"], 16, bold=True, color=PRIMARY),
                            text(o.get("procedure_name") or o["procedure"], 14, color=MUTED),
                        ],
                        spacing=2,
                        expand=3,
                    ),
                    ft.Column([text(f"Nhận: {when(o['received_at'])}", 15)], spacing=2, expand=2),
                    ft.Column([text(f"Hạn: {when(o['due_at'])}", 15)], spacing=2, expand=2),
                    text(
                        f"Quá {str(o['working_hours_overdue']).replace('.', ',')} giờ làm việc",
                        15,
                        bold=True,
                        color=ERROR,
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            bgcolor="#FDE2E0",
            border=ft.Border.all(1, BORDER),
            border_radius=8,
            padding=ft.Padding.symmetric(horizontal=14, vertical=10),
            key=o["code"],
        )
        for o in items
    ]
    return card(
        f"Hồ sơ đang quá hạn ({len(items)})",
        rows or [text("Không có hồ sơ quá hạn.", 15, color=MUTED)],
    )


def _reasons(page: dict[str, Any]) -> ft.Control | None:
    if page.get("overdue_note"):  # the province: said once, with the overdue list
        return None
    if not page.get("free_text", True):  # figures without personal data (the admin)
        return card("Lý do và ý kiến", [text(FREE_TEXT_NOTE, 15, color=MUTED)])
    parts: list[ft.Control] = []
    for title, key in (
        ("Lý do bổ sung", "supplement_reasons"),
        ("Lý do từ chối", "refusal_reasons"),
    ):
        items = page.get(key) or []
        if items:
            parts.append(text(title, 16, bold=True))
            parts += [text(f"• {r['reason']}: {r['count']}", 15) for r in items]
    comments = page.get("comments") or []
    if comments:
        parts.append(text("Ý kiến của người dân", 16, bold=True))
        parts += [
            text(f"• {c['code']} ({c['level_label']}): {c['comment']}", 15) for c in comments[:50]
        ]
    return card("Lý do và ý kiến", parts) if parts else None


@ft.component
def ReportScreen(state: DeskState) -> ft.Control:
    start: Any = ft.use_ref(None)
    end: Any = ft.use_ref(None)
    data = state.reports.report
    page: dict[str, Any] = data.get("page") or {}
    links = state.reports.links

    async def reload() -> None:
        await state.load_report(state.reports.choice)

    header = ft.Row(
        [
            ft.Column(
                [
                    text(
                        "Báo cáo tổng hợp toàn tỉnh"
                        if page.get("rows_label")
                        else "Báo cáo kết quả giải quyết thủ tục hành chính",
                        24,
                        bold=True,
                    ),
                    text(
                        f"{page.get('period', '')} · {page.get('scope', '')}"
                        if page
                        else "Đang tính số liệu…",
                        17,
                        color=MUTED,
                    ),
                ],
                spacing=2,
                expand=True,
            ),
            button(
                "Tải CSV",
                None,
                icon=ft.Icons.TABLE_VIEW,
                primary=False,
                url=links.get("csv"),
                tooltip="Tải báo cáo dạng CSV (mở bằng Excel)",
            ),
            button(
                "Tải PDF",
                None,
                icon=ft.Icons.PICTURE_AS_PDF,
                url=links.get("pdf"),
                tooltip="Tải báo cáo dạng PDF",
            ),
            ft.IconButton(ft.Icons.REFRESH, on_click=reload, tooltip="Tính lại", icon_size=28),
        ],
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=10,
    )
    body: list[ft.Control | None] = [
        header,
        card("Kỳ báo cáo", [_picker(state, start, end)]),
    ]
    if page:
        body += [
            _tiles(page),
            *_charts(page),
            _procedures(page),
            _overdue(page),
            _figures(page),
            _reasons(page),
        ]
    elif state.busy == "report":
        body.append(ft.ProgressRing())
    return page_body(body, max_width=1300)
