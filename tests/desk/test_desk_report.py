"""The desk's report page without a browser: period choice, roles, downloads.

The state is driven as the screen drives it, over a real station (in-process FastAPI app,
real SQLite and crypto); the figures it holds must be the JSON endpoint's.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from station_kit import login

from shared.errors import TaiChoError
from sync_server.desk import report as rv
from sync_server.desk.backend import DeskBackend
from sync_server.desk.state import ROUTE_QUEUE, ROUTE_REPORT
from tests.desk.conftest import enrolled_tablet, run, signed_in


def test_choice_periods_and_shifts() -> None:
    c = rv.Choice(kind="month", day=date(2026, 11, 18))
    assert c.bounds() == ("2026-11-01", "2026-11-30")
    assert c.shifted(-1).bounds() == ("2026-10-01", "2026-10-31")
    assert c.shifted(1).bounds() == ("2026-12-01", "2026-12-31")
    assert c.with_kind("quarter").bounds() == ("2026-10-01", "2026-12-31")
    assert c.with_kind("week").bounds() == ("2026-11-16", "2026-11-22")
    assert c.with_kind("year").shifted(-1).bounds() == ("2025-01-01", "2025-12-31")
    custom = c.with_kind("custom")  # the two days are typed afresh
    with pytest.raises(TaiChoError) as err:
        custom.bounds()
    assert err.value.field == "from"
    with pytest.raises(TaiChoError) as err:
        rv.Choice(kind="custom", start="2026-11-30", end="2026-11-01").bounds()
    assert err.value.field == "to"
    assert rv.nice_max(0) == 1 and rv.nice_max(7, floor=4) == 10 and rv.nice_max(230) == 500


def test_leader_sees_the_report_of_the_endpoint(
    client: TestClient, backend: DeskBackend, tmp_path: Path
) -> None:
    tablet = enrolled_tablet(client, backend)
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"

    leader = signed_in(backend, "lanhdao", "345678")
    assert leader.can_report
    run(leader.open_report())
    assert leader.current_route() == ROUTE_REPORT and leader.banner == ""
    page = leader.reports.report["page"]
    assert page["tiles"][0] == {"label": "Tiếp nhận", "value": "1"}
    assert set(page["charts"]) == {
        "timeliness_by_week",
        "satisfaction_by_month",
        "same_day_by_week",
    }

    # The same figures as GET /v1/reports/summary for the same period.
    start, end = leader.reports.choice.bounds()
    headers = login(client, "lanhdao", "345678")
    api = client.get(f"/v1/reports/summary?from={start}&to={end}", headers=headers).json()
    assert api["summary"] | {"as_of": ""} == leader.reports.report["summary"] | {"as_of": ""}

    # A custom period with a bad day keeps the page and names the field.
    bad = rv.Choice(kind="custom", start="2026-13-01", end="2026-11-30")
    assert not run(leader.load_report(bad))
    assert "from" in leader.field_errors and leader.reports.report["page"] == page
    assert run(leader.load_report(rv.Choice(kind="year", procedure="1.004873")))
    assert leader.reports.report["page"]["tiles"][0]["value"] == "0"

    # The download links serve the exports to the person who asked.
    r = client.get(leader.reports.links["csv"])
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Báo cáo"
    r = client.get(leader.reports.links["pdf"])
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get("/desk-files/report/not-a-ticket").status_code == 404


def test_the_report_is_for_leaders_and_admins(backend: DeskBackend) -> None:
    clerk = signed_in(backend, "vanthu", "456789")
    assert not clerk.can_report
    run(clerk.open_report())
    clerk.route = ROUTE_REPORT  # even when forced, the guard sends it back
    assert clerk.current_route() == ROUTE_QUEUE and clerk.reports.report == {}
    with pytest.raises(TaiChoError) as err:
        backend.report(clerk.user, "2026-11-01", "2026-11-30", None)  # type: ignore[arg-type]
    assert err.value.code == "ROLE_NOT_ALLOWED"
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_report())
    assert admin.current_route() == ROUTE_REPORT and admin.reports.report["page"]
    # figures for the admin, without the free text that can name citizens
    assert (
        admin.reports.report["free_text"] is False
        and admin.reports.report["page"]["comments"] == []
    )
