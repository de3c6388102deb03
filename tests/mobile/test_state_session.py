"""Per-session app state without a browser: two sessions over one tablet data folder
unlock and lock independently; a crash becomes a catalogue message with an error id
and a traceback in the rotating log (real station, real keystore, real SQLite)."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from mobile.config import AppConfig
from mobile.state import AppState, FormState
from mobile.state.backend import Backend, folder_lock
from shared.checklist import every_component
from shared.procedures import builtin
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import RunningStation, start_station
from tests.mobile.checklist_kit import hand_in_everything
from tests.tablet_kit import enrol_folder

KS = "1.001193"

INTAKE = ("tiepnhan", "123456")


def _cfg(tmp_path: Path, idle: int = 300) -> AppConfig:
    return AppConfig("Tại Chỗ", "vn.gov.taicho", "http://127.0.0.1:9", tmp_path, idle)


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStation]:
    st = start_station(tmp_path_factory.mktemp("station") / "data")
    yield st
    st.stop()


@pytest.fixture
def folder(station: RunningStation, tmp_path: Path) -> Path:
    return enrol_folder(tmp_path / "tablet", station.url, station.enroll_code(), "state-test")


def _session(folder: Path, tmp_path: Path, idle: int = 300) -> AppState:
    return AppState(Backend.open(folder, _cfg(tmp_path, idle)))


@contextmanager
def _unlocked(folder: Path, tmp_path: Path) -> Iterator[AppState]:
    """A session over ``folder`` unlocked by the intake clerk; closed (as when the app
    is killed) when the block ends."""
    app = _session(folder, tmp_path)
    try:
        assert asyncio.run(app.unlock(*INTAKE)), app.field_errors
        yield app
    finally:
        app.backend.close()


@pytest.fixture
def app(folder: Path, tmp_path: Path) -> Iterator[AppState]:
    with _unlocked(folder, tmp_path) as state:
        yield state


def _new_form(app: AppState, procedure: str = "1.001193") -> FormState:
    """Start a new dossier of ``procedure``; its form."""
    app.new_dossier(procedure)
    assert app.form is not None
    return app.form


def _fill(app: AppState, seed: int) -> dict[str, Any]:
    """Type a complete sample khai sinh into the open form, as the clerk would."""
    values = sample_values("1.001193", vn_now().date(), seed=seed)
    for k, v in values.items():
        app.set_field(k, v if isinstance(v, bool) else str(v))
    return values


def test_two_sessions_unlock_and_lock_independently(folder: Path, tmp_path: Path) -> None:
    a = _session(folder, tmp_path)
    b = _session(folder, tmp_path)
    try:
        assert a.backend.service is not b.backend.service
        assert a.backend._lock is b.backend._lock is folder_lock(folder)
        assert asyncio.run(a.unlock(*INTAKE))
        assert a.user is not None and a.current_route() == "home"
        # the other tab is still locked: its keystore was never opened
        assert b.user is None
        b.go("home")
        assert b.current_route() == "unlock"
        assert b.service.sessions.session is None
        assert asyncio.run(b.unlock(*INTAKE))
        # one session idles out; the other keeps working
        b._last_touch -= 10_000
        assert b.check_idle()
        assert b.user is None and b.service.sessions.session is None
        assert a.user is not None and a.service.sessions.session is not None
        a.refresh()
        assert a.banner == ""
        # closing one tab locks only that tab
        a.lock()
        assert a.service.sessions.session is None
    finally:
        a.backend.close()
        b.backend.close()


def test_intake_and_sync_from_two_sessions_at_once(folder: Path, tmp_path: Path) -> None:
    with _unlocked(folder, tmp_path) as a, _unlocked(folder, tmp_path) as b:
        proc = builtin().get("1.001193")
        errors: list[BaseException] = []

        def intake(state: AppState, seed: int) -> None:
            try:
                for i in range(3):
                    values = sample_values("1.001193", vn_now().date(), seed=seed + i)
                    state.backend.call(
                        partial(
                            state.service.intake,
                            proc.code,
                            values,
                            components_received=every_component(proc, values),
                        )
                    )
            except BaseException as err:  # collected and asserted below
                errors.append(err)

        def sync(state: AppState) -> None:
            try:
                for _ in range(3):
                    state.backend.call(state.service.sync)
            except BaseException as err:  # collected and asserted below
                errors.append(err)

        threads = [
            threading.Thread(target=intake, args=(a, 1)),
            threading.Thread(target=intake, args=(b, 100)),
            threading.Thread(target=sync, args=(a,)),
            threading.Thread(target=sync, args=(b,)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        a.backend.call(a.service.sync)
        codes = [d.code for d in a.backend.call(a.service.dossiers.list_dossiers, vn_now().date())]
        assert len(codes) == 6 and len(set(codes)) == 6  # six distinct dossier numbers
        assert a.backend.call(a.service.sync_state).pending == 0


def test_unexpected_error_shows_an_id_and_logs_the_traceback(tmp_path: Path) -> None:
    data = tmp_path / "tablet"
    app = AppState(Backend.open(data, _cfg(tmp_path)))
    try:
        app.form = FormState.new(builtin().get("1.001193"))

        def broken(*_: object) -> None:
            raise RuntimeError("disk on fire")

        app.backend.service.dossiers.check = broken  # type: ignore[method-assign,assignment]
        assert not asyncio.run(app.preview())
        assert app.busy == ""
        m = re.search(r"mã lỗi ([0-9a-f]{8})", app.banner)
        assert m, app.banner
        assert "disk on fire" not in app.banner and "Traceback" not in app.banner
        for h in __import__("logging").getLogger("mobile").handlers:
            h.flush()
        log = (data / "logs" / "app.log").read_text(encoding="utf-8")
        assert f"error {m.group(1)}" in log
        assert "RuntimeError: disk on fire" in log and "Traceback" in log
    finally:
        app.backend.close()


def _act(station: RunningStation, dossier_id: str, action: str, reason: str | None) -> None:
    import httpx

    tok = httpx.post(
        f"{station.url}/v1/auth/token", json={"username": "thamdinh", "pin": "234567"}
    ).json()["access_token"]
    r = httpx.post(
        f"{station.url}/v1/dossiers/{dossier_id}/actions",
        json={"action": action, "reason": reason},
        headers={"Authorization": f"Bearer {tok}"},
        timeout=60,
    )
    assert r.status_code == 200, r.text


def test_supplement_request_is_shown_and_resubmitted_from_the_form(
    station: RunningStation, app: AppState
) -> None:
    values = sample_values("1.001193", vn_now().date(), seed=5)
    d = app.backend.call(
        partial(
            app.service.intake,
            "1.001193",
            values,
            components_received=every_component(KS, values),
        )
    )
    assert asyncio.run(app.run_sync())
    _act(station, d.id, "request_supplement", "Ghi rõ nơi sinh theo giấy chứng sinh")
    assert asyncio.run(app.run_sync())
    app.open_dossier(d.id)
    assert app.shown.detail is not None and app.shown.detail["status"] == "supplement_requested"
    from mobile.state.fmt import supplement_reason, timeline

    assert supplement_reason(app.shown.detail["history"]).startswith("Ghi rõ nơi sinh")
    stages = timeline(app.shown.detail["history"])
    assert [s.done for s in stages] == [True, True, False, False, False]
    assert stages[1].steps[-1].reason.startswith("Ghi rõ nơi sinh")
    assert stages[0].steps and all("(Công chức tiếp nhận)" in x.who for x in stages[0].steps)
    # "Bổ sung hồ sơ": the stored values come back as typed text, dates dd/mm/yyyy
    app.start_supplement()
    form = app.form
    assert form is not None and form.supplement_of == d.id
    assert app.current_route() == "form"
    assert form.value("child_full_name") == values["child_full_name"]
    assert "/" in form.value("child_birth_date")
    form.set_value("child_birth_place", "Bệnh viện Đa khoa Đồng Tháp")
    hand_in_everything(app)
    assert asyncio.run(app.preview()), app.banner
    app.confirm_read()
    app.start_signing()  # the declaration signed on paper (tests/ui draws on the pad)
    assert app.sign_on_paper("requester")
    assert asyncio.run(app.save()), app.banner
    assert app.receipt is not None and app.receipt.status == "received"
    shown = app.backend.call(app.service.dossiers.get, d.id)
    assert shown["values"]["child_birth_place"] == "Bệnh viện Đa khoa Đồng Tháp"
    assert shown["version"] == 3


def test_draft_is_sealed_kept_on_lock_and_reopened_after_a_kill(
    folder: Path, tmp_path: Path
) -> None:
    with _unlocked(folder, tmp_path) as app:  # the app is killed at the end of the block
        _new_form(app)
        app.set_field("child_full_name", "Phạm Thị Diệu Linh")
        app.set_field("child_birth_date", "15/03/2024")
        assert app.save_draft()
        assert not app.save_draft()  # nothing new since the last save
        files = list((folder / "drafts").glob("*.draft"))
        assert len(files) == 1
        assert "Diệu Linh".encode() not in files[0].read_bytes()  # sealed, not plain
        app.set_field("child_hometown", "xã Lai Vung")
        app.lock()  # locking saves the last change and keeps the draft
    with _unlocked(folder, tmp_path) as again:
        assert [d.title for d in again.home.drafts] == ["Phạm Thị Diệu Linh"]
        again.open_draft(again.home.drafts[0].id)
        form = again.form
        assert form is not None and again.current_route() == "form"
        assert form.value("child_birth_date") == "15/03/2024"
        assert form.value("child_hometown") == "xã Lai Vung"
        # the draft goes away once the dossier is received
        _fill(again, seed=9)
        hand_in_everything(again)
        assert asyncio.run(again.preview()), (again.banner, form.errors)
        again.confirm_read()
        again.start_signing()
        assert again.sign_on_paper("requester")
        assert asyncio.run(again.save()), again.banner
        assert again.home.drafts == []
        assert list((folder / "drafts").glob("*.draft")) == []


def test_read_back_one_section_per_screen_and_confirmation_travels_with_the_dossier(
    app: AppState,
) -> None:
    """Nothing is saved before the citizen confirms; a changed value asks again; the
    confirmation time is stored with the dossier (and so reaches the station)."""
    form = _new_form(app)
    _fill(app, seed=3)
    hand_in_everything(app)
    assert asyncio.run(app.preview()), app.banner
    n = len(form.preview())
    assert n >= 3 and form.read_page == 0 and not form.read_is_last()
    assert not asyncio.run(app.save())  # not confirmed: nothing saved
    for k in range(1, n + 3):  # past the end stays on the last section
        app.read_page(k)
    assert form.read_page == n - 1 and form.read_is_last()
    app.read_page(-5)
    assert form.read_page == 0
    app.read_page(n - 1)
    app.confirm_read()
    assert form.read_back_at
    # a value changed after confirming must be read back (and confirmed) again
    app.set_field("child_birth_place", "Trạm y tế xã Lai Vung")
    assert form.read_back_at == "" and form.checked is None
    assert asyncio.run(app.preview()), app.banner
    assert form.read_page == 0 and not asyncio.run(app.save())
    app.confirm_read()
    at = form.read_back_at
    assert not asyncio.run(app.save())  # the declaration is not signed yet
    app.start_signing()
    assert app.current_route() == "sign"
    assert app.sign_on_paper("requester")
    assert asyncio.run(app.save()), app.banner
    assert app.receipt is not None
    stored = app.backend.call(app.service.dossiers.get, app.receipt.id)
    assert stored["read_back_at"] == at


def test_first_unlock_refused_by_the_station_says_the_rule_and_what_to_do(
    station: RunningStation, folder: Path, tmp_path: Path
) -> None:
    """The station answers alike for a wrong PIN and a locked account; the tablet counts
    its own tries and states the lockout rule, then what to do once it may be locked."""
    station.admin("staff-add", "--username", "tiepnhan2", "--role", "intake", "--pin", "246810")
    app = _session(folder, tmp_path)
    try:
        assert not asyncio.run(app.unlock("tiepnhan2", "000000"))
        first = app.field_errors["pin"]
        assert "Đã nhập sai 1 lần trên máy này; còn tối đa 4 lần" in first
        assert "khoá 15 phút" in first
        assert not asyncio.run(app.unlock("tiepnhan2", "000001"))
        assert "Đã nhập sai 2 lần" in app.field_errors["pin"]
        # from the fifth, what to do (checked on the wording: the station's per-client
        # rate limit may answer the next tries first, which the banner then says)
        from mobile.state.fmt import station_pin_hint

        assert "nhờ quản trị viên mở khoá" in station_pin_hint(5)
        assert "còn tối đa 1 lần" in station_pin_hint(4)
    finally:
        app.backend.close()


def test_a_pin_error_follows_the_language_switch(
    station: RunningStation, folder: Path, tmp_path: Path
) -> None:
    """Issue 21: an unlock error shown in Vietnamese stayed Vietnamese after "English" (it
    was kept as finished text); it is kept as how to say it, and said again."""
    with _unlocked(folder, tmp_path) as first:  # this tablet now unlocks tiepnhan offline
        first.lock()
    app = _session(folder, tmp_path)
    try:
        assert not asyncio.run(app.unlock(INTAKE[0], "999999"))
        vi = app.field_errors["pin"]
        assert "Mã PIN không đúng" in vi
        app.toggle_lang()
        en = app.field_errors["pin"]
        assert en != vi and "PIN" in en and "không" not in en, en
        app.toggle_lang()
        assert app.field_errors["pin"] == vi
        # An empty name: the required-field message follows too.
        assert not asyncio.run(app.unlock("", "123456"))
        app.toggle_lang()
        assert app.field_errors["username"] == "The user name is required."
        # A message replaced since is not brought back by a later switch.
        app.field_errors = {}
        app.toggle_lang()
        assert app.field_errors == {}
    finally:
        app.backend.close()


QR = (
    "087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ|"
    "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp|12072021"  # an old card: its former commune
)


def test_a_scanned_card_fills_the_chosen_person_and_nothing_half(app: AppState) -> None:
    form = _new_form(app)
    # a malformed code: a precise message, nothing filled
    assert not app.scan_card(QR.replace("05031992", "31021992"))
    assert app.card.scan is None and "ngày sinh" in app.card.scan_error.lower()
    assert form.value("mother_full_name") in ("", None)
    assert app.scan_card("  " + QR + "\r\n")  # as a scanner sends it
    assert app.card.scan is not None and app.card.scan_unit == "Xã Lai Vung, Tỉnh Đồng Tháp"
    assert not app.fill_from_scan("wife")  # not a person of this form
    assert app.fill_from_scan("mother")
    assert form.value("mother_full_name") == "Nguyễn Thị Ánh"
    assert form.value("mother_birth_date") == "05/03/1992"
    assert form.value("mother_id_number") == "087192004321"
    # As documents write it: the unit nouns in lower case (issue 21 §11).
    assert form.value("mother_residence") == "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp"
    assert form.value("requester_full_name") in ("", None)  # only the chosen person
    assert app.card.scan is None  # the card is not kept once used
    # a card read but not used is dropped on lock, with all other citizen data
    assert app.scan_card(QR)
    app.lock()
    assert app.card.scan is None and app.card.scan_unit == ""


def test_a_citizen_filled_once_is_found_by_name_without_accents_and_reused(
    app: AppState,
) -> None:
    _new_form(app)
    assert app.scan_card(QR) and app.fill_from_scan("mother")
    form = _new_form(app, "1.000656")  # another procedure, another day
    app.find_citizens("nguyen thi anh")
    assert [c.name for c in app.card.citizen_hits] == ["Nguyễn Thị Ánh"]
    app.find_citizens("087192004321")
    assert len(app.card.citizen_hits) == 1
    app.use_citizen(app.card.citizen_hits[0].id)
    assert app.card.scan_unit == "Xã Lai Vung, Tỉnh Đồng Tháp"  # confirmed once, kept
    assert app.fill_from_scan("requester")
    assert form.value("requester_full_name") == "Nguyễn Thị Ánh"
    assert form.value("requester_residence") == "Ấp An Bình, xã Lai Vung, tỉnh Đồng Tháp"
    # scanning the same card again updates the entry, it does not add a second one
    assert app.scan_card(QR) and app.fill_from_scan("requester")
    app.find_citizens("anh")
    assert len(app.card.citizen_hits) == 1
    app.find_citizens("khong co ai")
    assert app.card.citizen_hits == [] and app.card.scan_error
