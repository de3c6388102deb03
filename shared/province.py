"""Provincial figures: what a station sends for a day, and a period's summary from days.

The commune report (``shared.reports``) counts a period in one pass over the dossiers. A
province cannot have the dossiers — only counts leave a station — so each station sends,
for every day, the counters of that one day (:func:`day_figures`, the same pass run on
the one-day period) and the hub adds days up. Adding up is exact because each counter is
of one of three kinds:

* **events of the day** (received by channel, resolved early / on time / late / refused,
  withdrawn, returned, same day, first visit, ratings by level, supplement requests,
  apology letters): a period's figure is the sum over its days;
* **open when the day began** (``carried_over``): a period's figure is its first day's;
* **open when the day ended** (``not_yet_due``, ``overdue``, ``awaiting_supplement``): a
  period's figure is its last day's (judged at the end of that day, or when counted for
  today — as the commune report judges at the end of the period, or now).

Two figures are not sums and travel in a form that keeps them exact: the time to return
(``turnaround_seconds``: each returned dossier's working seconds, no dossier named; the
median and the 90th percentile are taken over the period's values) and the number of
dossiers asked for a supplement (``supplement_previous``: a dossier counts once, by its
first request inside the period, i.e. the one whose previous request lies before it).

So the province's figures of a commune equal that commune's own report for the same
period (``tests/province/test_figures.py`` holds them equal), except what names a dossier
or a person: the overdue list, the reasons and the citizens' comments stay at the station.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from shared.hub_messages import DayFigures, PreviousRequest, ProcedureDay
from shared.reports import (
    CHANNELS,
    RATING_LEVELS,
    DossierFacts,
    Period,
    ReportSeries,
    Summary,
    Tally,
    series_skeleton,
    tally_period,
)

# Open when the day began / ended: a period takes its first / last day's value.
AT_START = ("carried_over",)
AT_END = ("not_yet_due", "overdue", "awaiting_supplement")
# Events of the day: a period takes the sum.
EVENTS = (
    "new_counter",
    "new_home_visit",
    "new_other",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "returned",
    "same_day",
    "first_visit",
    "very_satisfied",
    "satisfied",
    "unsatisfied",
    "supplement_requests",
    "apology_letters",
)
COUNTERS = AT_START + EVENTS + AT_END
_CHANNEL_FIELD = {c: f"new_{c}" for c in CHANNELS}


def counters_of(t: Tally) -> dict[str, int]:
    """A tally's counters under their wire (and database column) names."""
    out = {
        "carried_over": t.carried,
        **{_CHANNEL_FIELD[c]: t.channels.get(c, 0) for c in CHANNELS},
        "early": t.timely["early"],
        "on_time": t.timely["on_time"],
        "late": t.timely["late"],
        "refused": t.refused,
        "withdrawn": t.withdrawn,
        "not_yet_due": t.not_yet_due,
        "overdue": t.overdue_n,
        "awaiting_supplement": t.awaiting,
        "returned": t.returned,
        "same_day": t.same_day,
        "first_visit": t.first_visit,
        **{level: t.ratings.get(level, 0) for level in RATING_LEVELS},
        "supplement_requests": len(t.supp_reasons),
        "apology_letters": t.apologies,
    }
    return out


def tally_of(counts: Mapping[str, int], supplement_dossiers: int = 0) -> Tally:
    """The inverse of :func:`counters_of`, but for the supplement requests (counted by
    their reasons in a tally: :func:`summary_of` sets them) — reasons and comments never
    leave a station; ``hours`` are left to the caller."""
    t = Tally()
    t.carried = counts.get("carried_over", 0)
    for c in CHANNELS:
        t.channels[c] = counts.get(_CHANNEL_FIELD[c], 0)
    for k in ("early", "on_time", "late"):
        t.timely[k] = counts.get(k, 0)
    t.refused = counts.get("refused", 0)
    t.withdrawn = counts.get("withdrawn", 0)
    t.not_yet_due = counts.get("not_yet_due", 0)
    t.overdue_n = counts.get("overdue", 0)
    t.awaiting = counts.get("awaiting_supplement", 0)
    t.returned = counts.get("returned", 0)
    t.same_day = counts.get("same_day", 0)
    t.first_visit = counts.get("first_visit", 0)
    for level in RATING_LEVELS:
        t.ratings[level] = counts.get(level, 0)
    t.supp_dossiers = supplement_dossiers  # requests: see summary_of (no reasons here)
    t.apologies = counts.get("apology_letters", 0)
    return t


def working_seconds(hours: float) -> int:
    """A tally's working hours as whole seconds (office times are kept to the second)."""
    return round(hours * 3600)


def day_figures(facts: Iterable[DossierFacts], day: date, now: datetime) -> DayFigures:
    """One day's figures of a station, per procedure (procedures with nothing that day
    left out): the commune report's own pass (``shared.reports.tally_period``) over the
    one-day period, judged at the end of the day or at ``now`` if earlier."""
    facts = list(facts)
    period = Period(day, day)
    tallies, _sk, as_of = tally_period(facts, period, now)
    previous: dict[str, Counter[str | None]] = {}
    for f in facts:
        for i, s in enumerate(f.supplements):
            if period.contains(s.requested_at):
                before = f.supplements[i - 1].requested_at.date().isoformat() if i else None
                previous.setdefault(f.procedure, Counter())[before] += 1
    out: list[ProcedureDay] = []
    for code in sorted(set(tallies) | set(previous)):
        t = tallies.get(code) or Tally()
        counts = counters_of(t)
        seconds = sorted(working_seconds(h) for h in t.hours)
        prev = previous.get(code, Counter())
        if not any(counts.values()) and not seconds and not prev:
            continue
        out.append(
            ProcedureDay(
                procedure=code,
                **counts,
                turnaround_seconds=seconds,
                supplement_previous=[
                    PreviousRequest(d, n)
                    for d, n in sorted(prev.items(), key=lambda x: (x[0] is not None, x[0] or ""))
                ],
            )
        )
    return DayFigures(day.isoformat(), as_of.isoformat(timespec="seconds"), out)


# Who counts a dossier received in one commune for another (Nghị định 118/2025/NĐ-CP;
# docs/province.md, "Who counts a relayed dossier"). Both stations hold it; its figures
# are the competent commune's, which decides it and answers for its time limit (counted
# from the receipt at the first office): received on the first office's day, resolved,
# returned and rated (the rating given at the first office's counter travels with the
# return). The receiving station counts it only until the competent one has it — until
# the competent station's first state came back (the link ``at_peer``, later
# ``returned``) — so a dossier held for a commune not in the directory, or refused there,
# is never missing from the figures. The provincial summary, the sum of the stations'
# own reports, then counts it once.
COUNTED_BY_PEER: tuple[str, ...] = ("at_peer", "returned")


def counted_here(direction: str | None, state: str | None) -> bool:
    """Whether this station's report counts a dossier with this relay link (None: none)."""
    return not (direction == "out" and state in COUNTED_BY_PEER)


@dataclass(frozen=True)
class Turnaround:
    """The time to return of a scope over a period, as the hub's database counted it:
    ``n`` values, their median (the mean of the two middle values when ``n`` is even)
    and their nearest-rank 90th percentile, in working seconds."""

    n: int
    median: float | None
    p90: int | None

    def to_dict(self) -> dict[str, Any]:
        """``turnaround_hours`` as ``shared.reports`` writes it (hours, two decimals)."""
        if not self.n or self.median is None or self.p90 is None:
            return {"count": self.n, "median": None, "p90": None}
        return {
            "count": self.n,
            "median": round(self.median / 3600, 2),
            "p90": round(self.p90 / 3600, 2),
        }


def summary_of(
    counts: Mapping[str, int],
    period: Period,
    procedure: str | None,
    as_of: datetime,
    turnaround: Turnaround,
    supplement_dossiers: int,
) -> Summary:
    """A period's :class:`shared.reports.Summary` from the hub's sums: the same figures,
    rates and shape as the commune report, without what names a dossier or a person."""
    s = tally_of(counts, supplement_dossiers).summary(period, procedure, as_of)
    return replace(
        s,
        turnaround_hours=turnaround.to_dict(),
        supplements={
            "requests": counts.get("supplement_requests", 0),
            "dossiers": supplement_dossiers,
            "reasons": [],
        },
    )


def series_of(period: Period, days: Sequence[tuple[date, Mapping[str, int]]]) -> ReportSeries:
    """The three charts of the commune report from per-day sums: timeliness by the week
    the results were ready, same-day returns by the week of return, ratings by month."""
    sk = series_skeleton(period)
    for day, c in days:
        if not period.start <= day <= period.end:
            continue
        week = sk.week_of(day)
        for k in ("early", "on_time", "late"):
            sk.timeliness[week][k] += c.get(k, 0)
        sk.same_day[week]["returned"] += c.get("returned", 0)
        sk.same_day[week]["same_day"] += c.get("same_day", 0)
        month = sk.satisfaction[sk.month_index[(day.year, day.month)]]
        for level in RATING_LEVELS:
            month[level] += c.get(level, 0)
    from shared.reports import assemble  # the rates of the buckets, as the commune's

    return assemble({}, sk, period, None, period.end_at).series
