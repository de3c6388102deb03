"""Issue 21 §4: "Tiếp nhận" once showed "12:20 — thamdinh" on the tablet while intake was
at 12:16 by tiepnhan. Both sides build the five stages from the history with
``shared.workflow.timeline``; here a dossier goes through the real station and both
timelines are read: the reception stage names the intake time and officer, alike."""

from __future__ import annotations

from mobile.services.tablet import TabletService
from mobile.state.fmt import timeline as tablet_timeline
from mobile.state.fmt import when
from shared.model import HistoryEntry
from sync_server.desk import views
from tests.mobile.conftest import APPRAISER, LEADER, InProcessStation

KS = "1.001193"


def test_reception_names_the_intake_officer_on_the_tablet_and_the_desk(
    station: InProcessStation, tablet: TabletService
) -> None:
    d = station.received_khai_sinh(tablet, 4)
    for action, who in (("accept", APPRAISER), ("approve", LEADER)):
        assert station.act(d.id, action, who).status_code == 200
    tablet.sync()
    history = tablet.dossiers.get(d.id)["history"]
    received_at = history[0]["at"]

    on_tablet = tablet_timeline(history)
    at_desk = views.timeline([HistoryEntry.from_dict(h) for h in history])
    assert [s.name for s in on_tablet] == [s.name for s in at_desk]
    assert on_tablet[0].name == "Tiếp nhận"
    (step,) = on_tablet[0].steps
    assert step.at == when(received_at) and step.who.startswith("tiepnhan ")
    (desk_step,) = at_desk[0].steps
    assert desk_step.at == step.at and desk_step.who == step.who
    assert on_tablet[1].steps[0].who.startswith("thamdinh ")
    assert on_tablet[2].steps[0].who.startswith("lanhdao ")
