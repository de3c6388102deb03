"""The desk's unit page (admin): the commune picked from the 2025 catalogue, its names on
documents, and the public address the result's QR code points to."""

from __future__ import annotations

from typing import Any

import flet as ft

from sync_server.desk.screens.common import (
    ERROR,
    MUTED,
    OK,
    button,
    card,
    page_body,
    set_ref,
    text,
)
from sync_server.desk.state import DeskState

UNIT_FIELDS = [
    ("name", "Tên đơn vị (vd. UBND xã Lai Vung)"),
    ("province", "Tỉnh / thành phố"),
    ("place_name", "Địa danh ghi trên văn bản"),
    ("code", "Mã định danh cơ quan (mã số hồ sơ)"),
    ("registration_office", "Nơi đăng ký (ghi trên kết quả)"),
    ("former_name", "Tên cũ (trước 01/7/2025)"),
    ("current_name", "Tên hiện nay"),
]


@ft.component
def UnitScreen(state: DeskState) -> ft.Control:
    refs: dict[str, Any] = {k: ft.use_ref(None) for k, _ in UNIT_FIELDS}
    lines: Any = ft.use_ref(None)
    unit = state.admin.unit

    async def save() -> None:
        new = dict(unit)
        for k, ref in refs.items():
            if ref.current is not None:
                new[k] = ref.current.strip()
        if lines.current is not None:
            new["agency_lines"] = [x.strip() for x in lines.current.splitlines() if x.strip()]
        await state.save_unit(new)

    fields: list[ft.Control] = [
        ft.TextField(
            label=label,
            value=refs[k].current if refs[k].current is not None else str(unit.get(k) or ""),
            on_change=set_ref(refs[k]),
        )
        for k, label in UNIT_FIELDS
    ]
    fields.append(
        ft.TextField(
            label="Dòng tên cơ quan trên văn bản (mỗi dòng một dòng)",
            value=lines.current
            if lines.current is not None
            else "\n".join(unit.get("agency_lines") or []),
            multiline=True,
            min_lines=2,
            on_change=set_ref(lines),
        )
    )
    pick = _UnitPicker(state)
    return page_body(
        [
            text("Đơn vị (xã / phường)", 24, bold=True),
            *pick,
            _PublicAddress(state),
            card(
                "Sửa tay thông tin đơn vị",
                [*fields, ft.Row([button("Lưu", save, icon=ft.Icons.SAVE)])],
                key=f"unit-{unit.get('code')}-{unit.get('name')}",
            ),
        ],
        max_width=900,
    )


def _UnitPicker(state: DeskState) -> list[ft.Control]:
    """The current unit and the "pick from the official 2025 list" form (``unit-set``)."""
    province: Any = ft.use_ref(None)
    commune: Any = ft.use_ref(None)
    agency: Any = ft.use_ref(None)
    former: Any = ft.use_ref(None)
    unit, errors = state.admin.unit, state.field_errors

    def value(ref: Any, default: str = "") -> str:
        return str(ref.current) if ref.current is not None else default

    async def choose() -> None:
        await state.set_unit_from_names(
            value(province, str(unit.get("province") or "")),
            value(commune),
            value(agency),
            value(former, str(unit.get("former_name") or "")),
        )

    def pick_candidate(name: str) -> Any:
        async def handler() -> None:
            commune.current = name
            await choose()

        return handler

    current = [
        text(f"Tên chính thức: {unit.get('name') or '—'}", 16, bold=True),
        text(f"Xã / phường: {unit.get('commune') or '—'}", 15),
        text(f"Tỉnh / thành phố: {unit.get('province') or '—'}", 15),
        text(f"Mã định danh cơ quan: {unit.get('code') or '—'}", 15),
        text(f"Tên cũ (trước 01/7/2025): {unit.get('former_name') or '—'}", 15),
    ]
    form: list[ft.Control] = [
        ft.TextField(
            label="Tỉnh / thành phố (vd. Đồng Tháp)",
            value=value(province, str(unit.get("province") or "")),
            error=errors.get("province"),
            on_change=set_ref(province),
        ),
        ft.TextField(
            label="Xã, phường hoặc đặc khu (vd. Lai Vung)",
            value=value(commune),
            error=errors.get("commune"),
            on_change=set_ref(commune),
        ),
        ft.TextField(
            label="Mã định danh cơ quan (để trống: mã theo danh mục)",
            value=value(agency),
            on_change=set_ref(agency),
        ),
        ft.TextField(
            label="Tên cũ (trước 01/7/2025, không bắt buộc)",
            value=value(former, str(unit.get("former_name") or "")),
            on_change=set_ref(former),
        ),
    ]
    if state.admin.unit_error:
        form.append(text(state.admin.unit_error, 15, color=ERROR))
    if state.admin.unit_candidates:
        form.append(text("Chọn một tên gần đúng:", 15, color=MUTED))
        form.append(
            ft.Row(
                [
                    button(c, pick_candidate(c), primary=False, busy=state.busy == "admin")
                    for c in state.admin.unit_candidates
                ],
                wrap=True,
            )
        )
    form.append(
        ft.Row(
            [
                button(
                    "Chọn theo danh mục",
                    choose,
                    icon=ft.Icons.SEARCH,
                    busy=state.busy == "admin",
                )
            ]
        )
    )
    return [
        card("Đơn vị hiện tại", current),
        card("Chọn từ danh mục đơn vị hành chính 2025", form),
    ]


def _PublicAddress(state: DeskState) -> ft.Control:
    """The public verify address (``admin public-url``): what the QR code on every result
    opens, and whether results can be issued with it."""
    url: Any = ft.use_ref(None)
    public = state.admin.public
    stored = str(public.get("public_url") or "")

    async def save() -> None:
        await state.save_public_url(str(url.current if url.current is not None else stored))

    if public.get("ready"):
        status = text("Kết quả được ký ban hành với địa chỉ này.", 15, color=OK)
    else:
        why = public.get("why") or "chưa được khai báo"
        status = text(f"Chưa thể ký ban hành kết quả: địa chỉ {why}.", 15, bold=True, color=ERROR)
    return card(
        "Địa chỉ tra cứu kết quả (mã QR)",
        [
            text(
                "Mã QR và đường dẫn in trên mỗi kết quả mở trang tra cứu ở địa chỉ này. "
                "Dùng địa chỉ https mà điện thoại người dân mở được từ bên ngoài văn phòng "
                "(không dùng 127.0.0.1 hay localhost).",
                15,
                color=MUTED,
            ),
            ft.TextField(
                label="Địa chỉ tra cứu công khai (vd. https://motcua.laivung.dongthap.gov.vn)",
                value=url.current if url.current is not None else stored,
                error=state.field_errors.get("public_url"),
                on_change=set_ref(url),
            ),
            status,
            ft.Row(
                [
                    button(
                        "Lưu địa chỉ tra cứu",
                        save,
                        icon=ft.Icons.QR_CODE,
                        busy=state.busy == "admin",
                    )
                ]
            ),
        ],
        key=f"public-{stored}",
    )
