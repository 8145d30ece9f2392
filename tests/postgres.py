"""A throw-away PostgreSQL server the tests start themselves, from the Debian `postgresql` package setup installs.

``initdb`` into a temporary folder (in memory when /dev/shm has room), ``postgres`` on a free loopback port with
its socket in that folder, stopped and deleted afterwards. PostgreSQL refuses to run as root (CI runs as root), so
there it runs as the unprivileged ``postgres`` user the package creates, through ``runuser``; as anyone else it
runs as them. Nothing is read from or written to the machine's own clusters.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

START_TIMEOUT = 30.0
SCRATCH_ROOM = 2 * 1024**3  # a container's small /dev/shm (64 MB by default) is not used


def server_binaries() -> Path:
    """The folder of ``initdb`` and ``postgres`` (Debian keeps them under /usr/lib/postgresql/<version>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL's server is not installed: run `make setup` (it installs `postgresql`)")
    return found[-1].parent


@dataclass(frozen=True)
class Postgres:
    """A running throw-away server: where to reach it, and a way to make databases on it."""

    host: str  # the socket folder
    port: int
    user: str

    def url(self, database: str) -> str:
        """A SQLAlchemy URL for ``database`` over the unix socket (psycopg 3)."""
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.host}&port={self.port}"

    def create_database(self, name: str) -> str:
        """Make an empty database; its SQLAlchemy URL."""
        with psycopg.connect(host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _scratch() -> str | None:
    """Where the cluster lives: memory (/dev/shm) when it has room, else the temporary folder. A database is a few
    hundred small files, and on a virtual machine's disk creating them was most of the time of a fresh one
    (CREATE DATABASE: 100-300 ms there, 8 ms in memory; tests/databases.py makes one per app)."""
    memory = Path("/dev/shm")
    try:
        if memory.is_dir() and os.access(memory, os.W_OK) and shutil.disk_usage(memory).free >= SCRATCH_ROOM:
            return str(memory)
    except OSError:
        pass
    return None


def _as_server_user(command: list[str]) -> list[str]:
    """Root may not run PostgreSQL: the package's unprivileged ``postgres`` user does, through runuser."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def running_postgres() -> Iterator[Postgres]:
    """Start a fresh cluster (trust authentication, loopback and its own socket only), stop and delete it after."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="readiness-pg-", dir=_scratch()))
    data = folder / "data"
    user = "postgres" if os.geteuid() == 0 else (os.environ.get("USER") or "readiness")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(
        _as_server_user([str(binaries / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8",
                         "--locale", "C.UTF-8", "--no-sync"]),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = _free_port()
    log = folder / "server.log"
    command = [
        str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(folder), "-c", "listen_addresses=",
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
    ]  # fmt: skip
    with open(log, "wb") as sink:
        process = subprocess.Popen(_as_server_user(command), stdout=sink, stderr=subprocess.STDOUT)
    server = Postgres(str(folder), port, user)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                psycopg.connect(host=server.host, port=port, user=user, dbname="postgres", connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"PostgreSQL did not start:\n{log.read_text(errors='replace')}") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(folder, ignore_errors=True)
