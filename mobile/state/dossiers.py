"""Dossier part of the app state: the home list (filters, search) and the dossier detail."""

from __future__ import annotations

from datetime import date

from mobile.i18n import tr
from mobile.state.backend import Failed, run_guarded
from mobile.state.base import (
    ROUTE_DOSSIER,
    StateBase,
)
from mobile.state.fmt import size_text
from shared.errors import TaiChoError


class DossierMixin(StateBase):
    """Home list and dossier detail."""

    # --- home ---
    def today(self) -> date:
        return self.service.clock().date()

    def refresh(self) -> None:
        self.refresh_sync()
        if self.user is None:
            return
        try:
            self.home.dossiers = self.backend.call(self.service.dossiers.list_dossiers, None)
            self.home.drafts = self.backend.call(self._drafts().list)
        except TaiChoError as err:
            self._fail(err)

    def set_search(self, text: str) -> None:
        self.touch()
        self.home.search = text

    def set_procedure_search(self, text: str) -> None:
        self.touch()
        self.home.procedure_search = text

    def set_status_filter(self, key: str) -> None:
        self.touch()
        self.home.status_filter = key

    # --- dossier detail ---
    def open_dossier(self, dossier_id: str) -> None:
        self.touch()
        self.shown.result_info = ""
        self.shown.result_images = []
        self.shown.paper_sent = ""
        self.shown.detail = {"id": dossier_id}
        self._reload_detail()
        if self.shown.detail is not None:
            self.banner = ""
            self.route = ROUTE_DOSSIER

    def _reload_detail(self) -> None:
        assert self.shown.detail is not None
        try:
            d = self.backend.call(self.service.dossiers.get, self.shown.detail["id"])
        except TaiChoError as err:
            self.shown.detail = None
            self._fail(err)
            return
        if d.get("has_result"):
            try:
                pdf = self.backend.call(self.service.dossiers.result_pdf, d["id"])
                try:
                    name = self.service.dossiers.procedure(d["procedure"]).result_name.get(
                        self.lang
                    )
                except TaiChoError:
                    name = tr(self.lang, "Kết quả")
                self.shown.result_info = tr(
                    self.lang,
                    "Đã có kết quả ({name}) — {size}",
                    name=name,
                    size=size_text(len(pdf)),
                )
                self.shown.result_images = self.backend.call(
                    self.service.dossiers.result_pages, d["id"]
                )
            except TaiChoError as err:
                self.shown.result_info = err.message(self.lang)
                self.shown.result_images = []
        else:
            self.shown.result_images = []
        self.load_papers(d["id"])
        self.shown.detail = d

    def load_papers(self, dossier_id: str) -> None:
        """The papers this tablet can print for the dossier shown (receipt or detail)."""
        try:
            self.shown.papers = self.backend.call(self.service.dossiers.papers, dossier_id)
        except TaiChoError:
            self.shown.papers = []

    async def paper_bytes(self, dossier_id: str, paper: str) -> tuple[str, bytes] | None:
        """One paper of a dossier as (file name, PDF), rendered in memory for the screen to
        hand to the browser download or the device's share sheet (issue 21 §2); nothing
        is written unencrypted to the tablet's disk."""
        self.touch()
        try:
            got = await run_guarded(
                self, f"paper-{paper}", self.service.dossiers.paper_pdf, dossier_id, paper
            )
        except Failed:
            return None
        self.shown.paper_sent = got[0]
        return got
