"""Citizen search over encrypted records (blind-index tokens) against a plain FTS5 floor.

Builds N citizens in a real tablet database (records sealed under the data key, one
blind-index token per folded name prefix and ID number), then runs the same queries —
full names, two-word prefixes, single given names, ID numbers, all typed without
accents — against:
  blind  — ``CitizenBook.search`` (tokens → ids → decrypt the ≤20 hits);
  floor  — a plain, unencrypted SQLite FTS5 table of the same names, folded the same way,
           queried with prefix terms and returning the same ≤20 rows.
Prints one JSON line with p50/p95 of both (ms) and the ratio of the p95s (target ≤ 2).

    python bench/citizen_search.py --citizens 50000
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from mobile.services.citizens import MAX_RESULTS, CitizenBook
from mobile.services.keystore import Keystore, Session
from mobile.services.store import TabletStore
from shared.blind_index import fold
from shared.citizen import Citizen
from shared.personal_id import make_personal_id

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = [
    "Thị",
    "Văn",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Hữu",
    "Quốc",
    "Thu",
    "Hoài",
    "Kim",
    "Xuân",
    "Gia",
    "Bảo",
]
GIVEN = [
    "Anh",
    "Ánh",
    "Bình",
    "Chi",
    "Cường",
    "Dũng",
    "Duy",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khang",
    "Khôi",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngân",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thư",
    "Trang",
    "Tú",
    "Tuấn",
    "Uyên",
    "Việt",
    "Vy",
    "Yến",
    "Đạt",
    "Đông",
    "Hằng",
    "Hiền",
    "Kiên",
    "Lộc",
    "Mỹ",
    "Nhân",
    "Oanh",
    "Quỳnh",
    "Thắng",
    "Trung",
]


def _name(rng: random.Random) -> str:
    middle = " ".join(rng.sample(MIDDLE, rng.choice((1, 1, 2))))
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}"


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def _queries(rng: random.Random, people: list[tuple[str, str]], n: int) -> list[str]:
    out = []
    for i in range(n):
        number, name = rng.choice(people)
        words = fold(name)
        kind = i % 4
        if kind == 0:
            out.append(" ".join(words))  # "nguyen thi anh"
        elif kind == 1:
            out.append(f"{words[0][:3]} {words[-1][:3]}")  # "ngu anh" — prefixes
        elif kind == 2:
            out.append(words[-1])  # the given name alone
        else:
            out.append(number)
    return out


def run(n: int, n_queries: int, work: Path) -> dict[str, object]:
    rng = random.Random(2026)
    store = TabletStore(work / "tablet")
    device_id = str(uuid.uuid4())
    store.set_meta("device_id", device_id)
    keys = Keystore(store)
    dk, _ = keys.new_device_keys(device_id)
    keys.install_data_key(dk, "123456", Session("bench", "intake", "Bench"))
    book = CitizenBook(store.db, keys)
    people = []
    t0 = time.perf_counter()
    store.db.conn.execute("BEGIN IMMEDIATE")
    for i in range(n):
        sex = rng.choice(("male", "female"))
        year = rng.randint(1930, 2024)
        number = make_personal_id("087", sex == "female", year, i)
        name = _name(rng)
        people.append((number, name))
        book.remember(Citizen(id=str(uuid.uuid4()), number=number, name=name, sex=sex))
    store.db.conn.execute("COMMIT")
    build_s = time.perf_counter() - t0

    floor = sqlite3.connect(work / "floor.db")
    floor.execute("CREATE VIRTUAL TABLE f USING fts5(name, folded, number UNINDEXED)")
    floor.executemany(
        "INSERT INTO f (name, folded, number) VALUES (?, ?, ?)",
        [(name, " ".join(fold(name)), number) for number, name in people],
    )
    floor.commit()

    queries = _queries(rng, people, n_queries)
    blind_ms, floor_ms, hits = [], [], 0
    for query in queries:
        t = time.perf_counter()
        found = book.search(query)
        blind_ms.append((time.perf_counter() - t) * 1000)
        hits += bool(found)
        t = time.perf_counter()
        if query.isdigit():
            sql, args = "SELECT name, number FROM f WHERE number = ? LIMIT ?", [query]
        else:
            match = " AND ".join(f'folded:"{w}"*' for w in fold(query))
            sql, args = "SELECT name, number FROM f WHERE f MATCH ? LIMIT ?", [match]
        floor.execute(sql, [*args, MAX_RESULTS]).fetchall()
        floor_ms.append((time.perf_counter() - t) * 1000)
    store.close()
    floor.close()
    blind_p95, floor_p95 = _pct(blind_ms, 0.95), _pct(floor_ms, 0.95)
    return {
        "benchmark": "citizen_search",
        "citizens": n,
        "queries": len(queries),
        "queries_with_hits": hits,
        "build_seconds": round(build_s, 2),
        "blind_p50_ms": round(statistics.median(blind_ms), 3),
        "blind_p95_ms": round(blind_p95, 3),
        "floor_fts5_p50_ms": round(statistics.median(floor_ms), 3),
        "floor_fts5_p95_ms": round(floor_p95, 3),
        "ratio_p95": round(blind_p95 / floor_p95, 2) if floor_p95 else None,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--smoke", action="store_true", help="tiny run that proves it works")
    args = parser.parse_args(argv)
    n, q = (200, 40) if args.smoke else (args.citizens, args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(n, q, Path(tmp))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
