"""The shipped deployment files (deploy/), started here as systemd and nginx would start them.

There is no systemd in a container, so this loader reads the unit files themselves and runs exactly their
``ExecStart=``: ``%i``/``%H`` and the other specifiers, ``Environment=`` then ``EnvironmentFile=`` (which wins, as
in systemd), ``${VAR}`` in the command, ``WorkingDirectory=``, ``Type=notify`` (it waits for the process's
``READY=1`` on a ``NOTIFY_SOCKET`` of its own, as systemd does) and ``Type=oneshot`` (it waits for the command to
end and fails if it failed). The paths a unit names on a real machine (the checkout in ``/srv/readiness``, its
virtualenv, ``/etc/readiness/readiness.env``, ``/var/lib/readiness``) are mapped to this checkout, this
virtualenv and temporary files. ``User=``, the state directory and the sandboxing lines are not emulated (the
processes run as whoever runs the tests); ``systemd-analyze verify`` checks them where it is installed.

nginx runs with ``deploy/nginx.conf`` itself, in a temporary copy where only the listening ports, the upstream
nodes' ports, the certificate and the pid and log paths are changed (each change must match exactly once, so a
reshaped file fails here rather than being tested half). As root, nginx's workers drop to the file's ``user``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Unit:
    """A unit file's settings: section → key → values in the order written (keys may repeat)."""

    name: str
    sections: dict[str, dict[str, list[str]]]

    def get(self, section: str, key: str, default: str = "") -> str:
        """The last value of ``key`` (a later line overrides an earlier one), or ``default``."""
        values = self.sections.get(section, {}).get(key, [])
        return values[-1] if values else default

    def all(self, section: str, key: str) -> list[str]:
        """Every value of ``key`` (Environment= and the like add up)."""
        return list(self.sections.get(section, {}).get(key, []))


@dataclass(frozen=True)
class Installation:
    """Where the paths of the shipped files are on this machine: longest prefix first."""

    env_file: Path
    state_dir: Path
    hostname: str = field(default_factory=socket.gethostname)

    def paths(self) -> list[tuple[str, str]]:
        """(shipped prefix, local path) pairs, the most specific first."""
        return [
            ("/srv/readiness/.venv/bin", str(BIN)),
            ("/srv/readiness", str(ROOT)),
            ("/etc/readiness/readiness.env", str(self.env_file)),
            ("/var/lib/readiness", str(self.state_dir)),
        ]

    def localise(self, text: str) -> str:
        """``text`` with the shipped paths replaced by this machine's."""
        for shipped, local in self.paths():
            text = text.replace(shipped, local)
        return text


def specifiers(text: str, unit_name: str, instance: str, hostname: str) -> str:
    """systemd's specifiers in ``text`` for ``unit_name`` (``name@.service``) started as ``instance``."""
    prefix = unit_name.split("@", 1)[0].removesuffix(".service")
    full = f"{prefix}@{instance}.service" if "@" in unit_name else unit_name
    table = {"i": instance, "I": instance, "n": full, "N": full.removesuffix(".service"), "p": prefix, "P": prefix,
             "H": hostname, "t": "/run", "%": "%"}  # fmt: skip

    def one(match: re.Match[str]) -> str:
        letter = match.group(1)
        if letter not in table:
            raise ValueError(f"{unit_name}: specifier %{letter} is not emulated")
        return table[letter]

    return re.sub(r"%(.)", one, text)


def parse_unit(name: str, text: str) -> Unit:
    """Read a unit file's text: sections, ``key=value`` lines, comments, backslash continuations."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        if current is None or "=" not in line:
            raise ValueError(f"{name}: cannot read {line!r}")
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return Unit(name, sections)


def load_unit(name: str, instance: str, installation: Installation) -> Unit:
    """The shipped unit ``deploy/<name>`` as started as ``instance``, with paths mapped to this machine."""
    text = (DEPLOY / name).read_text(encoding="utf-8")
    return parse_unit(name, installation.localise(specifiers(text, name, instance, installation.hostname)))


def read_environment_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines as systemd reads an EnvironmentFile (comments, blank lines, optional quotes)."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def unit_environment(unit: Unit, base: Mapping[str, str]) -> dict[str, str]:
    """The process's environment: ``base``, then Environment= lines, then EnvironmentFile= (which wins)."""
    env = dict(base)
    for line in unit.all("Service", "Environment"):
        for assignment in shlex.split(line):
            key, _, value = assignment.partition("=")
            env[key] = value
    for line in unit.all("Service", "EnvironmentFile"):
        optional = line.startswith("-")
        path = Path(line.removeprefix("-"))
        if not path.is_file():
            if optional:
                continue
            raise FileNotFoundError(f"{unit.name}: EnvironmentFile {path} does not exist")
        env.update(read_environment_file(path))
    return env


def unit_command(unit: Unit, env: Mapping[str, str]) -> list[str]:
    """ExecStart= split into words, ``${VAR}`` replaced from ``env`` (systemd's own expansion)."""
    lines = unit.all("Service", "ExecStart")
    if len(lines) != 1:
        raise ValueError(f"{unit.name}: expected one ExecStart=, found {len(lines)}")
    line = lines[0].lstrip("-@:+!")

    def variable(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise KeyError(f"{unit.name}: ${{{name}}} is not set")
        return env[name]

    return [re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", variable, word) for word in shlex.split(line)]


@dataclass
class Started:
    """A unit's process (in a process group of its own, as systemd gives each service its own cgroup)."""

    unit: Unit
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the whole group: the machine or the service is lost, nothing shuts down cleanly."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        deadline = time.monotonic() + 20
        while group_members(self.process.pid):  # its workers too: nothing of it holds the port any more
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.unit.name}: processes {group_members(self.process.pid)} outlived SIGKILL")
            time.sleep(0.05)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the main process (KillMode=mixed), then SIGKILL whatever is left of the group."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        self.kill()

    def output(self) -> str:
        """What the process wrote so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def group_members(group: int) -> list[int]:
    """The live (not zombie) processes of process group ``group``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            found.append(int(stat.parent.name))
    return found


def start_unit(name: str, instance: str, installation: Installation, log_dir: Path) -> Started:
    """Start ``deploy/<name>`` as instance ``instance`` and return when systemd would call it started: a oneshot
    when it has finished (it must succeed), a notify service at its ``READY=1``, an exec service once running."""
    unit = load_unit(name, instance, installation)
    base = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_") and k not in ("SECRET_KEY",)}
    env = unit_environment(unit, base)
    command = unit_command(unit, env)
    kind = unit.get("Service", "Type", "simple")
    cwd = Path(unit.get("Service", "WorkingDirectory", str(ROOT)))
    if unit.all("Service", "StateDirectory"):  # /var/lib/readiness, which systemd makes for the service
        installation.state_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{unit.name.replace('@', '@' + instance).removesuffix('.service')}.log"
    notify: socket.socket | None = None
    if kind == "notify":
        socket_path = Path(tempfile.mkdtemp(prefix="notify-")) / "notify"
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(str(socket_path))
        env["NOTIFY_SOCKET"] = str(socket_path)
    with log.open("ab") as sink:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    started = Started(unit, command, env, process, log)
    try:
        if kind == "oneshot":
            code = process.wait(timeout=300)
            if code != 0:
                raise RuntimeError(f"{unit.name} failed ({code}):\n{started.output()}")
        elif notify is not None:
            _wait_ready(notify, started)
        elif kind not in ("exec", "simple"):
            raise ValueError(f"{unit.name}: Type={kind} is not emulated")
    except BaseException:
        started.kill()
        raise
    finally:
        if notify is not None:
            notify.close()
            shutil.rmtree(Path(env["NOTIFY_SOCKET"]).parent, ignore_errors=True)
    return started


def _wait_ready(notify: socket.socket, started: Started) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    notify.settimeout(0.5)
    while time.monotonic() < deadline:
        if started.process.poll() is not None:
            raise RuntimeError(f"{started.unit.name} exited with {started.process.returncode}:\n{started.output()}")
        try:
            message = notify.recv(4096).decode(errors="replace")
        except TimeoutError:
            continue
        if "READY=1" in message.split("\n"):
            return
    raise RuntimeError(f"{started.unit.name} sent no READY=1 within {START_TIMEOUT:.0f} s:\n{started.output()}")


def write_environment(path: Path, values: Mapping[str, str]) -> Path:
    """The deployment's environment file made from ``deploy/readiness.env.example``: each value given replaces the
    example's (which must have that setting, set or shown commented: the example stays the documented set); the
    rest stay as shipped."""
    lines = (DEPLOY / "readiness.env.example").read_text(encoding="utf-8").splitlines()
    missing = set(values)
    out = []
    for line in lines:
        setting = re.match(r"#?\s*([A-Z][A-Z0-9_]*)=", line)  # a setting, or an optional one shown commented
        key = setting.group(1) if setting else ""
        if key in values and key in missing:
            line = f"{key}={values[key]}"
            missing.discard(key)
        out.append(line)
    if missing:
        raise KeyError(f"readiness.env.example has no {sorted(missing)}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def systemd_verify(installation: Installation, folder: Path) -> str | None:
    """``systemd-analyze verify`` on the shipped units with this machine's paths; its complaints, None without it
    (an empty string: nothing to say)."""
    tool = shutil.which("systemd-analyze")
    if tool is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for path in sorted(DEPLOY.glob("*.service")):
        (folder / path.name).write_text(installation.localise(path.read_text(encoding="utf-8")), encoding="utf-8")
        names.append(str(folder / path.name.replace("@.", "@1.")) if "@." in path.name else str(folder / path.name))
    done = subprocess.run([tool, "verify", *names], capture_output=True, text=True, timeout=60, check=False)
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return "\n".join(complaints) if done.returncode or complaints else ""


# --- nginx -------------------------------------------------------------------------------------------------------


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throw-away ECDSA certificate for 127.0.0.1 and localhost (openssl, from Debian's package)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _replace_once(text: str, pattern: str, replacement: str) -> str:
    found = re.findall(pattern, text, flags=re.MULTILINE)
    if len(found) != 1:
        raise ValueError(f"deploy/nginx.conf: {pattern!r} matched {len(found)} times, not once")
    return re.sub(pattern, replacement, text, flags=re.MULTILINE)


def nginx_config(nodes: Sequence[int], http_port: int, https_port: int, cert: Path, key: Path, folder: Path) -> str:
    """deploy/nginx.conf with this run's ports, certificate and paths (nothing else changed)."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    servers = re.findall(r"^(\s*)server 127\.0\.0\.1:\d+ (.*);$", text, flags=re.MULTILINE)
    if not servers:
        raise ValueError("deploy/nginx.conf: no upstream server lines")
    indent, options = servers[0]
    upstream = "\n".join(f"{indent}server 127.0.0.1:{port} {options};" for port in nodes)
    text = re.sub(r"^\s*server 127\.0\.0\.1:\d+ .*;\n", "", text, count=len(servers) - 1, flags=re.MULTILINE)
    text = _replace_once(text, r"^\s*server 127\.0\.0\.1:\d+ .*;$", upstream)
    text = _replace_once(text, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace_once(text, r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    text = _replace_once(text, r"ssl_certificate \S+;", f"ssl_certificate {cert};")
    text = _replace_once(text, r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};")
    text = _replace_once(text, r"^pid \S+;", f"pid {folder / 'nginx.pid'};")
    text = _replace_once(text, r"^error_log \S+", f"error_log {folder / 'error.log'}")
    text = _replace_once(text, r"access_log \S+ readiness;", f"access_log {folder / 'access.log'} readiness;")
    if os.geteuid() != 0:  # nginx ignores `user` (with a warning) unless started as root
        text = _replace_once(text, r"^user \S+;\n", "")
    return text


@dataclass
class Nginx:
    """nginx running with the shipped configuration: its HTTPS base URL, certificate and access log."""

    url: str
    http_url: str
    cert: Path
    access_log: Path
    error_log: Path
    process: subprocess.Popen[bytes]

    def upstreams(self) -> list[str]:
        """The node each logged request went to (``upstream=`` of the access log), in order."""
        if not self.access_log.is_file():
            return []
        return re.findall(r" upstream=(.*?) us=", self.access_log.read_text(encoding="utf-8", errors="replace"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_nginx(nodes: Sequence[int], folder: Path) -> Iterator[Nginx]:
    """nginx in the foreground with deploy/nginx.conf (ports, certificate and paths substituted), stopped after."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # nginx's workers (www-data under root) reach their temp folders under the prefix
    cert, key = self_signed_certificate(folder)
    http_port, https_port = _free_port(), _free_port()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_config(nodes, http_port, https_port, cert, key, folder), encoding="utf-8")
    checked = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(conf)], capture_output=True, text=True,
                             timeout=30, check=False)  # fmt: skip
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration:\n{checked.stderr}")
    log = folder / "nginx.out"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    running = Nginx(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", cert,
                    folder / "access.log", folder / "error.log", process)  # fmt: skip
    try:
        _wait_listening(https_port, process, log)
        yield running
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not listen on {port}:\n{log.read_text(errors='replace')}")


def wait_for_node(port: int, timeout: float = START_TIMEOUT) -> None:
    """Until the app node on ``port`` answers its landing page (its workers have booted)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


# --- the worked example: nginx → app nodes → PostgreSQL + Redis + PDF workers ---------------------------------


@dataclass
class Deployment:
    """The services of one deployment on this machine, each started from its shipped file."""

    folder: Path
    installation: Installation
    database_url: str
    nginx: Nginx | None = None
    nodes: dict[int, Started] = field(default_factory=dict)  # port → app node
    workers: dict[str, Started] = field(default_factory=dict)  # instance → PDF worker

    @property
    def logs(self) -> Path:
        """Where each unit's output goes."""
        return self.folder / "logs"

    def environment(self) -> dict[str, str]:
        """The environment the units get (the migration unit's: the environment file over the process's own)."""
        unit = load_unit("readiness-migrate.service", "", self.installation)
        base = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_") and k != "SECRET_KEY"}
        return unit_environment(unit, base)

    def flask(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A ``flask --app wsgi`` command with the deployment's environment, from the checkout (as an operator
        runs one on any node)."""
        return subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=self.environment(), capture_output=True,
            text=True, timeout=120, check=False,
        )  # fmt: skip

    def start_node(self, port: int) -> Started:
        """``readiness-web@<port>``, started and answering."""
        node = start_unit("readiness-web@.service", str(port), self.installation, self.logs)
        self.nodes[port] = node
        wait_for_node(port)
        return node

    def start_worker(self, instance: str) -> Started:
        """``readiness-worker@<instance>``, started."""
        worker = start_unit("readiness-worker@.service", instance, self.installation, self.logs)
        self.workers[instance] = worker
        return worker

    def stop(self) -> None:
        """Every node and worker stopped (SIGTERM, then SIGKILL for what is left)."""
        for started in [*self.nodes.values(), *self.workers.values()]:
            started.stop(timeout=20)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    return _free_port()


@contextmanager
def running_deployment(
    folder: Path, database_url: str, redis_url: str, nodes: int = 2, workers: int = 1, **settings: str
) -> Iterator[Deployment]:
    """The environment file written from the example, the migration run, ``nodes`` app nodes and ``workers`` PDF
    workers started from their units, nginx in front with deploy/nginx.conf; everything stopped after.
    ``settings``: further values for the environment file (each must be in the example)."""
    import secrets

    folder.mkdir(parents=True, exist_ok=True)
    state = folder / "state"
    env_file = write_environment(
        folder / "readiness.env",
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": secrets.token_hex(32),
            "READINESS_PUBLIC_URL": "https://127.0.0.1",
            "READINESS_INSTANCE_DIR": str(state / "instance"),
            **settings,
        },
    )
    deployment = Deployment(folder, Installation(env_file, state), database_url)
    deployment.logs.mkdir(parents=True, exist_ok=True)
    try:
        start_unit("readiness-migrate.service", "", deployment.installation, deployment.logs)
        for _ in range(nodes):
            deployment.start_node(free_port())
        for number in range(1, workers + 1):
            deployment.start_worker(str(number))
        with running_nginx(list(deployment.nodes), folder / "nginx") as nginx:
            deployment.nginx = nginx
            yield deployment
    finally:
        deployment.stop()
