"""A throw-away Redis server the tests (and the scale bench) start themselves, from Debian's `redis-server`.

On a free loopback port, nothing saved to disk, stopped afterwards. As root (CI) it runs as the unprivileged
``redis`` user the package creates, through ``runuser``, the same way ``tests/postgres.py`` runs PostgreSQL;
as anyone else it runs as them. The machine's own Redis, if any, is never touched.
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

import redis

START_TIMEOUT = 20.0


@dataclass(frozen=True)
class RedisServer:
    """A running throw-away Redis: its URL and the process (for a test that needs to stop it)."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def flush(self) -> None:
        """Forget everything (between tests that share the server)."""
        redis.Redis.from_url(self.url).flushall()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_binary() -> str:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else "")
    if not found:
        raise RuntimeError("Redis is not installed: run `make setup` (it installs `redis-server`)")
    return found


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    """Start a fresh Redis on 127.0.0.1 (no persistence), stop it after."""
    folder = Path(tempfile.mkdtemp(prefix="readiness-redis-"))
    command = [_server_binary(), "--port", str(_free_port()), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(folder), "--daemonize", "no", "--loglevel", "warning"]  # fmt: skip
    if os.geteuid() == 0:
        shutil.chown(folder, "redis", "redis")
        command = ["runuser", "-u", "redis", "--", *command]
    port = int(command[command.index("--port") + 1])
    log = folder / "server.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    server = RedisServer(port, process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1).ping():
                    break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Redis did not start:\n{log.read_text(errors='replace')}") from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(folder, ignore_errors=True)
