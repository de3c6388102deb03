"""Admin pages: staff, tablets (enrolment QR), the commune, the calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import flet as ft

from shared.day_text import day_text
from shared.policy import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from shared.workdays import VN_TZ
from shared.workflow import ROLE_LABEL_VI, Role
from sync_server.desk import views
from sync_server.desk.screens.common import (
    BORDER,
    ERROR,
    MUTED,
    OK,
    SURFACE,
    button,
    card,
    modal,
    named,
    page_body,
    text,
    with_modal,
)
from sync_server.desk.state import DeskState

ROLE_OPTIONS = [ft.DropdownOption(key=r.value, text=ROLE_LABEL_VI[r]) for r in Role]


def _locked(row: dict[str, Any]) -> bool:
    until = row.get("locked_until")
    if not until:
        return False
    try:
        return datetime.fromisoformat(until) > datetime.now(VN_TZ)
    except ValueError:
        return False


def _set(ref: Any) -> Any:
    def handler(e: ft.Event[Any]) -> None:
        ref.current = e.control.value or ""

    return handler


@ft.component
def PinDialog(state: DeskState, username: str, close: Any) -> ft.Control:
    pin = ft.use_ref("")

    async def save() -> None:
        if await state.reset_pin(username, pin.current or ""):
            close()

    return modal(
        f"Đặt lại mã PIN cho {username}",
        [
            ft.TextField(
                label=f"Mã PIN mới ({PIN_MIN_DIGITS}–{PIN_MAX_DIGITS} chữ số)",
                max_length=PIN_MAX_DIGITS,
                value=pin.current or "",
                on_change=_set(pin),
                password=True,
                can_reveal_password=True,
                autofocus=True,
            ),
            text(state.banner if not state.banner_ok else "", 15, color=ERROR),
        ],
        [
            ft.TextButton(content=ft.Text("Huỷ"), on_click=lambda: close(), tooltip="Huỷ"),
            button("Lưu mã PIN", save, icon=ft.Icons.SAVE),
        ],
        width=460,
    )


@ft.component
def StaffScreen(state: DeskState) -> ft.Control:
    username, full_name, title, pin = ft.use_ref(""), ft.use_ref(""), ft.use_ref(""), ft.use_ref("")
    role, set_role = ft.use_state("intake")
    pin_for, set_pin_for = ft.use_state("")
    form_key, set_form_key = ft.use_state(0)
    errors = state.field_errors

    async def add() -> None:
        ok = await state.add_staff(
            username.current or "",
            full_name.current or "",
            title.current or "",
            role,
            pin.current or "",
        )
        if ok:
            for r in (username, full_name, title, pin):
                r.current = ""
            set_form_key(form_key + 1)  # fresh, empty fields

    rows: list[ft.Control] = []
    for s in state.staff:
        name = s["username"]
        locked = _locked(s)
        status = (
            "Đã vô hiệu hoá"
            if not s["active"]
            else f"Đang bị khoá đến {views.when(s['locked_until'])}"
            if locked
            else "Đang hoạt động"
        )

        async def toggle(_: Any, n: str = name, active: bool = bool(s["active"])) -> None:
            await state.set_active(n, not active)

        async def unlock(_: Any, n: str = name) -> None:
            await state.unlock_staff(n)

        async def change_role(e: ft.Event[ft.Dropdown], n: str = name) -> None:
            await state.set_role(n, str(e.control.value))

        acts: list[ft.Control] = [
            ft.Dropdown(
                value=s["role"],
                options=ROLE_OPTIONS,
                on_select=change_role,
                width=270,
                label="Vai trò",
                dense=True,
                **named(f"Vai trò của {name}"),
            ),
            button(
                "Đặt lại PIN",
                lambda _, n=name: set_pin_for(n),
                primary=False,
                tooltip=f"Đặt lại PIN {name}",
            ),
            button(
                "Mở lại" if not s["active"] else "Vô hiệu hoá",
                toggle,
                primary=False,
                tooltip=f"{'Mở lại' if not s['active'] else 'Vô hiệu hoá'} {name}",
            ),
        ]
        if locked:
            acts.append(
                button("Mở khoá", unlock, icon=ft.Icons.LOCK_OPEN, tooltip=f"Mở khoá {name}")
            )
        rows.append(
            ft.Container(
                content=ft.Row(
                    [
                        ft.Column(
                            [
                                text(f"{s['full_name']} ({name})", 16, bold=True),
                                text(s.get("title") or "", 14, color=MUTED),
                            ],
                            spacing=2,
                            expand=2,
                        ),
                        ft.Column(
                            [text(status, 15, color=ERROR if locked or not s["active"] else OK)],
                            expand=2,
                        ),
                        ft.Row(acts, spacing=8, wrap=True, expand=4),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                bgcolor=SURFACE,
                border=ft.Border.all(1, BORDER),
                border_radius=8,
                padding=ft.Padding.all(12),
                key=f"staff-{name}",
            )
        )
    form = card(
        "Thêm cán bộ",
        [
            ft.Row(
                [
                    ft.TextField(
                        label="Tên đăng nhập mới",
                        value=username.current or "",
                        on_change=_set(username),
                        error=errors.get("username"),
                        expand=1,
                    ),
                    ft.TextField(
                        label="Họ và tên",
                        value=full_name.current or "",
                        on_change=_set(full_name),
                        expand=2,
                    ),
                ]
            ),
            ft.Row(
                [
                    ft.TextField(
                        label="Chức danh",
                        value=title.current or "",
                        on_change=_set(title),
                        expand=2,
                    ),
                    ft.Dropdown(
                        label="Vai trò",
                        value=role,
                        options=ROLE_OPTIONS,
                        on_select=lambda e: set_role(str(e.control.value)),
                        expand=1,
                        **named("Vai trò của cán bộ mới"),
                    ),
                    ft.TextField(
                        label="Mã PIN ban đầu",
                        value=pin.current or "",
                        on_change=_set(pin),
                        password=True,
                        error=errors.get("pin"),
                        expand=1,
                    ),
                ]
            ),
            ft.Row(
                [button("Thêm cán bộ", add, icon=ft.Icons.PERSON_ADD, busy=state.busy == "admin")]
            ),
        ],
        key=f"add-{form_key}",
    )
    dialog = (
        PinDialog(state, pin_for, lambda: set_pin_for(""), key=f"pin-{pin_for}")  # type: ignore[call-arg]
        if pin_for
        else None
    )
    return with_modal(page_body([text("Cán bộ", 24, bold=True), *rows, form]), dialog)


def _loose_ends(d: dict[str, Any]) -> str:
    """One line: what the station knows is not settled with this tablet."""
    return (
        f"Hồ sơ chưa vào được văn phòng: {d.get('not_landed', 0)} · "
        f"chờ bổ sung: {d.get('supplement', 0)}"
    )


def _held_alarm(alarm: dict[str, Any]) -> str:
    """The station's side of STATION_LOST_CHANGES (services/sync/holdings.py)."""
    return (
        f"CẢNH BÁO ({views.when(alarm.get('at'))}): máy báo văn phòng không còn giữ "
        f"{alarm.get('count')} lần gửi đã xác nhận (từ số {alarm.get('first')}). Dữ liệu có "
        "thể đã bị xoá: chạy audit-verify và báo lãnh đạo."
    )


def _revoke_note(d: dict[str, Any]) -> str:
    """What the office must re-take once this tablet is wiped (what the station knows)."""
    told = ""
    if d.get("pending_reported") is not None:
        told = (
            f"Lần liên lạc cuối ({views.when(d.get('pending_reported_at'))}) máy báo còn "
            f"{d['pending_reported']} hồ sơ chưa gửi lên văn phòng. "
        )
    return (
        told + f"Lần gửi dữ liệu cuối: {views.when(d.get('last_contact_at'))}. "
        f"{d.get('not_landed', 0)} hồ sơ máy đã gửi nhưng chưa vào được văn phòng "
        f"(bị từ chối hoặc xung đột) và {d.get('supplement', 0)} hồ sơ nhận trên máy đang "
        "chờ bổ sung: cần tiếp nhận lại trên máy khác. Hồ sơ nhận trên máy sau lần gửi "
        "cuối thì văn phòng không biết — hỏi cán bộ giữ máy."
    )


@ft.component
def TabletsScreen(state: DeskState) -> ft.Control:
    confirm, set_confirm = ft.use_state("")

    async def new_code() -> None:
        await state.new_enroll_code()

    async def revoke() -> None:
        device = confirm
        set_confirm("")
        await state.revoke(device)

    t = state.ticket
    enrol: list[ft.Control] = [
        text(
            "Tạo mã đăng ký dùng một lần cho máy tính bảng mới. Trên máy mới, nhập địa chỉ "
            "máy chủ và mã dưới đây (hoặc quét mã QR).",
            15,
            color=MUTED,
        ),
        ft.Row(
            [
                button(
                    "Tạo mã đăng ký", new_code, icon=ft.Icons.QR_CODE_2, busy=state.busy == "admin"
                )
            ]
        ),
    ]
    if t is not None:
        expires = t.expires_at.astimezone(VN_TZ)
        enrol.append(
            ft.Row(
                [
                    ft.Image(src=t.qr_png, width=220, height=220, semantics_label="Mã QR đăng ký"),
                    ft.Column(
                        [
                            text("Mã đăng ký:", 16, color=MUTED),
                            ft.Text(
                                t.code,
                                size=24,
                                weight=ft.FontWeight.BOLD,
                                font_family="monospace",
                            ),
                            text(
                                f"Hết hạn lúc {expires:%H:%M} ngày {expires:%d/%m/%Y} "
                                "(dùng một lần).",
                                16,
                            ),
                            text(f"Địa chỉ máy chủ: {state.station_url}", 15, color=MUTED),
                        ],
                        spacing=6,
                    ),
                ],
                spacing=24,
            )
        )
    rows: list[ft.Control] = []
    for d in state.devices:
        revoked = bool(d.get("revoked_at"))
        rows.append(
            ft.Container(
                content=ft.Row(
                    [
                        ft.Column(
                            [
                                text(f"{d['name']} (số {d['slot']:02d})", 16, bold=True),
                                text(d["id"], 12, color=MUTED),
                            ],
                            spacing=2,
                            expand=3,
                        ),
                        ft.Column(
                            [
                                text(f"Đăng ký: {views.when(d.get('enrolled_at'))}", 14),
                                text(
                                    f"Gửi dữ liệu gần nhất: {views.when(d.get('last_contact_at'))}",
                                    14,
                                ),
                                text(
                                    _loose_ends(d),
                                    14,
                                    color=ERROR
                                    if d.get("not_landed") or d.get("supplement")
                                    else MUTED,
                                ),
                                *(
                                    [text(_held_alarm(d["held_alarm"]), 14, bold=True, color=ERROR)]
                                    if d.get("held_alarm")
                                    else []
                                ),
                            ],
                            spacing=2,
                            expand=3,
                        ),
                        text(
                            "Đã thu hồi" if revoked else "Đang dùng",
                            15,
                            color=ERROR if revoked else OK,
                        ),
                        button(
                            "Thu hồi",
                            lambda _, i=d["id"]: set_confirm(i),
                            primary=False,
                            tooltip=f"Thu hồi {d['name']}",
                        )
                        if not revoked
                        else ft.Container(),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                bgcolor=SURFACE,
                border=ft.Border.all(1, BORDER),
                border_radius=8,
                padding=ft.Padding.all(12),
                key=f"dev-{d['id']}",
            )
        )
    ask = (
        modal(
            "Thu hồi máy tính bảng?",
            [
                text(
                    "Máy sẽ không đồng bộ được nữa và tự xoá dữ liệu khi kết nối lại. "
                    "Hồ sơ đã gửi lên văn phòng vẫn còn.",
                    16,
                ),
                *(
                    [text(_revoke_note(target), 16, bold=True)]
                    if (target := next((d for d in state.devices if d["id"] == confirm), None))
                    else []
                ),
            ],
            [
                ft.TextButton(
                    content=ft.Text("Huỷ"), on_click=lambda: set_confirm(""), tooltip="Huỷ"
                ),
                button("Thu hồi máy", revoke, color=ERROR),
            ],
            width=520,
        )
        if confirm
        else None
    )
    return with_modal(
        page_body(
            [
                text("Máy tính bảng", 24, bold=True),
                card("Đăng ký máy mới", enrol),
                card("Các máy đã đăng ký", rows or [text("Chưa có máy nào.", 15, color=MUTED)]),
            ]
        ),
        ask,
    )


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
    unit = state.unit

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
            on_change=_set(refs[k]),
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
            on_change=_set(lines),
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
    unit, errors = state.unit, state.field_errors

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
            on_change=_set(province),
        ),
        ft.TextField(
            label="Xã, phường hoặc đặc khu (vd. Lai Vung)",
            value=value(commune),
            error=errors.get("commune"),
            on_change=_set(commune),
        ),
        ft.TextField(
            label="Mã định danh cơ quan (để trống: mã theo danh mục)",
            value=value(agency),
            on_change=_set(agency),
        ),
        ft.TextField(
            label="Tên cũ (trước 01/7/2025, không bắt buộc)",
            value=value(former, str(unit.get("former_name") or "")),
            on_change=_set(former),
        ),
    ]
    if state.unit_error:
        form.append(text(state.unit_error, 15, color=ERROR))
    if state.unit_candidates:
        form.append(text("Chọn một tên gần đúng:", 15, color=MUTED))
        form.append(
            ft.Row(
                [
                    button(c, pick_candidate(c), primary=False, busy=state.busy == "admin")
                    for c in state.unit_candidates
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
    public = state.public
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
                on_change=_set(url),
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


KIND_LABEL = {"off": "Ngày nghỉ", "work": "Ngày làm bù"}


@ft.component
def CalendarScreen(state: DeskState) -> ft.Control:
    day: Any = ft.use_ref(None)
    note: Any = ft.use_ref(None)
    cal, errors = state.calendar, state.field_errors

    def change(kind: str) -> Any:
        async def handler() -> None:
            if await state.calendar_change(kind, day.current or "", note.current or ""):
                day.current = note.current = None

        return handler

    rows: list[ft.Control] = [
        ft.Row(
            [
                text(day_text(e["day"]), 16, bold=True),
                text(
                    KIND_LABEL.get(e["kind"], e["kind"]),
                    15,
                    color=ERROR if e["kind"] == "off" else OK,
                ),
                text(e.get("note") or "", 15),
                text(f"({e.get('set_by') or '—'})", 14, color=MUTED),
            ],
            wrap=True,
            spacing=16,
        )
        for e in cal.get("entries") or []
    ]
    busy = state.busy == "admin"
    form: list[ft.Control] = [
        ft.TextField(
            label="Ngày (năm-tháng-ngày, vd. 2026-01-02)",
            value=day.current or "",
            error=errors.get("day"),
            on_change=_set(day),
        ),
        ft.TextField(
            label="Ghi chú (không bắt buộc, vd. số quyết định)",
            value=note.current or "",
            on_change=_set(note),
        ),
        ft.Row(
            [
                button("Đặt ngày nghỉ", change("off"), icon=ft.Icons.EVENT_BUSY, busy=busy),
                button("Đặt ngày làm bù", change("work"), icon=ft.Icons.EVENT_AVAILABLE, busy=busy),
                button("Bỏ (theo lịch chung)", change("clear"), primary=False, busy=busy),
            ],
            wrap=True,
        ),
    ]
    return page_body(
        [
            text("Lịch ngày nghỉ", 24, bold=True),
            text(
                "Ngày nghỉ và ngày làm bù của địa phương, ngoài lịch nghỉ lễ chung; "
                "thời hạn giải quyết và các máy tính bảng dùng lịch này.",
                15,
                color=MUTED,
            ),
            card("Thêm / bỏ một ngày", form),
            card("Các ngày đã đặt", rows or [text("Chưa có ngày nào.", 15, color=MUTED)]),
        ],
        max_width=900,
    )
