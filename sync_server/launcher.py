"""Start a real station in a child process and wait until it answers /v1/health.

Used by the integration tests and the benchmarks, which must exercise the real
``python -m sync_server serve`` under uvicorn rather than an in-process app. By default it
serves plain HTTP on 127.0.0.1 (``serve --http``, loopback development); ``tls=True``
serves HTTPS with the station's own certificate, as an office runs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningStation:
    url: str
    data: Path
    proc: subprocess.Popen[bytes]
    log: Path = field(repr=False)
    # SHA-256 of the station's TLS certificate when it serves HTTPS.
    tls_sha256: bytes | None = None

    def admin(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "sync_server", "admin", "--data", str(self.data), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return out.stdout

    def enroll_code(self) -> str:
        return self.admin("enroll-code").splitlines()[0].strip()

    def stop(self, wait: float = 10) -> None:
        """Ask it to stop (SIGTERM: a graceful shutdown, a scheduled station's last backup
        included), killing it after ``wait`` seconds."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _fingerprint(data: Path) -> bytes:
    from sync_server.config import Paths
    from sync_server.services.pki import tls

    return tls.fingerprint_of_pem(tls.files(Paths(data)).cert.read_bytes())


def start_station(
    data: Path,
    *,
    demo: bool = True,
    timeout: float = 60.0,
    tls: bool = False,
    port: int | None = None,
    extra: tuple[str, ...] = (),
) -> RunningStation:
    """``port``: reuse an address (a restarted station, as a tablet knows it); ``extra``:
    more ``serve`` options (e.g. ``--backup-dir``)."""
    data.parent.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = data.parent / f"{data.name}.log"
    cmd = [
        sys.executable,
        "-m",
        "sync_server",
        "serve",
        "--data",
        str(data),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if demo:
        cmd.append("--demo")
    if not tls:
        cmd.append("--http")
    cmd += extra
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"station exited:\n{log.read_text(errors='replace')}")
        try:
            # Only "is it up yet": the tests check the certificate with the tablet's pin.
            if httpx.get(f"{url}/v1/health", timeout=1, verify=False).status_code == 200:
                return RunningStation(url, data, proc, log, _fingerprint(data) if tls else None)
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"station did not answer within {timeout}s")
