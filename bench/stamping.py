"""What issuing a signed result costs, against the floor of one bare pyHanko signature.

Per document (N khai sinh samples, after one warm-up): render the Giấy khai sinh, add the
leader's visible PAdES signature, add the commune's seal signature — exactly the calls the
station makes at approve and stamp, with the demo certificates of a temporary station.
In the same run, the floor: pyHanko signing a one-page PDF (the rendered document) with an
invisible signature and pyHanko's default settings, by a signer of its own (same key and
certificates). Prints one JSON document:

    {"documents", "full_ms": {median, p90, ...}, "bare_ms": {...}, "ratio_median",
     "cpu": {"full_ms", "bare_ms", "ratio_median"}, ...}

``*_ms`` are wall-clock times; ``cpu`` the same runs measured in this process's CPU time,
which other work on a shared machine disturbs much less.

    python bench/stamping.py --documents 50      # --smoke: 3 documents, just proves it runs
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from shared.documents.result import ResultMeta
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.services.admin import demo
from sync_server.services.office import stamping
from sync_server.services.opening import open_station
from sync_server.services.pki import certs, signing
from sync_server.store.db import transaction


def _stats(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {
        "median": round(statistics.median(s) * 1000, 2),
        "p90": round(s[min(len(s) - 1, int(len(s) * 0.9))] * 1000, 2),
        "min": round(s[0] * 1000, 2),
        "max": round(s[-1] * 1000, 2),
    }


def run(n: int, work: Path) -> dict[str, Any]:
    # pyHanko after the station package (which silences its one known upstream warning,
    # shared/upstream.py), hence imported here and not at the top.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    station = open_station(work / "station")
    today = vn_now().date()
    with station.session() as db:
        demo.seed(db)
        # SimpleSigners hold the decrypted keys in memory, as during one approval.
        with (
            transaction(db),
            certs.open_signer(db, station.keys, "lanhdao") as (leader, _),
            certs.open_signer(db, station.keys, certs.COMMUNE) as (seal, _),
        ):
            pass
    # The floor signs with pyHanko's defaults: a signer of its own, with the same key and
    # certificates, that the station's signing layer never touched.
    assert isinstance(leader, signers.SimpleSigner)  # demo certificates: keys in memory
    bare_signer = signers.SimpleSigner(
        signing_cert=leader.signing_cert,
        signing_key=leader.signing_key,
        cert_registry=leader.cert_registry,
    )
    unit = demo.DEMO_UNIT
    full: list[float] = []
    render_t: list[float] = []
    bare: list[float] = []
    full_cpu: list[float] = []
    bare_cpu: list[float] = []
    for i in range(n + 1):  # the first round warms caches (fonts, glyph outlines)
        code = f"000.31.22.H20-{today:%y%m%d}-{i + 1:04d}"
        meta = ResultMeta(
            agency_lines=tuple(unit["agency_lines"]),
            province=unit["province"],
            place_name=unit["place_name"],
            register_number=str(i + 1),
            register_book=f"01/{today.year}",
            registered_on=today,
            registration_office=unit["registration_office"],
            signer_title="CHỦ TỊCH",
            signer_name="Lê Minh Tâm",
            dossier_code=code,
            verify_text=f"http://127.0.0.1:8765/verify/{code}?sha256={'0' * 64}",
        )
        values = sample_values("1.001193", today - timedelta(days=3), i)
        c0, t0 = time.process_time(), time.perf_counter()
        rendered = stamping.render_result("khai_sinh", values, meta, demo=True)
        pdf = rendered.pdf
        layout = stamping.layout_of(rendered.boxes)
        t1 = time.perf_counter()
        signed = signing.sign_leader(
            pdf,
            leader,
            full_name="Lê Minh Tâm",
            title="CHỦ TỊCH",
            agency=unit["name"],
            at=vn_now(),
            location=unit["place_name"],
            code=code,
            box=layout.leader,
        )
        signing.sign_seal(
            signed,
            seal,
            agency_lines=[" ".join(unit["agency_lines"]), unit["province"].upper()],
            agency=unit["name"],
            location=unit["place_name"],
            code=code,
            box=layout.seal,
        )
        t2, c2 = time.perf_counter(), time.process_time()

        c3, t3 = time.process_time(), time.perf_counter()
        out = io.BytesIO()
        signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
            signers.PdfSignatureMetadata(field_name="Signature1"),
            signer=bare_signer,
            output=out,
        )
        t4, c4 = time.perf_counter(), time.process_time()
        if i:
            full.append(t2 - t0)
            render_t.append(t1 - t0)
            bare.append(t4 - t3)
            full_cpu.append(c2 - c0)
            bare_cpu.append(c4 - c3)
    full_s, bare_s = _stats(full), _stats(bare)
    full_c, bare_c = _stats(full_cpu), _stats(bare_cpu)
    return {
        "documents": n,
        "full_ms": full_s,
        "render_ms": _stats(render_t),
        "bare_ms": bare_s,
        "ratio_median": round(full_s["median"] / bare_s["median"], 2),
        "ratio_signatures_only_median": round(
            (full_s["median"] - _stats(render_t)["median"]) / bare_s["median"], 2
        ),
        "cpu": {
            "full_ms": full_c,
            "bare_ms": bare_c,
            "ratio_median": round(full_c["median"] / bare_c["median"], 2),
        },
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--documents", type=int, default=30)
    p.add_argument("--smoke", action="store_true", help="3 documents: proves it runs")
    args = p.parse_args(argv)
    n = 3 if args.smoke else max(1, args.documents)
    with tempfile.TemporaryDirectory(prefix="taicho-bench-stamp-") as tmp:
        result = run(n, Path(tmp))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
