"""Provincial figures on a real hub and PostgreSQL equal the communes' own reports.

Three simulated communes (varied seeded histories: ``province_hub.simulate``) register
and send every day's figures through the real protocol (HTTPS, signed). The summary the
hub answers for a period — per commune, per procedure with ``&commune``, and for the
province — must equal ``shared.reports.analyse`` run on the communes' dossiers themselves
(the commune report's definition; the station's SQL report is held equal to it by
``tests/sync_server/test_reports_sql.py``), minus only what names a dossier or a person.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from province_hub.launcher import RunningHub
from province_hub.simulate import SimStation, days_of, history, known_at, sim_unit
from shared import hub_messages as hm
from shared.errors import TaiChoError
from shared.reports import Analysis, DossierFacts, Period, analyse, without_free_text
from shared.workdays import VN_TZ

pytestmark = pytest.mark.postgres
FIRST = date(2026, 8, 3)
NOW = datetime(2026, 10, 20, 10, 30, tzinfo=VN_TZ)
SEEDS = (11, 12, 13)


def _expected(facts: list[DossierFacts], period: Period, procedure: str | None) -> Analysis:
    return without_free_text(analyse(facts, period, NOW, procedure))


def _plain(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary without the overdue list (dossier codes stay at the station)."""
    return {k: v for k, v in summary.items() if k != "overdue"}


@pytest.fixture
def province(hub: RunningHub) -> tuple[RunningHub, dict[str, list[DossierFacts]], str]:
    """Three communes registered, each with every day up to NOW sent; a reader's token."""
    facts: dict[str, list[DossierFacts]] = {}
    for i, seed in enumerate(SEEDS, start=1):
        sim = SimStation.new(sim_unit(i))
        sim.register(hub.url, hub.register_code(sim.unit.code))
        # What the station knows at NOW (the history goes on after it).
        facts[sim.unit.code] = known_at(history(160, seed, FIRST, 60, sim.unit.code), NOW)
        days = days_of(facts[sim.unit.code], FIRST, NOW.date(), NOW)
        with sim.client(hub.url) as client:
            for k in range(0, len(days), 31):
                client.put_figures(days[k : k + 31])
    return hub, facts, hub.reader_token()


def _get(hub: RunningHub, token: str, path: str = "", **params: str) -> httpx.Response:
    return httpx.get(
        f"{hub.url}/v1/province/summary{path}",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        verify=False,
        timeout=60,
    )


def test_the_summary_equals_the_communes_own_reports(
    province: tuple[RunningHub, dict[str, list[DossierFacts]], str],
) -> None:
    hub, facts, token = province
    everyone = [f for fs in facts.values() for f in fs]
    periods = [
        Period(FIRST - timedelta(days=3), NOW.date()),  # all, ending today (judged NOW)
        Period(date(2026, 9, 1), date(2026, 9, 30)),  # 2 Sep: a public holiday
        Period(date(2026, 9, 14), date(2026, 9, 20)),
        Period(date(2026, 10, 1), date(2026, 10, 1)),
        Period(date(2026, 8, 20), date(2026, 10, 20)),
        Period(date(2026, 10, 1), date(2026, 10, 31)),  # ends after the last day sent
    ]
    seen = {"overdue": 0, "awaiting": 0, "late": 0, "supp": 0, "carried": 0}
    for period in periods:
        for procedure in (None, "1.004873"):
            params = {"from": period.start.isoformat(), "to": period.end.isoformat()}
            if procedure:
                params["procedure"] = procedure
            got = _get(hub, token, **params).json()
            for unit, fs in facts.items():
                want = _expected(fs, period, procedure).summary.to_dict()
                assert _plain(got["by_commune"][unit]) == _plain(want), (period, procedure, unit)
            whole = _expected(everyone, period, procedure)
            assert _plain(got["summary"]) == _plain(whole.summary.to_dict()), (period, procedure)
            assert got["series"] == whole.series.to_dict(), (period, procedure)
            want_procs = {c: _plain(s.to_dict()) for c, s in whole.by_procedure.items()}
            assert {c: _plain(s) for c, s in got["by_procedure"].items()} == want_procs
            s = got["summary"]
            seen["overdue"] += s["in_progress"]["overdue"]
            seen["awaiting"] += s["in_progress"]["awaiting_supplement"]
            seen["late"] += s["resolved"]["late"]
            seen["supp"] += s["supplements"]["dossiers"] < s["supplements"]["requests"]
            seen["carried"] += s["received"]["carried_over"]
        # One commune: its procedures are its own report's.
        unit = next(iter(facts))
        params = {"from": period.start.isoformat(), "to": period.end.isoformat(), "commune": unit}
        got = _get(hub, token, **params).json()
        want = _expected(facts[unit], period, None)
        assert list(got["by_commune"]) == [unit]
        assert _plain(got["summary"]) == _plain(want.summary.to_dict())
        assert {c: _plain(s) for c, s in got["by_procedure"].items()} == {
            c: _plain(s.to_dict()) for c, s in want.by_procedure.items()
        }
    # The histories really exercise the branches compared above.
    assert all(seen.values()), seen
    # The province is the sum of its communes, counted the same way.
    got = _get(hub, token, **{"from": "2026-08-01", "to": "2026-10-20"}).json()
    assert got["summary"]["received"]["total"] == sum(
        c["received"]["total"] for c in got["by_commune"].values()
    )
    assert got["communes"][next(iter(facts))]["days_sent"] == (NOW.date() - FIRST).days + 1
    assert got["free_text"] is False
    assert got["summary"]["satisfaction"]["comments"] == []
    assert got["summary"]["supplements"]["reasons"] == []


def test_a_day_sent_again_replaces_it_and_a_bad_batch_stores_nothing(
    province: tuple[RunningHub, dict[str, list[DossierFacts]], str],
) -> None:
    hub, facts, token = province
    unit = next(iter(facts))
    sim_days = days_of(facts[unit], FIRST, NOW.date(), NOW)
    params = {"from": FIRST.isoformat(), "to": NOW.date().isoformat()}
    before = _get(hub, token, **params).json()
    # The lost answer case: the same days again change nothing.
    sim = SimStation.new(sim_unit(9))
    sim.register(hub.url, hub.register_code(sim.unit.code))
    with sim.client(hub.url) as client:
        client.put_figures(days_of(facts[unit], FIRST, NOW.date(), NOW))
        client.put_figures(days_of(facts[unit], FIRST, NOW.date(), NOW)[:20])
        twice = _get(hub, token, **params).json()
        assert twice["by_commune"][sim.unit.code] == before["by_commune"][unit] | {
            "as_of": twice["by_commune"][sim.unit.code]["as_of"]
        }
        # A day counted again with one more new dossier replaces the stored day.
        day = next(d for d in sim_days if d.procedures)
        p = day.procedures[0]
        bumped = hm.DayFigures(
            day.day,
            day.as_of,
            [
                hm.ProcedureDay(**{**p.__dict__, "new_counter": p.new_counter + 1}),
                *day.procedures[1:],
            ],
        )
        client.put_figures([bumped])
        after = _get(hub, token, **params).json()["by_commune"][sim.unit.code]
        assert after["received"]["new_by_channel"]["counter"] == (
            before["by_commune"][unit]["received"]["new_by_channel"]["counter"] + 1
        )
        # A batch with one contradictory day is refused whole: the good day is not stored.
        bad = hm.ProcedureDay(procedure="1.001193", returned=1, same_day=2, turnaround_seconds=[60])
        good = hm.DayFigures("2026-11-01", "2026-11-02T00:00:00+07:00", [])
        bad_day = hm.DayFigures("2026-11-02", "2026-11-03T00:00:00+07:00", [bad])
        with pytest.raises(TaiChoError) as err:
            client.put_figures([good, bad_day])
        assert err.value.code == "REQUEST_INVALID"
        assert err.value.field == "days[1].procedures[0].same_day"
        with pytest.raises(TaiChoError) as err:
            client.put_figures([good, good])
        assert err.value.code == "HUB_FIGURES_REFUSED"
        counted_early = hm.DayFigures("2026-11-05", "2026-11-04T23:00:00+07:00", [])
        with pytest.raises(TaiChoError) as err:
            client.put_figures([counted_early])
        assert (err.value.code, err.value.field) == ("HUB_FIGURES_REFUSED", "as_of")
        got = _get(hub, token, **{"from": "2026-11-01", "to": "2026-11-05"}).json()
        assert got["communes"][sim.unit.code]["days_sent"] == 0


def test_readers_and_bad_queries_get_problems(
    province: tuple[RunningHub, dict[str, list[DossierFacts]], str],
) -> None:
    hub, _facts, token = province
    ok = {"from": "2026-09-01", "to": "2026-09-30"}
    r = httpx.get(f"{hub.url}/v1/province/summary", params=ok, verify=False)
    assert (r.status_code, r.json()["code"]) == (401, "AUTH_REQUIRED")
    r = _get(hub, "not-a-token", **ok)
    assert (r.status_code, r.json()["code"]) == (401, "HUB_READER_TOKEN_INVALID")
    r = _get(hub, token, **{"from": "2026-09-31", "to": "2026-10-01"})
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (400, "REQUEST_INVALID", "from")
    r = _get(hub, token, **{"from": "2026-10-01", "to": "2026-09-01"})
    assert (r.json()["code"], r.json()["field"]) == ("REQUEST_INVALID", "to")
    r = _get(hub, token, **ok, commune="000.99.99.X00")
    assert (r.status_code, r.json()["code"]) == (401, "HUB_STATION_UNKNOWN")
    r = _get(hub, token, **ok, procedure="9.999999")
    assert r.status_code == 200 and r.json()["summary"]["received"]["total"] == 0
    # A leaked token: revoked by the hub's administrator, refused at once.
    hub.admin("reader-revoke", "--name", "Sở Nội vụ")
    r = _get(hub, token, **ok)
    assert (r.status_code, r.json()["code"]) == (401, "HUB_READER_TOKEN_INVALID")


def test_csv_and_pdf_are_the_report_renderers_with_communes(
    province: tuple[RunningHub, dict[str, list[DossierFacts]], str], tmp_path: Path
) -> None:
    hub, facts, token = province
    ok = {"from": "2026-09-01", "to": "2026-09-30"}
    csv = _get(hub, token, ".csv", **ok)
    assert csv.headers["content-type"].startswith("text/csv")
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeff")
    summary = _get(hub, token, **ok).json()
    for unit in facts:
        assert f"{unit} Xã Mô Phỏng" in text
        assert summary["by_commune"][unit]["received"]["total"] > 0
    pdf = _get(hub, token, ".pdf", **ok)
    assert pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "tinh.pdf"
    path.write_bytes(pdf.content)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    words = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "THEO XÃ, PHƯỜNG" in words
    assert "TỈNH ĐỒNG THÁP" in words
    assert "000.00.01.H82 Xã Mô Phỏng 1" in words
    assert "ở lại máy chủ của từng xã" in words
