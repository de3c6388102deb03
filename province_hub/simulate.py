"""Simulated communes for the benchmark and the tests: histories, and stations that send.

A simulated commune is a seeded, varied history of dossiers as the report sees them
(``shared.reports.DossierFacts``: supplements asked once or twice, answered or still
awaited; refusals; withdrawals; results early, at 16:59 and at 17:01 of the due day;
returns the same day or later; ratings; apology letters), and a simulated station is a
unit code with its own Ed25519 and X25519 keys that registers and sends its day figures
through the real protocol (``sync_server.services.province.client.HubClient``) — only the
SQLite behind a real station is left out, so a hundred of them fit in one process.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from shared import crypto, enrol_code
from shared import hub_messages as hm
from shared.province import day_figures
from shared.reports import DossierFacts, Outcome, Rating, Supplement, due_after_supplements
from shared.tls_pin import Pin
from shared.unit import Unit
from shared.workdays import VN_TZ, due_at
from sync_server.services.province.client import HubClient

# (code, legal time limit in working days) of the six procedures of the catalogue.
PROCEDURES = (
    ("1.001193", 0),
    ("1.000656", 0),
    ("1.000894", 5),
    ("1.004873", 3),
    ("2.000815", 0),
    ("2.000884", 0),
)


def history(n: int, seed: int, first: date, days: int, unit: str = "SIM") -> list[DossierFacts]:
    """``n`` dossiers received over ``days`` days from ``first`` (whole minutes)."""
    rng = random.Random(seed)
    out: list[DossierFacts] = []
    for i in range(n):
        day = first + timedelta(days=rng.randrange(days))
        rec = datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN_TZ) + timedelta(
            minutes=rng.randrange(11 * 60)
        )
        proc, limit = rng.choice(PROCEDURES)
        supplements: list[Supplement] = []
        t = rec
        awaiting = False
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            t += timedelta(minutes=rng.randrange(5, 90))
            reason = rng.choice(("Thiếu giấy tờ", "Sai họ tên", None))
            if rng.random() < 0.2:
                supplements.append(Supplement(t, reason))
                awaiting = True
                break
            back = t + timedelta(days=rng.choice((0, 1, 3)), minutes=rng.randrange(10, 300))
            supplements.append(Supplement(t, reason, back))
            t = back
        due = due_after_supplements(rec, supplements, limit) if supplements else due_at(rec, limit)
        facts = DossierFacts(
            code=f"{unit}-{day:%y%m%d}-{i:04d}",
            procedure=proc,
            channel=rng.choice(("counter", "counter", "home_visit", "other")),
            received_at=rec,
            due_at=due,
            supplements=tuple(supplements),
        )
        out.append(facts)
        roll = rng.random()
        if awaiting or roll < 0.08:
            if rng.random() < 0.3:
                facts.apologies = (t + timedelta(hours=3),)
            continue  # still in progress
        if roll < 0.14:
            facts.outcome, facts.resolved_at = Outcome.REFUSED, t + timedelta(minutes=30)
            facts.refusal_reason = rng.choice(("Không thuộc thẩm quyền", None))
            continue
        if roll < 0.17:
            facts.outcome, facts.resolved_at = Outcome.WITHDRAWN, t + timedelta(hours=2)
            continue
        edge = rng.random()
        if edge < 0.1:
            done = max(
                datetime.combine(due.date(), datetime.min.time(), VN_TZ)
                + timedelta(hours=16, minutes=59),
                t + timedelta(minutes=1),
            )
        elif edge < 0.2:
            done = max(due, t) + timedelta(minutes=1)
        else:
            done = t + timedelta(minutes=rng.choice((20, 60, 200, 24 * 60 + 5, 4 * 24 * 60)))
        facts.outcome, facts.resolved_at = Outcome.RESULT, done
        if rng.random() < 0.85:
            ret = done + timedelta(minutes=rng.choice((5, 30, 60 * 20, 60 * 24 * 9)))
            facts.returned_at = ret
            if rng.random() < 0.7:
                level = rng.choice(("very_satisfied", "satisfied", "unsatisfied"))
                comment = rng.choice((None, None, "Rất nhanh", "Chờ hơi lâu"))
                at = ret + timedelta(minutes=rng.choice((1, 1, 60 * 24 * 12)))
                facts.rating = Rating(level, at, comment)
    return out


def known_at(facts: list[DossierFacts], now: datetime) -> list[DossierFacts]:
    """The histories as a station knows them at ``now``: what happens later left out
    (a later result leaves the dossier open, a later return or rating is not there)."""
    out: list[DossierFacts] = []
    for f in facts:
        if f.received_at >= now:
            continue
        supplements = tuple(
            s
            if s.resubmitted_at is None or s.resubmitted_at < now
            else replace(s, resubmitted_at=None)
            for s in f.supplements
            if s.requested_at < now
        )
        closed = f.resolved_at is not None and f.resolved_at < now
        returned = f.returned_at if f.returned_at is not None and f.returned_at < now else None
        rating = f.rating if f.rating is not None and f.rating.at < now else None
        out.append(
            replace(
                f,
                outcome=f.outcome if closed else None,
                resolved_at=f.resolved_at if closed else None,
                returned_at=returned,
                rating=rating,
                supplements=supplements,
                refusal_reason=f.refusal_reason if closed else None,
                apologies=tuple(a for a in f.apologies if a < now),
            )
        )
    return out


def _last_event(f: DossierFacts) -> datetime | None:
    """The last moment a dossier changes a day's figures (None: still open)."""
    if f.outcome is None:
        return None
    moments = [f.resolved_at, f.returned_at, *f.apologies]
    moments += [s.requested_at for s in f.supplements]
    if f.rating is not None:
        moments.append(f.rating.at)
    return max(m for m in moments if m is not None)


def days_of(
    facts: list[DossierFacts], first: date, last: date, now: datetime
) -> list[hm.DayFigures]:
    """Every day's figures from ``first`` to ``last``, as a station would count them (only
    the dossiers alive on a day are passed: the station's SQL does the same)."""
    spans = [(f.received_at.date(), _last_event(f), f) for f in facts]
    out: list[hm.DayFigures] = []
    day = first
    while day <= last:
        alive = [f for rec, end, f in spans if rec <= day and (end is None or end.date() >= day)]
        out.append(day_figures(alive, day, now))
        day += timedelta(days=1)
    return out


@dataclass
class SimStation:
    """A unit code with its own keys, speaking the real protocol to a hub."""

    unit: Unit
    ed_sk: bytes = field(repr=False)
    ed_pk: bytes
    x_sk: bytes = field(repr=False)
    x_pk: bytes
    pin_sha256: bytes | None = None

    @classmethod
    def new(cls, unit: Unit) -> SimStation:
        ed_sk, ed_pk = crypto.new_ed25519()
        x_sk, x_pk = crypto.new_x25519()
        return cls(unit, ed_sk, ed_pk, x_sk, x_pk)

    def register(self, hub_url: str, code: str) -> hm.DirectoryEntry:
        parsed = enrol_code.parse(code)
        if parsed is None:
            raise ValueError("not a registration code")
        pin = Pin(parsed.matches) if parsed.pin is not None else None
        req = hm.StationRegisterRequest(
            code=parsed.secret,
            unit=self.unit,
            x25519_pub=crypto.b64e(self.x_pk),
            ed25519_pub=crypto.b64e(self.ed_pk),
        )
        with HubClient(hub_url, pin, self.unit.code, self.ed_sk) as client:
            entry = client.register(req)
        self.pin_sha256 = None if pin is None else pin.seen
        return entry

    def client(self, hub_url: str) -> HubClient:
        pin = None if self.pin_sha256 is None else Pin.exact(self.pin_sha256)
        return HubClient(hub_url, pin, self.unit.code, self.ed_sk)


def sim_unit(i: int, province: str = "Tỉnh Đồng Tháp", province_code: str = "82") -> Unit:
    """The ``i``-th simulated commune of a province (a made-up agency code)."""
    return Unit.from_dict(
        {
            "code": f"000.{i // 100:02d}.{i % 100:02d}.H{province_code}",
            "name": f"Ủy ban nhân dân xã Mô Phỏng {i}",
            "commune": f"Xã Mô Phỏng {i}",
            "province": province,
            "place_name": f"Mô Phỏng {i}",
            "agency_lines": ["ỦY BAN NHÂN DÂN", f"XÃ MÔ PHỎNG {i}"],
            "registration_office": f"Ủy ban nhân dân xã Mô Phỏng {i}",
            "former_name": "",
            "commune_code": "",
            "province_code": province_code,
        }
    )
