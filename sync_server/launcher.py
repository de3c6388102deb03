"""Start a real station in a child process and wait until it answers /v1/health.

Used by the integration tests and the benchmarks, which must exercise the real
``python -m sync_server serve`` under uvicorn rather than an in-process app.
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

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def start_station(data: Path, *, demo: bool = True, timeout: float = 60.0) -> RunningStation:
    data.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
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
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"station exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return RunningStation(url, data, proc, log)
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"station did not answer within {timeout}s")
