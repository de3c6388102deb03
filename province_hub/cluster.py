"""A throw-away PostgreSQL cluster in a folder: for the tests, the benchmark and the demo.

A province runs its hub on the PostgreSQL server it already has (docs/province.md); this
module is only for machines that have Debian's ``postgresql`` package and want a private
server for a while: ``initdb`` into a fresh folder, ``pg_ctl start`` on 127.0.0.1 and a
socket inside that folder, ``pg_ctl stop -m fast`` and the folder removed at the end.
Nothing of the machine's own clusters (``pg_ctlcluster``) is touched.

PostgreSQL refuses to run as root. When this process is root (CI, this development
machine), the server runs as the ``postgres`` system user the package creates, through
``runuser -u postgres --``; the folder is handed to that user first. Connections are
``trust`` on loopback and on the folder's socket only: a throw-away cluster holds test
data, never a province's.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def _pg_bin() -> Path:
    """``TAICHO_PG_BIN``, else the newest ``/usr/lib/postgresql/N/bin`` (Debian's layout;
    bookworm ships 15)."""
    if os.environ.get("TAICHO_PG_BIN"):
        return Path(os.environ["TAICHO_PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
SERVICE_USER = "postgres"
SUPERUSER = "postgres"


class ClusterError(RuntimeError):
    """The throw-away cluster could not be made or started (with the tool's output)."""


def available() -> bool:
    """Are ``initdb`` and ``pg_ctl`` installed (Debian's ``postgresql`` package)?"""
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_service_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", SERVICE_USER, "--", *cmd]


def _run(cmd: list[str], what: str, timeout: float = 120) -> None:
    done = subprocess.run(
        _as_service_user(cmd), capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise ClusterError(f"{what} failed ({done.returncode}): {done.stdout}{done.stderr}")


@dataclass
class Cluster:
    """A running throw-away server. ``dsn(db)`` connects to one of its databases."""

    root: Path
    port: int
    _stopped: bool = field(default=False, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    def url(self, dbname: str = "postgres") -> str:
        """The same as a ``postgresql://`` URL (what ``--dsn`` also accepts)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its DSN."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # name: chosen by the caller (tests)
        return self.dsn(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        try:
            _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "stop"], "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(parent: Path | None = None, *, port: int | None = None) -> Cluster:
    """Make and start a cluster in a new folder under ``parent`` (the system temp folder
    by default); wait until it accepts connections. As root, ``parent`` must be open to
    the ``postgres`` user (the system temp folder is; pytest's ``tmp_path`` is not)."""
    if not available():
        raise ClusterError(
            f"PostgreSQL is not installed ({PG_BIN}/initdb missing): "
            "apt-get install postgresql (scripts/setup.sh --with-test-tools does)"
        )
    root = Path(tempfile.mkdtemp(prefix="taicho-pg-", dir=parent))
    data, sock = root / "data", root / "socket"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, SERVICE_USER)
        shutil.chown(sock, SERVICE_USER)
    port = port or _free_port()
    try:
        _run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            "initdb",
        )
        opts = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sock} "
            "-c fsync=on -c max_connections=60 -c shared_buffers=64MB"
        )
        _run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(root / "server.log"),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "start",
            ],
            "pg_ctl start",
        )
    except (ClusterError, subprocess.TimeoutExpired):
        log = root / "server.log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterError(f"the throw-away PostgreSQL did not start: {detail}") from None
    cluster = Cluster(root, port)
    _wait(cluster)
    return cluster


def _wait(cluster: Cluster, timeout: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(cluster.dsn(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                cluster.stop()
                raise ClusterError("the throw-away PostgreSQL accepts no connection") from None
            time.sleep(0.1)
