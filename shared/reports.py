"""Report figures of a commune one-stop shop: timeliness, same-day rate, satisfaction.

Pure functions over one declared input record per dossier (:class:`DossierFacts`), so the
station computes them from indexed columns (never by decrypting payloads), tests feed
hand-made histories, and the desk, the CSV and the PDF all show the same numbers.
Every definition (and where it comes from) is stated in ``docs/reports.md``.

A period is a range of whole days in Vietnamese time, both ends included. Counting
follows the national report form "tình hình, kết quả giải quyết TTHC": received =
carried over + new; what was received ends the period resolved, withdrawn or in progress
(``received.total == resolved.total + withdrawn + in_progress.total`` always holds).
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from shared.errors import problem
from shared.workdays import VN_TZ, due_at, is_working_day

__all__ = [
    "CHANNELS",
    "CHANNEL_LABEL_VI",
    "FREE_TEXT_NOTE",
    "PERIOD_KINDS",
    "RATING_LABEL_VI",
    "RATING_LEVELS",
    "WORK_SESSIONS",
    "Analysis",
    "DossierFacts",
    "Outcome",
    "Period",
    "Rating",
    "ReportSeries",
    "SeriesSkeleton",
    "Summary",
    "Supplement",
    "Tally",
    "WorkClock",
    "analyse",
    "assemble",
    "classify_open",
    "csv_cell",
    "csv_file",
    "csv_rows",
    "due_after_supplements",
    "overdue_entry",
    "page_view",
    "parse_period",
    "period_of",
    "report_series",
    "series_skeleton",
    "summarize",
    "summarize_by_procedure",
    "tally_period",
    "without_free_text",
    "working_hours",
]

CHANNELS = ("counter", "home_visit", "other")
CHANNEL_LABEL_VI = {"counter": "Tại quầy", "home_visit": "Tại nhà", "other": "Khác"}
RATING_LEVELS = ("very_satisfied", "satisfied", "unsatisfied")
RATING_LABEL_VI = {
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "unsatisfied": "Không hài lòng",
}
# Office hours of a commune one-stop shop (morning and afternoon sessions); turnaround is
# counted in these hours on working days only.
WORK_SESSIONS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 30), time(17)),
)
MAX_PERIOD_DAYS = 366 * 5
# Shown where the reasons and comments would be, to a reader without
# ``report.read_free_text`` (shared.permissions): free text can name citizens.
FREE_TEXT_NOTE = (
    "Lý do bổ sung, lý do từ chối và ý kiến của người dân chỉ lãnh đạo được xem "
    "(có thể nêu tên người dân); các số đếm vẫn đủ."
)


class Outcome(StrEnum):
    RESULT = "result"  # the result was ready (stamped), whether or not handed over yet
    REFUSED = "refused"  # refused after receipt (national status 8, Dừng xử lý)
    WITHDRAWN = "withdrawn"  # the citizen withdrew the dossier


@dataclass(frozen=True, slots=True)
class Supplement:
    """One request for a supplement: when, why, and when the completed dossier came back."""

    requested_at: datetime
    reason: str | None = None
    resubmitted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    level: str  # one of RATING_LEVELS
    at: datetime
    comment: str | None = None


@dataclass(slots=True)
class DossierFacts:
    """What the reports need to know about one dossier.

    All times are aware datetimes in Vietnamese time (offset +07:00: what the station and
    the tablets store); the figures read their calendar day directly. ``due_at`` is the
    due time after any supplement restart. ``resolved_at`` is when the ``outcome``
    happened: the result stamped (ready), the refusal, or the withdrawal. (Not frozen: a
    year of a ward is 100,000 of these, and a frozen dataclass is several times slower
    to build; treat it as read-only.)
    """

    code: str
    procedure: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    outcome: Outcome | None = None
    resolved_at: datetime | None = None
    returned_at: datetime | None = None
    supplements: tuple[Supplement, ...] = ()
    refusal_reason: str | None = None
    rating: Rating | None = None
    apologies: tuple[datetime, ...] = ()


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days ``start`` … ``end`` (both included), Vietnamese time."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise problem(
                "REQUEST_INVALID",
                "to",
                detail="'to' is before 'from'",
                detail_vi="ngày cuối trước ngày đầu",
            )
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise problem(
                "REQUEST_INVALID",
                "to",
                detail="the period is longer than 5 years",
                detail_vi="kỳ báo cáo dài quá 5 năm",
            )

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, VN_TZ)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, VN_TZ)

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start_at <= moment < self.end_at

    def label_vi(self) -> str:
        if self.start == self.end:
            return f"ngày {self.start:%d/%m/%Y}"
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def parse_period(start: str | None, end: str | None) -> Period:
    """``YYYY-MM-DD`` strings from a query or the command line; errors name the field."""
    days: list[date] = []
    for name, value in (("from", start), ("to", end)):
        if not value:
            raise problem(
                "REQUEST_INVALID",
                name,
                detail=f"'{name}' is missing (YYYY-MM-DD)",
                detail_vi="thiếu ngày (năm-tháng-ngày)",
            )
        try:
            days.append(date.fromisoformat(value))
        except ValueError:
            raise problem(
                "REQUEST_INVALID",
                name,
                detail=f"'{name}' must be YYYY-MM-DD",
                detail_vi="ngày phải có dạng năm-tháng-ngày",
            ) from None
    return Period(days[0], days[1])


PERIOD_KINDS = ("day", "week", "month", "quarter", "year")


def period_of(kind: str, day: date) -> Period:
    """The day, week (Monday–Sunday), month, quarter or year that contains ``day``: the
    desk's period picker (a custom period is just ``Period(start, end)``)."""
    if kind == "day":
        return Period(day, day)
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    if kind in ("month", "quarter", "year"):
        first_month = {"month": day.month, "quarter": 3 * ((day.month - 1) // 3) + 1}.get(kind, 1)
        months = {"month": 1, "quarter": 3, "year": 12}[kind]
        start = date(day.year, first_month, 1)
        y, m = divmod(first_month - 1 + months, 12)
        return Period(start, date(day.year + y, m + 1, 1) - timedelta(days=1))
    raise problem(
        "REQUEST_INVALID",
        "period",
        detail=f"period '{kind}'",
        detail_vi="loại kỳ báo cáo không hợp lệ",
    )


# --- working hours ----------------------------------------------------------------------

_SEVEN = timedelta(hours=7)
_M1S, _M1E = (
    WORK_SESSIONS[0][0].hour * 60 + WORK_SESSIONS[0][0].minute,
    (WORK_SESSIONS[0][1].hour * 60 + WORK_SESSIONS[0][1].minute),
)
_M2S, _M2E = (
    WORK_SESSIONS[1][0].hour * 60 + WORK_SESSIONS[1][0].minute,
    (WORK_SESSIONS[1][1].hour * 60 + WORK_SESSIONS[1][1].minute),
)
_DAY_MIN = (_M1E - _M1S) + (_M2E - _M2S)


def _local(moment: datetime) -> datetime:
    """The moment in Vietnamese time (free when it already carries +07:00)."""
    return moment if moment.utcoffset() == _SEVEN else moment.astimezone(VN_TZ)


class WorkClock:
    """Working minutes since a reference day, with the calendar looked up once per day."""

    __slots__ = ("_base", "_cum", "_work")

    def __init__(self) -> None:
        self._base = 0  # the ordinal of the first day in the tables
        self._cum: list[int] = []  # working minutes before each day
        self._work: list[bool] = []

    def _extend(self, ordinal: int) -> None:
        if not self._cum or ordinal < self._base:
            self._base = ordinal - 7
            self._cum, self._work = [0], []
        while len(self._cum) <= ordinal - self._base + 1:
            working = is_working_day(date.fromordinal(self._base + len(self._work)))
            self._work.append(working)
            self._cum.append(self._cum[-1] + (_DAY_MIN if working else 0))

    def minutes(self, moment: datetime) -> float:
        """Working minutes from the reference day to ``moment`` (Vietnamese time)."""
        i = moment.toordinal() - self._base
        if i < 0 or i + 1 >= len(self._cum):
            self._extend(moment.toordinal())
            i = moment.toordinal() - self._base
        if not self._work[i]:
            return self._cum[i]
        m = moment.hour * 60 + moment.minute + moment.second / 60
        if m <= _M1S:
            inside = 0.0
        elif m <= _M1E:
            inside = m - _M1S
        elif m <= _M2S:
            inside = _M1E - _M1S
        elif m <= _M2E:
            inside = _M1E - _M1S + m - _M2S
        else:
            inside = _DAY_MIN
        return self._cum[i] + inside


def working_hours(start: datetime, end: datetime, clock: WorkClock | None = None) -> float:
    """Working hours between two moments (office sessions of working days only)."""
    c = clock or WorkClock()
    # The earlier moment first: a moment before the clock's tables rebases them, which
    # would make a value read just before meaningless.
    first = c.minutes(_local(start))
    return max(0.0, (c.minutes(_local(end)) - first) / 60)


def due_after_supplements(
    received_at: datetime, supplements: Sequence[Supplement], working_days: int
) -> datetime:
    """The due time once a supplement restarted the clock: the legal time limit counted
    again from the moment the completed dossier came back (handbook, "Due time")."""
    start = received_at
    for s in supplements:
        if s.resubmitted_at is not None and s.resubmitted_at > start:
            start = s.resubmitted_at
    return due_at(start, working_days)


def _timeliness(due: datetime, done: datetime) -> str:
    """:func:`shared.workdays.timeliness` (early / on_time / late) for times already in
    Vietnamese time (this runs once per dossier of a year)."""
    if done > due:
        return "late"
    return "on_time" if done.date() == due.date() else "early"


# --- the figures ------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    """A share rounded to 0.1 %, or None when there is nothing to divide by."""
    return None if whole == 0 else round(100.0 * part / whole, 1)


def _percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (no interpolation: the value of a real dossier)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return round(sorted_values[rank - 1], 2)


def _median(sorted_values: Sequence[float]) -> float | None:
    n = len(sorted_values)
    if n == 0:
        return None
    mid = n // 2
    value = sorted_values[mid] if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2
    return round(value, 2)


def _reason_list(reasons: Iterable[str | None]) -> list[dict[str, Any]]:
    counts = Counter((r or "").strip() or "(không ghi lý do)" for r in reasons)
    return [
        {"reason": r, "count": n} for r, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    ]


@dataclass
class Summary:
    """The figures of one period (and optionally one procedure); ``to_dict`` is the JSON."""

    period_from: str
    period_to: str
    procedure: str | None
    as_of: str
    received: dict[str, Any]
    resolved: dict[str, Any]
    withdrawn: int
    in_progress: dict[str, Any]
    same_day: dict[str, Any]
    turnaround_hours: dict[str, Any]
    satisfaction: dict[str, Any]
    supplements: dict[str, Any]
    refusals: dict[str, Any]
    apology_letters: int
    overdue: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)  # every value is already plain JSON data


@dataclass
class ReportSeries:
    """What the three charts draw (desk and PDF): one entry per bucket, in order."""

    timeliness_by_week: list[dict[str, Any]]  # {label, start, early, on_time, late}
    satisfaction_by_month: list[dict[str, Any]]  # {label, very_satisfied, ..., rate}
    same_day_by_week: list[dict[str, Any]]  # {label, start, returned, same_day, rate}

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Analysis:
    """Everything one pass over the facts yields: the whole office, each procedure, charts."""

    summary: Summary
    by_procedure: dict[str, Summary]
    series: ReportSeries


def _awaiting_supplement(f: DossierFacts, moment: datetime) -> bool:
    """A supplement was asked for before ``moment`` and the dossier had not come back."""
    for s in reversed(f.supplements):
        if s.requested_at < moment:
            return s.resubmitted_at is None or s.resubmitted_at >= moment
    return False


class Tally:
    """The counters of one scope (one procedure); scopes add up to the whole office."""

    def __init__(self) -> None:
        self.carried = 0
        self.channels = dict.fromkeys(CHANNELS, 0)
        self.timely = {"early": 0, "on_time": 0, "late": 0}
        self.refused = 0
        self.withdrawn = 0
        self.not_yet_due = 0
        self.overdue_n = 0
        self.awaiting = 0
        self.overdue: list[dict[str, Any]] = []
        self.returned = 0
        self.same_day = 0
        self.first_visit = 0
        self.hours: list[float] = []
        self.ratings = dict.fromkeys(RATING_LEVELS, 0)
        self.comments: list[dict[str, Any]] = []
        self.supp_reasons: list[str | None] = []
        self.supp_dossiers = 0
        self.refusal_reasons: list[str | None] = []
        self.apologies = 0

    def add(self, other: Tally) -> None:
        for name, value in other.__dict__.items():
            mine = getattr(self, name)
            if isinstance(value, dict):
                for k, v in value.items():
                    mine[k] = mine.get(k, 0) + v
            elif isinstance(value, list):
                mine.extend(value)
            else:
                setattr(self, name, mine + value)

    def summary(self, period: Period, procedure: str | None, as_of: datetime) -> Summary:
        timely = self.timely
        new = sum(self.channels.values())
        timed = sum(timely.values())
        resolved_total = timed + self.refused
        rated = sum(self.ratings.values())
        hours = sorted(self.hours)
        return Summary(
            period_from=period.start.isoformat(),
            period_to=period.end.isoformat(),
            procedure=procedure,
            as_of=_local(as_of).isoformat(timespec="seconds"),
            received={
                "total": self.carried + new,
                "carried_over": self.carried,
                "new": new,
                "new_by_channel": dict(self.channels),
            },
            resolved={
                "total": resolved_total,
                **timely,
                "refused": self.refused,
                "rates": {
                    "early": _rate(timely["early"], resolved_total),
                    "on_time": _rate(timely["on_time"], resolved_total),
                    "late": _rate(timely["late"], resolved_total),
                    "refused": _rate(self.refused, resolved_total),
                    "early_or_on_time": _rate(timely["early"] + timely["on_time"], timed),
                },
            },
            withdrawn=self.withdrawn,
            in_progress={
                "total": self.not_yet_due + self.overdue_n + self.awaiting,
                "not_yet_due": self.not_yet_due,
                "overdue": self.overdue_n,
                "awaiting_supplement": self.awaiting,
            },
            same_day={
                "returned": self.returned,
                "same_day": self.same_day,
                "same_day_rate": _rate(self.same_day, self.returned),
                "first_visit": self.first_visit,
                "first_visit_rate": _rate(self.first_visit, self.returned),
            },
            turnaround_hours={
                "count": len(hours),
                "median": _median(hours),
                "p90": _percentile(hours, 90),
            },
            satisfaction={
                "total": rated,
                **self.ratings,
                "rate": _rate(self.ratings["very_satisfied"] + self.ratings["satisfied"], rated),
                "comments": sorted(self.comments, key=lambda c: (c["at"], c["code"])),
            },
            supplements={
                "requests": len(self.supp_reasons),
                "dossiers": self.supp_dossiers,
                "reasons": _reason_list(self.supp_reasons),
            },
            refusals={"total": self.refused, "reasons": _reason_list(self.refusal_reasons)},
            apology_letters=self.apologies,
            overdue=sorted(self.overdue, key=lambda o: (o["due_at"], o["code"])),
        )


def _week_starts(period: Period) -> list[date]:
    first = period.start - timedelta(days=period.start.weekday())
    out = []
    d = first
    while d <= period.end:
        out.append(d)
        d += timedelta(days=7)
    return out


def _months(period: Period) -> list[tuple[int, int]]:
    out = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@dataclass
class SeriesSkeleton:
    """Empty chart buckets of a period, filled by :func:`analyse` or the station's SQL."""

    timeliness: list[dict[str, Any]]
    same_day: list[dict[str, Any]]
    satisfaction: list[dict[str, Any]]
    month_index: dict[tuple[int, int], int]
    first_monday: date

    def week_of(self, day: date) -> int:
        """Index of the chart week that holds ``day``."""
        return (day.toordinal() - self.first_monday.toordinal()) // 7


def series_skeleton(period: Period) -> SeriesSkeleton:
    weeks = _week_starts(period)
    tl: list[dict[str, Any]] = []
    sd: list[dict[str, Any]] = []
    for w in weeks:
        label = f"{max(w, period.start):%d/%m}"
        tl.append({"label": label, "start": w.isoformat(), "early": 0, "on_time": 0, "late": 0})
        sd.append({"label": label, "start": w.isoformat(), "returned": 0, "same_day": 0})
    months = _months(period)
    sat: list[dict[str, Any]] = [
        {"label": f"{m:02d}/{y}"} | dict.fromkeys(RATING_LEVELS, 0) for y, m in months
    ]
    return SeriesSkeleton(tl, sd, sat, {ym: i for i, ym in enumerate(months)}, weeks[0])


def classify_open(f: DossierFacts, as_of: datetime) -> str:
    """``awaiting_supplement``, ``overdue`` or ``not_yet_due``: a dossier still in
    progress, judged at ``as_of`` (the clock stops while a supplement is awaited)."""
    if f.supplements and _awaiting_supplement(f, as_of):
        return "awaiting_supplement"
    if f.due_at is not None and as_of > f.due_at:
        return "overdue"
    return "not_yet_due"


EXPORT_FORMATS = ("json", "csv", "pdf")


def check_export_format(fmt: str) -> None:
    """A report is exported as JSON, CSV or PDF: anything else is ``REQUEST_INVALID``
    naming ``format`` (the commune's report and the province's summary alike)."""
    if fmt not in EXPORT_FORMATS:
        raise problem(
            "REQUEST_INVALID",
            "format",
            detail="format: json, csv or pdf",
            detail_vi="định dạng: json, csv hoặc pdf",
        )


def tally_open(t: Tally, f: DossierFacts, as_of: datetime, clock: WorkClock) -> None:
    """Count one dossier still in progress at ``as_of`` in ``t``: awaiting a supplement,
    overdue (listed), or not yet due. The reference pass and the station's SQL pass
    both count this way."""
    state = classify_open(f, as_of)
    if state == "awaiting_supplement":
        t.awaiting += 1
    elif state == "overdue":
        t.overdue_n += 1
        t.overdue.append(overdue_entry(f, as_of, clock))
    else:
        t.not_yet_due += 1


def overdue_entry(
    f: DossierFacts, as_of: datetime, clock: WorkClock | None = None
) -> dict[str, Any]:
    """One line of the overdue list (``f`` is overdue at ``as_of``)."""
    assert f.due_at is not None
    return {
        "code": f.code,
        "procedure": f.procedure,
        "received_at": f.received_at.isoformat(timespec="minutes"),
        "due_at": f.due_at.isoformat(timespec="minutes"),
        "working_hours_overdue": round(working_hours(f.due_at, as_of, clock), 1),
    }


def analyse(
    facts: Iterable[DossierFacts],
    period: Period,
    now: datetime,
    procedure: str | None = None,
) -> Analysis:
    """All figures for ``period`` (only ``procedure`` if given), judged as of ``now``, in
    one pass: the whole office, each procedure, and the chart series.

    In-progress dossiers are judged at the end of the period, or at ``now`` if the period
    has not ended yet (a dossier cannot be overdue in the future). Chart weeks start on
    Monday; the first and last may be cut by the period's ends. This is the reference
    definition; the station computes the same figures with SQL over indexed columns
    (``sync_server.services.reports.reports``), and a test holds the two equal.
    """
    tallies, sk, as_of = tally_period(facts, period, now, procedure)
    return assemble(tallies, sk, period, procedure, as_of)


def tally_period(
    facts: Iterable[DossierFacts],
    period: Period,
    now: datetime,
    procedure: str | None = None,
) -> tuple[dict[str, Tally], SeriesSkeleton, datetime]:
    """The counters behind :func:`analyse`, one :class:`Tally` per procedure, before they
    become summaries: what a station sends its provincial hub for one day
    (``shared.province``), where every counter must be kept, even a procedure whose only
    event of the day was a return. Returns (tallies, chart buckets, the moment judged)."""
    start, end = period.start_at, period.end_at
    as_of = min(now, end)
    clock = WorkClock()
    tallies: dict[str, Tally] = {}
    sk = series_skeleton(period)
    tl, sd, sat, month_index = sk.timeliness, sk.same_day, sk.satisfaction, sk.month_index
    first_monday = sk.first_monday.toordinal()

    def week_of(moment: datetime) -> int:
        return (moment.toordinal() - first_monday) // 7

    for f in facts:
        if procedure is not None and f.procedure != procedure:
            continue
        rec = f.received_at
        if rec >= end:
            continue
        t = tallies.get(f.procedure)
        if t is None:
            t = tallies[f.procedure] = Tally()
        res = f.resolved_at
        # Events inside the period count even for a dossier closed earlier (a late rating).
        rating = f.rating
        if rating is not None and start <= rating.at < end:
            t.ratings[rating.level] = t.ratings.get(rating.level, 0) + 1
            local = rating.at
            sat[month_index[(local.year, local.month)]][rating.level] += 1
            if rating.comment:
                t.comments.append(
                    {
                        "code": f.code,
                        "procedure": f.procedure,
                        "level": rating.level,
                        "at": local.isoformat(timespec="minutes"),
                        "comment": rating.comment,
                    }
                )
        if f.supplements:
            asked = [s for s in f.supplements if start <= s.requested_at < end]
            if asked:
                t.supp_dossiers += 1
                t.supp_reasons.extend(s.reason for s in asked)
        for a in f.apologies:
            if start <= a < end:
                t.apologies += 1
        ret = f.returned_at
        if ret is not None and start <= ret < end:
            t.returned += 1
            bucket = sd[week_of(ret)]
            bucket["returned"] += 1
            if ret.date() == rec.date():
                t.same_day += 1
                bucket["same_day"] += 1
                if not f.supplements:
                    t.first_visit += 1
            at_receipt = clock.minutes(rec)  # first: the earlier moment (see working_hours)
            t.hours.append(max(0.0, (clock.minutes(ret) - at_receipt) / 60))
        outcome = f.outcome
        if outcome is not None and res is not None and res < start:
            continue  # closed before the period

        # Received: carried over, or new in the period by channel.
        if rec < start:
            t.carried += 1
        else:
            ch = f.channel if f.channel in t.channels else "other"
            t.channels[ch] += 1

        # Closed in the period, or still in progress at its end.
        if outcome is not None and res is not None and res < end:
            if outcome is Outcome.RESULT:
                kind = "on_time" if f.due_at is None else _timeliness(f.due_at, res)
                t.timely[kind] += 1
                tl[week_of(res)][kind] += 1
            elif outcome is Outcome.REFUSED:
                t.refused += 1
                t.refusal_reasons.append(f.refusal_reason)
            else:
                t.withdrawn += 1
            continue
        tally_open(t, f, as_of, clock)
    return tallies, sk, as_of


def assemble(
    tallies: dict[str, Tally],
    sk: SeriesSkeleton,
    period: Period,
    procedure: str | None,
    as_of: datetime,
) -> Analysis:
    """The whole office (the sum of the procedures' tallies), each procedure that has
    anything in the period, and the chart series with their rates."""
    whole = Tally()
    by_procedure: dict[str, Summary] = {}
    for code in sorted(tallies):
        whole.add(tallies[code])
        s = tallies[code].summary(period, code, as_of)
        if s.received["total"] or s.satisfaction["total"]:
            by_procedure[code] = s
    for b in sk.same_day:
        b["rate"] = _rate(b["same_day"], b["returned"])
    for m in sk.satisfaction:
        total = sum(m[level] for level in RATING_LEVELS)
        m["rate"] = _rate(m["very_satisfied"] + m["satisfied"], total)
    return Analysis(
        whole.summary(period, procedure, as_of),
        by_procedure,
        ReportSeries(sk.timeliness, sk.satisfaction, sk.same_day),
    )


def without_free_text(a: Analysis) -> Analysis:
    """The analysis with its free text left out — supplement and refusal reasons, the
    citizens' comments — for a reader who may see figures but no personal data. Every
    count (requests, refusals, ratings) stays as it was."""

    def strip(x: Summary) -> Summary:
        return replace(
            x,
            satisfaction={**x.satisfaction, "comments": []},
            supplements={**x.supplements, "reasons": []},
            refusals={**x.refusals, "reasons": []},
        )

    return Analysis(
        strip(a.summary), {code: strip(x) for code, x in a.by_procedure.items()}, a.series
    )


def summarize(
    facts: Iterable[DossierFacts],
    period: Period,
    now: datetime,
    procedure: str | None = None,
) -> Summary:
    """The figures of ``period`` (see :func:`analyse`)."""
    return analyse(facts, period, now, procedure).summary


def summarize_by_procedure(
    facts: Iterable[DossierFacts], period: Period, now: datetime
) -> dict[str, Summary]:
    """One summary per procedure that has anything in the period (sorted by code)."""
    return analyse(facts, period, now).by_procedure


def report_series(
    facts: Iterable[DossierFacts], period: Period, procedure: str | None = None
) -> ReportSeries:
    """Weekly timeliness, monthly satisfaction and weekly same-day rate for the charts."""
    return analyse(facts, period, period.end_at, procedure).series


# --- what the desk page, the CSV and the PDF show ----------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " giờ"


def _table(s: Summary) -> list[tuple[str, str, str]]:
    """(section, indicator, value) rows in the order of the national report form."""
    r, v = s.resolved, s.resolved["rates"]
    p, sd, t, sat = s.in_progress, s.same_day, s.turnaround_hours, s.satisfaction
    rows: list[tuple[str, str, str]] = [
        ("Tiếp nhận", "Tổng số hồ sơ", str(s.received["total"])),
        ("Tiếp nhận", "Từ kỳ trước chuyển sang", str(s.received["carried_over"])),
        ("Tiếp nhận", "Mới tiếp nhận trong kỳ", str(s.received["new"])),
    ]
    rows += [
        ("Tiếp nhận", f"– {CHANNEL_LABEL_VI[c]}", str(s.received["new_by_channel"][c]))
        for c in CHANNELS
    ]
    rows += [
        ("Đã giải quyết", "Tổng số", str(r["total"])),
        ("Đã giải quyết", "Trước hạn", f"{r['early']} ({_pct(v['early'])})"),
        ("Đã giải quyết", "Đúng hạn", f"{r['on_time']} ({_pct(v['on_time'])})"),
        ("Đã giải quyết", "Quá hạn", f"{r['late']} ({_pct(v['late'])})"),
        ("Đã giải quyết", "Từ chối (dừng xử lý)", f"{r['refused']} ({_pct(v['refused'])})"),
        ("Đã giải quyết", "Tỷ lệ trước hạn và đúng hạn", _pct(v["early_or_on_time"])),
        ("Rút hồ sơ", "Công dân rút hồ sơ", str(s.withdrawn)),
        ("Đang giải quyết", "Tổng số", str(p["total"])),
        ("Đang giải quyết", "Chưa đến hạn", str(p["not_yet_due"])),
        ("Đang giải quyết", "Quá hạn", str(p["overdue"])),
        ("Đang giải quyết", "Chờ bổ sung", str(p["awaiting_supplement"])),
        ("Ngày không hẹn", "Hồ sơ đã trả kết quả", str(sd["returned"])),
        (
            "Ngày không hẹn",
            "Nhận và trả trong ngày",
            f"{sd['same_day']} ({_pct(sd['same_day_rate'])})",
        ),
        (
            "Ngày không hẹn",
            "Trả ngay lần đầu, không bổ sung",
            f"{sd['first_visit']} ({_pct(sd['first_visit_rate'])})",
        ),
        ("Thời gian giải quyết", "Trung vị (giờ làm việc)", _hours(t["median"])),
        ("Thời gian giải quyết", "Phân vị 90 (giờ làm việc)", _hours(t["p90"])),
        ("Hài lòng", "Số lượt đánh giá", str(sat["total"])),
    ]
    rows += [("Hài lòng", RATING_LABEL_VI[level], str(sat[level])) for level in RATING_LEVELS]
    rows += [
        ("Hài lòng", "Tỷ lệ hài lòng", _pct(sat["rate"])),
        ("Bổ sung", "Số lần yêu cầu bổ sung", str(s.supplements["requests"])),
        ("Bổ sung", "Số hồ sơ phải bổ sung", str(s.supplements["dossiers"])),
        ("Xin lỗi", "Phiếu xin lỗi đã phát hành", str(s.apology_letters)),
    ]
    return rows


# --- free text and the CSV file ------------------------------------------------------


# OWASP "CSV Injection": a spreadsheet runs a cell that starts with one of these as a
# formula (=HYPERLINK(...) sends the sheet's cells away; tab and CR start one in some
# programs after they trim). The full-width forms are refused too: some spreadsheet
# programs fold them to ASCII on input.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet runs: a leading apostrophe when it would
    start a formula (Excel and LibreOffice then show it as text, apostrophe hidden)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_file(rows: Iterable[Sequence[str]]) -> bytes:
    """Rows as a CSV file: UTF-8 with a BOM (spreadsheets then read Vietnamese right),
    CRLF line ends, every cell through :func:`csv_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([csv_cell(str(cell)) for cell in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def csv_rows(
    summary: Summary,
    by_procedure: dict[str, Summary],
    names: dict[str, str],
    *,
    free_text: bool = True,
) -> list[list[str]]:
    """The CSV export as rows (header first): the whole office, then each procedure,
    then the reasons and comments (or, ``free_text=False``, a line saying who may read
    them). Writing them (BOM, quoting) is the caller's job."""
    rows: list[list[str]] = [["Phạm vi", "Nhóm", "Chỉ tiêu", "Giá trị"]]
    scopes = [("Tất cả thủ tục", summary)] + [
        (f"{code} {names.get(code, '')}".strip(), s) for code, s in by_procedure.items()
    ]
    for scope, s in scopes:
        rows += [[scope, g, k, v] for g, k, v in _table(s)]
    for item in summary.supplements["reasons"]:
        rows.append(["Lý do bổ sung", "", item["reason"], str(item["count"])])
    for item in summary.refusals["reasons"]:
        rows.append(["Lý do từ chối", "", item["reason"], str(item["count"])])
    for c in summary.satisfaction["comments"]:
        rows.append(["Ý kiến", RATING_LABEL_VI[c["level"]], c["code"], c["comment"]])
    if not free_text:
        rows.append(["Lý do và ý kiến", "", FREE_TEXT_NOTE, ""])
    return rows


def page_view(
    summary: Summary,
    by_procedure: dict[str, Summary],
    series: ReportSeries,
    names: dict[str, str],
    unit_name: str = "",
    *,
    free_text: bool = True,
) -> dict[str, Any]:
    """The report page as plain data for the desk (and the PDF): title, tiles, tables,
    charts, overdue list — every label in Vietnamese, every number already formatted.
    ``free_text=False`` (a summary passed through :func:`without_free_text`): the page
    says so, and the desk and the PDF show :data:`FREE_TEXT_NOTE` instead."""
    r, sd, sat = summary.resolved, summary.same_day, summary.satisfaction
    period = Period(date.fromisoformat(summary.period_from), date.fromisoformat(summary.period_to))
    scope = names.get(summary.procedure, summary.procedure) if summary.procedure else None
    return {
        "title": "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "unit": unit_name,
        "period": period.label_vi().capitalize(),
        "scope": scope or "Tất cả thủ tục",
        "as_of": summary.as_of,
        "tiles": [
            {"label": "Tiếp nhận", "value": str(summary.received["total"])},
            {"label": "Trước hạn và đúng hạn", "value": _pct(r["rates"]["early_or_on_time"])},
            {"label": "Nhận và trả trong ngày", "value": _pct(sd["same_day_rate"])},
            {"label": "Hài lòng", "value": _pct(sat["rate"])},
            {"label": "Đang quá hạn", "value": str(summary.in_progress["overdue"])},
        ],
        "table": [{"group": g, "label": k, "value": v} for g, k, v in _table(summary)],
        "procedures": [
            {
                "code": code,
                "name": names.get(code, code),
                "received": s.received["total"],
                "early": s.resolved["early"],
                "on_time": s.resolved["on_time"],
                "late": s.resolved["late"],
                "refused": s.resolved["refused"],
                "in_progress": s.in_progress["total"],
                "overdue": s.in_progress["overdue"],
                "same_day_rate": _pct(s.same_day["same_day_rate"]),
                "satisfaction_rate": _pct(s.satisfaction["rate"]),
            }
            for code, s in by_procedure.items()
        ],
        "charts": series.to_dict(),
        "overdue": [
            o | {"procedure_name": names.get(o["procedure"], o["procedure"])}
            for o in summary.overdue
        ],
        "supplement_reasons": summary.supplements["reasons"],
        "refusal_reasons": summary.refusals["reasons"],
        "comments": [c | {"level_label": RATING_LABEL_VI[c["level"]]} for c in sat["comments"]],
        "free_text": free_text,
    }
