""" "Cơ quan giải quyết" in the tablet's state (mobile/state/competent.py), without a
browser: the proposal from the synced list, the officer's pick, what the intake sends."""

from __future__ import annotations

from mobile.services.tablet import TabletService
from mobile.state.competent import competent_view
from mobile.state.form import FormState
from shared import hub_messages as hm
from shared.messages import Commune
from shared.procedures import builtin
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.services.province import communes
from tests.mobile.conftest import InProcessStation

SA_DEC = Commune("000.00.01.H20", "Phường Sa Đéc")
KHAI_SINH = "1.001193"


def _form(values: dict[str, object]) -> FormState:
    form = FormState.new(builtin().get(KHAI_SINH))
    for k, v in values.items():
        form.set_value(k, v)
    return form


def test_proposal_pick_and_the_dossier_sent(
    station: InProcessStation, tablet: TabletService
) -> None:
    values = sample_values(KHAI_SINH, vn_now().date(), 3)  # parents in xã Lai Vung
    own = tablet.ctx.unit()["code"]
    form = _form(values)
    view = competent_view(tablet, form)
    assert view is not None and view.here and view.listed == 0  # no list yet: itself
    assert "Điều 13" in view.reason

    with station.station.session() as db:
        communes.keep(db, hm.CommuneList("Tỉnh Đồng Tháp", [SA_DEC, Commune(own, "Xã Lai Vung")]))
    tablet.sync()
    view = competent_view(tablet, form)
    assert view is not None and view.listed == 1
    assert [c.name for c in view.options] == ["Xã Lai Vung", "Phường Sa Đéc"]  # itself first

    form.set_value("mother_residence", "Khóm 3, phường Sa Đéc, tỉnh Đồng Tháp")
    form.set_value("father_residence", "Khóm 3, phường Sa Đéc, tỉnh Đồng Tháp")
    view = competent_view(tablet, form)
    assert view is not None and (view.unit_code, view.here) == (SA_DEC.unit_code, False)
    assert view.reason.startswith("Nơi cư trú người mẹ: Phường Sa Đéc")

    form.competent_pick = own  # the officer keeps it here after all
    view = competent_view(tablet, form)
    assert view is not None and view.unit_code is None and view.here
    assert view.reason.startswith("Cán bộ đã chọn. Đề xuất theo luật: Phường Sa Đéc")
    form.lang = "en"
    view = competent_view(tablet, form)
    assert view is not None and view.reason.startswith("Chosen by the officer")

    form.competent_query = "SA ĐEC"
    view = competent_view(tablet, form)
    assert view is not None and view.options == (SA_DEC,)
    form.competent_pick = "000.99.99.H99"  # not in the list any more: the law's proposal
    view = competent_view(tablet, form)
    assert view is not None and view.unit_code == SA_DEC.unit_code

    form.supplement_of = "some-dossier"
    assert competent_view(tablet, form) is None  # a supplement keeps its commune
