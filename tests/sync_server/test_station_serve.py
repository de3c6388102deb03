"""``serve --demo`` starts a real uvicorn station on HTTPS that prints its logins and URLs."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mobile.services.tls_pin import Pin, pinned_context
from shared import enrol_code
from sync_server.config import Paths
from sync_server.services.pki import tls


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.integration
def test_serve_demo_seeds_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    data = tmp_path / "st"
    cmd = [sys.executable, "-m", "sync_server", "serve", "--data", str(data), "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--demo"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        base = f"https://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        health = None
        pinned: httpx.Client | None = None
        while time.monotonic() < deadline:
            try:
                if pinned is None:
                    sha = tls.fingerprint_of_pem(tls.files(Paths(data)).cert.read_bytes())
                    pinned = httpx.Client(verify=pinned_context(Pin.exact(sha)), timeout=5)
                health = pinned.get(f"{base}/v1/health", timeout=1).json()
                break
            except (httpx.HTTPError, OSError):
                time.sleep(0.2)
        assert pinned is not None and health is not None
        assert health["unit"]["code"] == "000.31.22.H20"
        r = pinned.post(f"{base}/v1/auth/token", json={"username": "quantri", "pin": "567890"})
        assert r.status_code == 200 and r.json()["role"] == "admin"
        pinned.close()
        # Plain HTTP finds no station: logins never travel in clear.
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    for login in ("tiepnhan", "123456", "lanhdao", "345678", "Võ Quốc Bảo", f"{base}/docs"):
        assert login in out
    assert "Mã đăng ký máy tính bảng:" in out
    printed = out.split("Mã đăng ký máy tính bảng:")[1].split()[0]
    typed = enrol_code.parse(printed)
    assert typed is not None and typed.matches(sha)
    assert "HTTPS, chứng thư SHA-256:" in out and "trình duyệt sẽ cảnh báo" in out


def test_serve_http_refuses_a_host_other_than_loopback(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            *(sys.executable, "-m", "sync_server", "serve", "--data", str(tmp_path / "st")),
            *("--host", "0.0.0.0", "--port", str(_free_port()), "--http"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert json.loads(r.stderr.strip().splitlines()[-1])["code"] == "PLAIN_HTTP_REFUSED"
