"""The station's reports: facts from indexed columns, figures from ``shared.reports``.

Why not decrypt the dossiers: a year of a busy ward is ~100,000 payloads; every figure
needs only times, procedure, channel and outcome, which the station keeps in clear
columns (``dossiers``, the audit log's ``action``/``at``, ``ratings``, ``apologies``).
Only the texts a report lists — supplement and refusal reasons, rating comments of the
period — are decrypted.

Also the write side other screens call: :func:`record_rating` (the desk, at return),
:func:`record_apology` (the apology letter) and :func:`record_channel` (sync ingest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from shared import wire
from shared.catalogue import Catalogue
from shared.documents.report_pdf import render_report
from shared.errors import problem
from shared.reports import (
    CHANNELS,
    RATING_LEVELS,
    Analysis,
    DossierFacts,
    Outcome,
    Period,
    Rating,
    Supplement,
    Tally,
    WorkClock,
    analyse,
    assemble,
    check_export_format,
    csv_file,
    csv_rows,
    due_after_supplements,
    page_view,
    series_skeleton,
    tally_open,
    without_free_text,
)
from shared.views import AuditAnchor, AuditCheckpoint, ReportUnit, ReportView
from shared.workdays import OFFICE_CLOSE, SAME_DAY_CUTOFF, VN_TZ, is_working_day, vn_now
from sync_server.services.core import audit
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit
from sync_server.store import calendar as calendar_q
from sync_server.store import dossiers as dossiers_q
from sync_server.store import reports as q
from sync_server.store.db import transaction

RATINGS_TABLE = "ratings"
_AUDIT_TABLE = "audit"
_OUTCOMES = {o.value: o for o in Outcome}


# --- write side -------------------------------------------------------------------------


def record_rating(
    db: Database,
    keys: StationKeys,
    *,
    dossier_id: str,
    level: str,
    comment: str | None,
    actor: str,
    at: str | None = None,
) -> None:
    """Record the citizen's rating at return (call inside the caller's transaction, e.g.
    the desk's return action). The comment is stored encrypted, the level in clear."""
    if level not in RATING_LEVELS:
        raise problem(
            "REQUEST_INVALID",
            "level",
            detail=f"rating level '{level}'",
            detail_vi="mức đánh giá không hợp lệ",
        )
    if dossiers_q.get(db, dossier_id) is None:
        raise problem("DOSSIER_NOT_FOUND", "id")
    text = comment.strip() if comment else ""
    if len(text) > 2000:
        raise problem("FIELD_TOO_LONG", "comment", label="Ý kiến", max=2000)
    q.record_rating(
        db,
        dossier_id=dossier_id,
        level=level,
        comment_enc=keys.encrypt(RATINGS_TABLE, dossier_id, 1, text.encode("utf-8"))
        if text
        else None,
        at=at or vn_now_iso(),
        actor=actor,
    )


def record_apology(
    db: Database,
    keys: StationKeys,
    *,
    dossier_id: str,
    actor: str,
    new_due_at: str,
    reason: str,
    at: str | None = None,
) -> int:
    """Record an apology letter in the office's ``apologies`` table (inside the caller's
    transaction). The desk and API go through ``paperwork.record_apology``, which also
    writes the history and the feed; this is the bare record, for imports and the bench."""
    row = dossiers_q.get(db, dossier_id)
    if row is None:
        raise problem("DOSSIER_NOT_FOUND", "id")
    version = int(row["version"])
    return calendar_q.insert_apology(
        db,
        {
            "dossier_id": dossier_id,
            "version": version,
            "previous_due_at": row.get("due_at"),
            "new_due_at": new_due_at,
            "reason_enc": keys.encrypt_json(
                calendar_q.APOLOGY_TABLE, dossier_id, version, {"reason": reason}
            ),
            "actor": actor,
            "at": at or vn_now_iso(),
        },
    )


def record_channel(db: Database, dossier_id: str, channel: str) -> None:
    """Called by ingest after a dossier is saved: keep its channel in a clear column."""
    if channel in CHANNELS:
        q.set_channel(db, dossier_id, channel)


# --- facts ------------------------------------------------------------------------------


def _vn(value: str) -> datetime:
    """A stored ISO time as Vietnamese time (what the figures expect; the station and the
    tablets store +07:00 already, so this is normally just the parse)."""
    moment = datetime.fromisoformat(value)
    if value.endswith("+07:00"):
        return moment
    return moment.replace(tzinfo=VN_TZ) if moment.tzinfo is None else moment.astimezone(VN_TZ)


def build_facts(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    period: Period,
    procedure: str | None = None,
) -> list[DossierFacts]:
    """One :class:`DossierFacts` per dossier that matters to ``period``."""
    start, end = period.start_at.isoformat(), period.end_at.isoformat()
    rows = q.report_rows(db, start, end, procedure)
    rows += q.returned_rows(db, start, end, procedure)
    rated = q.ratings_between(db, start, end)
    wanted = {r[0] for r in rows}
    missing = sorted({r[0] for r in rated} - wanted)
    if missing:  # rated in the period, closed and returned before it: rare
        rows += q.rows_by_id(db, missing, procedure)
        wanted.update(r[0] for r in rows)

    supplements: dict[str, list[Supplement]] = {}
    refusals: dict[str, str | None] = {}
    for seq, dossier_id, action, at, reason_enc in q.supplement_events(db, end):
        if dossier_id not in wanted:
            continue
        moment = _vn(at)
        in_period = period.contains(moment)
        if action == "request_supplement":
            reason = _reason(keys, seq, reason_enc) if in_period else None
            supplements.setdefault(dossier_id, []).append(Supplement(moment, reason))
        elif action == "supplement":
            chain = supplements.get(dossier_id)
            if chain and chain[-1].resubmitted_at is None:
                last = chain[-1]
                chain[-1] = Supplement(last.requested_at, last.reason, moment)
        else:
            refusals[dossier_id] = _reason(keys, seq, reason_enc) if in_period else None

    ratings: dict[str, Rating] = {}
    for dossier_id, level, comment_enc, at in rated:
        comment = None
        if comment_enc is not None:
            comment = keys.decrypt(RATINGS_TABLE, dossier_id, 1, comment_enc).decode("utf-8")
        ratings[dossier_id] = Rating(level, _vn(at), comment)
    apologies: dict[str, list[datetime]] = {}
    for dossier_id, issued_at in q.apologies_between(db, start, end):
        apologies.setdefault(dossier_id, []).append(_vn(issued_at))

    limits = {code: catalogue.get(code).time_limit_working_days for code in catalogue.codes()}
    # Due times repeat (17:00 of each working day): parse each distinct string once.
    parsed: dict[str, datetime] = {}

    def due_time(value: str | None) -> datetime | None:
        if value is None:
            return None
        moment = parsed.get(value)
        if moment is None:
            moment = parsed[value] = _vn(value)
        return moment

    fromiso = datetime.fromisoformat
    empty: tuple[Any, ...] = ()
    facts: list[DossierFacts] = []
    append = facts.append
    for dossier_id, code, proc, channel, rec, due, outcome, resolved, returned in rows:
        if rec is None:
            continue
        received_at = fromiso(rec) if rec.endswith("+07:00") else _vn(rec)
        supps = supplements.get(dossier_id)
        if supps and proc in limits:
            due_at: datetime | None = due_after_supplements(received_at, supps, limits[proc])
        else:
            due_at = due_time(due)
        ap = apologies.get(dossier_id)
        append(
            DossierFacts(
                code,
                proc,
                channel,
                received_at,
                due_at,
                None if outcome is None else _OUTCOMES[outcome],
                None if resolved is None else _vn(resolved),
                None if returned is None else _vn(returned),
                tuple(supps) if supps else empty,
                refusals.get(dossier_id),
                ratings.get(dossier_id),
                tuple(ap) if ap else empty,
            )
        )
    return facts


def _reason(keys: StationKeys, seq: int, blob: bytes | None) -> str | None:
    return None if blob is None else keys.decrypt(_AUDIT_TABLE, seq, 1, blob).decode("utf-8")


# --- the figures in SQL -----------------------------------------------------------------


def _calendar_rows(first: date, last: date) -> list[tuple[str, int, int]]:
    """(day, working, index of the day among working days) from ``first`` to ``last``:
    the TEMP calendar the SQL joins for restarted due times (shared.workdays decides)."""
    rows: list[tuple[str, int, int]] = []
    widx = 0
    day = first
    while day <= last:
        working = is_working_day(day)
        widx += working
        rows.append((day.isoformat(), int(working), widx))
        day += timedelta(days=1)
    return rows


def analyse_sql(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    period: Period,
    now: datetime,
    procedure: str | None = None,
) -> Analysis:
    """The figures of :func:`shared.reports.analyse`, counted by SQLite.

    Counting and grouping run as GROUP BY over the covering indexes (received / resolved /
    returned, channel, timeliness, chart week, ratings); Python sees one row per group,
    the working hours of the returned dossiers (for the percentiles), the few dossiers
    still in progress at the end (judged by the same pure function) and the texts a
    report lists (reasons and comments, decrypted). ``tests/sync_server/
    test_reports_sql.py`` holds this equal to the pure pass on a generated history.
    """
    start_dt, end_dt = period.start_at, period.end_at
    as_of = min(now, end_dt)
    start, end = start_dt.isoformat(), end_dt.isoformat()
    sk = series_skeleton(period)
    limits = {code: catalogue.get(code).time_limit_working_days for code in catalogue.codes()}
    first = q.first_received(db)
    lo = min(period.start, vn_now().date()) - timedelta(days=7)
    if first:
        lo = min(lo, _vn(first).date() - timedelta(days=7))
    hi = max(period.end, as_of.date()) + timedelta(days=60 + 3 * max(limits.values(), default=0))
    q.prepare_calendar(db, _calendar_rows(lo, hi), sorted(limits.items()))

    tallies: dict[str, Tally] = {}

    def tally(code: str) -> Tally:
        t = tallies.get(code)
        if t is None:
            t = tallies[code] = Tally()
        return t

    due_suffix = "T" + OFFICE_CLOSE.isoformat() + "+07:00"
    cutoff = SAME_DAY_CUTOFF.isoformat()
    tl, sd, sat = sk.timeliness, sk.same_day, sk.satisfaction
    weeks: dict[str, int] = {}

    def week(day: str) -> int:
        w = weeks.get(day)
        if w is None:
            w = weeks[day] = sk.week_of(date.fromisoformat(day))
        return w

    for proc, day, timely, outcome, channel, n, carried, closed in q.period_counts(
        db, start, end, procedure
    ):
        t = tally(proc)
        t.carried += carried
        t.channels[channel if channel in t.channels else "other"] += n - carried
        if not closed:
            continue
        if outcome == Outcome.REFUSED:
            t.refused += closed
        elif outcome == Outcome.WITHDRAWN:
            t.withdrawn += closed
        elif timely is not None:  # a result; with a supplement: below
            t.timely[timely] += closed
            tl[week(day)][timely] += closed
    for proc, day, timely, n in q.supplemented_results(
        db, start, end, procedure, cutoff, due_suffix
    ):
        t = tally(proc)
        t.timely[timely] += n
        tl[week(day)][timely] += n

    for proc, day, received_day, supplements, n in q.returned_counts(db, start, end, procedure):
        t = tally(proc)
        bucket = sd[week(day)]
        t.returned += n
        bucket["returned"] += n
        if day == received_day:
            t.same_day += n
            bucket["same_day"] += n
            if not supplements:
                t.first_visit += n
    for proc, hours, n in q.returned_hours(db, start, end, procedure):
        tally(proc).hours.extend([hours] * n)

    for proc, level, month, n in q.rating_counts(db, start, end, procedure):
        t = tally(proc)
        t.ratings[level] = t.ratings.get(level, 0) + n
        sat[sk.month_index[(int(month[:4]), int(month[5:7]))]][level] += n
    for dossier_id, code, proc, level, rated_at, comment_enc in q.rating_comments(
        db, start, end, procedure
    ):
        comment = keys.decrypt(RATINGS_TABLE, dossier_id, 1, comment_enc).decode("utf-8")
        if comment:
            tally(proc).comments.append(
                {
                    "code": code,
                    "procedure": proc,
                    "level": level,
                    "at": _vn(rated_at).isoformat(timespec="minutes"),
                    "comment": comment,
                }
            )

    asked: dict[str, set[str]] = {}
    for seq, dossier_id, proc, reason_enc in q.supplement_requests(db, start, end, procedure):
        tally(proc).supp_reasons.append(_reason(keys, seq, reason_enc))
        asked.setdefault(proc, set()).add(dossier_id)
    for proc, ids in asked.items():
        tally(proc).supp_dossiers += len(ids)
    for _id, proc, seq, refused_at, reason_enc in q.refusals(db, start, end, procedure):
        in_period = refused_at is not None and refused_at >= start
        tally(proc).refusal_reasons.append(_reason(keys, seq, reason_enc) if in_period else None)
    for proc, n in q.apology_counts(db, start, end, procedure):
        tally(proc).apologies += n

    _judge_open(db, tally, period, as_of, procedure, limits)
    return assemble(tallies, sk, period, procedure, as_of)


def _judge_open(
    db: Database,
    tally: Any,
    period: Period,
    as_of: datetime,
    procedure: str | None,
    limits: dict[str, int],
) -> None:
    """The dossiers still in progress at the end of the period, one by one (a few hundred
    even in a busy year): awaiting a supplement, overdue (listed) or not yet due."""
    end = period.end_at.isoformat()
    rows = q.open_rows(db, end, procedure)
    chains: dict[str, list[Supplement]] = {}
    with_supplements = [r[0] for r in rows if r[5]]
    for dossier_id, action, moment in q.supplement_chains(db, with_supplements, end):
        chain = chains.setdefault(dossier_id, [])
        when = _vn(moment)
        if action == "request_supplement":
            chain.append(Supplement(when))
        elif chain and chain[-1].resubmitted_at is None:
            chain[-1] = Supplement(chain[-1].requested_at, None, when)
    clock = WorkClock()
    for dossier_id, code, proc, rec, due, _n in rows:
        if rec is None:
            continue
        received_at = _vn(rec)
        supps = chains.get(dossier_id)
        if supps and proc in limits:
            due_at: datetime | None = due_after_supplements(received_at, supps, limits[proc])
        else:
            due_at = None if due is None else _vn(due)
        f = DossierFacts(code, proc, "", received_at, due_at, supplements=tuple(supps or ()))
        tally_open(tally(proc), f, as_of, clock)


# --- the report -------------------------------------------------------------------------


def _names(catalogue: Catalogue) -> dict[str, str]:
    return {code: catalogue.get(code).name.vi for code in catalogue.codes()}


@dataclass(frozen=True)
class Report:
    """One computed report: ``view`` is the JSON answer; the rest feeds CSV and PDF."""

    view: ReportView
    names: dict[str, str]
    agency_lines: tuple[str, ...]
    place_name: str


def build_report(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    period: Period,
    procedure: str | None = None,
    now: datetime | None = None,
    *,
    pure: bool = False,
    free_text: bool = True,
) -> Report:
    """The whole report: figures, per-procedure breakdown, chart series, the desk page's
    view model (``view.page``) and the audit checkpoint of the period.

    The figures come from :func:`analyse_sql`; ``pure=True`` computes them instead with
    the reference pass over one :class:`DossierFacts` per dossier (tests compare both).
    ``free_text=False`` leaves the reasons and comments out (``without_free_text``): who
    may read them is the caller's question (``services.door.report``)."""
    if procedure is not None and procedure not in catalogue:
        raise problem("PROCEDURE_UNKNOWN", "procedure", procedure=procedure)
    moment = now or vn_now()
    if pure:
        facts = build_facts(db, keys, catalogue, period, procedure)
        analysis = analyse(facts, period, moment, procedure)
    else:
        analysis = analyse_sql(db, keys, catalogue, period, moment, procedure)
    if not free_text:
        analysis = without_free_text(analysis)
    summary, by_procedure, series = analysis.summary, analysis.by_procedure, analysis.series
    unit = get_unit(db) or {}
    names = _names(catalogue)
    head = q.audit_head_before(db, period.end_at.isoformat())
    # Every report also anchors the audit chain as it stands (signed, stored, and sent to
    # the tablets that ask): a chain cut after a report contradicts it (docs/security.md).
    with transaction(db):
        anchored = audit.anchor(db, keys, vn_now_iso())
    view = ReportView(
        unit=ReportUnit(unit.get("code"), unit.get("name")),
        period=period,
        procedure=procedure,
        generated_at=moment.isoformat(timespec="seconds"),
        summary=summary,
        by_procedure=by_procedure,
        series=series,
        page=page_view(
            summary, by_procedure, series, names, unit.get("name") or "", free_text=free_text
        ),
        free_text=free_text,
        audit_checkpoint=None if head is None else AuditCheckpoint(**head),
        audit_anchor=AuditAnchor(**anchored),
    )
    return Report(
        view,
        names,
        tuple(unit.get("agency_lines") or ("ỦY BAN NHÂN DÂN",)),
        unit.get("place_name") or "",
    )


def _checkpoint(view: ReportView) -> dict[str, Any] | None:
    return None if view.audit_checkpoint is None else wire.encode(view.audit_checkpoint)


def report_csv(report: Report) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs open Vietnamese correctly; no cell can
    start a formula (``shared.reports.csv_cell``)."""
    view = report.view
    page, head = view.page, view.audit_checkpoint
    return csv_file(
        [
            ["Báo cáo", page["title"]],
            ["Đơn vị", page["unit"]],
            ["Kỳ báo cáo", page["period"]],
            ["Phạm vi", page["scope"]],
            ["Nhật ký", "" if head is None else f"#{head.seq} {head.hash}"],
            [],
            *csv_rows(view.summary, view.by_procedure, report.names, free_text=view.free_text),
        ]
    )


def report_pdf(report: Report) -> bytes:
    view = report.view
    return render_report(
        view.page,
        agency_lines=report.agency_lines,
        place_name=report.place_name,
        generated_at=datetime.fromisoformat(view.generated_at),
        checkpoint=_checkpoint(view),
        anchor=json.dumps(wire.encode(view.audit_anchor), separators=(",", ":")),
    )


def render(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    period: Period,
    procedure: str | None,
    fmt: str,
    *,
    free_text: bool,
) -> bytes | ReportView:
    """One export (``json`` → the typed view, ``csv``/``pdf`` → bytes), read in one snapshot;
    ``free_text``: with the reasons and comments (the leader's report) or without."""
    check_export_format(fmt)
    with q.read_snapshot(db):  # every table the report reads, as of one moment
        report = build_report(db, keys, catalogue, period, procedure, free_text=free_text)
    if fmt == "json":
        return report.view
    return report_csv(report) if fmt == "csv" else report_pdf(report)
