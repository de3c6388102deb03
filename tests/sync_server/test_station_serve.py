"""``serve --demo`` starts a real uvicorn station that prints its logins and URLs."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


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
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{base}/v1/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health is not None and health["unit"]["code"] == "000.31.22.H20"
        r = httpx.post(f"{base}/v1/auth/token", json={"username": "quantri", "pin": "567890"})
        assert r.status_code == 200 and r.json()["role"] == "admin"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    for login in ("tiepnhan", "123456", "lanhdao", "345678", "Võ Quốc Bảo", f"{base}/docs"):
        assert login in out
    assert "Mã đăng ký máy tính bảng:" in out
