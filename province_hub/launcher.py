"""Start a real hub (``python -m province_hub serve``) in a child process and wait for it.

For the tests, the benchmark and the province demo, which exercise the real process under
uvicorn (HTTPS with its own certificate by default) on a real PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sync_server.launcher import ROOT, free_port

_ADMIN = (sys.executable, "-m", "province_hub", "admin")


@dataclass
class RunningHub:
    url: str
    dsn: str
    data: Path
    proc: subprocess.Popen[bytes]
    log: Path = field(repr=False)
    tls_sha256: bytes | None = None

    def admin(self, *args: str) -> str:
        cmd = [sys.executable, "-m", "province_hub", "admin", "--dsn", self.dsn]
        out = subprocess.run(
            [*cmd, "--data", str(self.data), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return out.stdout

    def register_code(self, unit: str) -> str:
        return self.admin("register-code", "--unit", unit).splitlines()[0].strip()

    def reader_token(self, name: str = "Sở Nội vụ") -> str:
        return self.admin("reader-add", "--name", name).splitlines()[0].strip()

    def stop(self, wait: float = 10) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def kill(self) -> None:
        """``kill -9``: no shutdown of any kind."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start_hub(
    dsn: str,
    data: Path,
    *,
    tls: bool = True,
    port: int | None = None,
    province: str | None = "Đồng Tháp",
    timeout: float = 60.0,
) -> RunningHub:
    """Serve the hub on ``dsn`` at 127.0.0.1 (``province``: ``admin init`` first)."""
    data.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = data.parent / f"{data.name}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if province is not None:
        subprocess.run(
            [*_ADMIN, "--dsn", dsn, "init", "--province", province],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
            env=env,
        )
    cmd = [sys.executable, "-m", "province_hub", "serve", "--dsn", dsn, "--data", str(data)]
    cmd += ["--host", "127.0.0.1", "--port", str(port)]
    if not tls:
        cmd.append("--http")
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hub exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/v1/hub/health", timeout=1, verify=False).status_code == 200:
                fingerprint = None
                if tls:
                    from sync_server.config import Paths
                    from sync_server.services.pki import tls as station_tls

                    info = station_tls.info(Paths(data))
                    fingerprint = None if info is None else info.fingerprint
                return RunningHub(url, dsn, data, proc, log, fingerprint)
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"hub did not answer within {timeout}s")
