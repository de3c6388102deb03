"""The office's catalogue: importing national records, switching procedures on or off,
and the province's own time limit and fee (docs/catalogue.md).

Every change is a new version of a procedure document, stored with the others in
``procedure_versions`` and sent to the tablets in one transaction
(:func:`catalogue_sync.store_versions`): a refused file or setting changes nothing, and a
dossier keeps being judged by the version it was filled under.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlite_utils import Database

from shared import fee_text
from shared.catalogue import Procedure, check_update
from shared.catalogue_import import ProcedureSettings, plan_import, with_settings
from sync_server.services.core.station import CATALOGUE_VERSION_KEY, Station
from sync_server.services.sync import catalogue_sync
from sync_server.store.db import get_meta, transaction

_log = logging.getLogger("sync_server")


def import_file(db: Database, station: Station, data: bytes, name: str) -> dict[str, Any]:
    """Check the whole file (``CATALOGUE_IMPORT_INVALID`` with every row and field), then
    store its new and changed records at once; returns what was imported, left unchanged,
    and the warnings."""
    plan = plan_import(station.catalogue, data, name)
    procedures = check_update(station.catalogue, plan.documents, name)
    _store(db, station, procedures)
    _log.info("catalogue import %s: %d new version(s)", name, len(procedures))
    return {
        **plan.summary(),
        "imported": [{"code": p.code, "version": p.version} for p in procedures],
        "procedures": sum(1 for p in station.catalogue.all() if p.enabled),
        "catalogue_version": int(get_meta(db, CATALOGUE_VERSION_KEY) or "0"),
    }


def set_procedure(
    db: Database, station: Station, code: str, settings: ProcedureSettings
) -> dict[str, Any]:
    """A new version of an imported procedure with the office's setting."""
    doc = with_settings(station.catalogue.get(code), settings)
    procedures = check_update(station.catalogue, [doc], f"procedure {code}")
    _store(db, station, procedures)
    return row_of(station.catalogue.get(code))


def rows(station: Station) -> list[dict[str, Any]]:
    """Every current procedure as the desk's "Thủ tục" page lists it."""
    return [row_of(p) for p in station.catalogue.all()]


def row_of(p: Procedure) -> dict[str, Any]:
    record = p.record
    province = record.get("province") or {}
    national_fee = record.get("phi_le_phi") or {}
    source = record.get("nguon") or {}
    return {
        "code": p.code,
        "name": p.name.vi,
        "version": p.version,
        "domain": record.get("linh_vuc", ""),
        "agency": record.get("co_quan_thuc_hien", ""),
        "enabled": p.enabled,
        "checked": p.checked,
        "has_result_template": p.has_result_template,
        "imported": bool(record),
        "time_limit_working_days": p.time_limit_working_days,
        "national_time_limit_working_days": record.get(
            "thoi_han_ngay_lam_viec", p.time_limit_working_days
        ),
        "fee_vnd": p.fee_vnd,
        # the fee as a person reads it ("15.000 đồng", "miễn phí", per page …)
        "fee_text": fee_text.rule(p),
        "national_fee_vnd": national_fee.get("vnd", p.fee_vnd),
        "fee_set_by_province": p.fee_set_by_province,
        "province_decision": province.get("decision", ""),
        "source": source.get("ten", ""),
        "source_url": source.get("url", ""),
        "checked_on": source.get("ngay_kiem_tra", ""),
        "components": len(p.components),
    }


def _store(db: Database, station: Station, procedures: list[Procedure]) -> None:
    if not procedures:
        return
    with transaction(db):
        everything = catalogue_sync.store_versions(db, station.keys, procedures)
    station.catalogue.adopt(everything)
    station.seen["catalogue"] = get_meta(db, CATALOGUE_VERSION_KEY) or "0"
