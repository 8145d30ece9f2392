"""``pip install .`` gives a working product: the wheel built from a copy of the checkout carries the content,
the templates, the static files, the migrations and the translations (``.po``, no ``.mo``), and installed into a
fresh virtualenv, run from a folder outside the checkout, the ``readiness`` command diagnoses the bundled sample
and the web app serves Japanese pages.

Marked ``install`` (10 to 20 seconds, a third of it the proposal render, which is also marked ``pdf``;
``make check`` leaves it out, ``make test`` runs it). The wheel is built the way ``pip install .`` builds it,
with setuptools from the package index in an isolated build environment.
The virtualenv borrows the running one's dependencies through a ``.pth`` line, so nothing else is downloaded;
such a line does not run that folder's own ``.pth`` files, so the editable checkout cannot shadow the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[1]
NOT_BUILT_FROM = {".git", ".venv", ".lock-venv", "instance", "tests", "docs", "bench", "out"}  # top level
NEVER_COPIED = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "dist", "*.egg-info", ".*_cache", ".hypothesis")
DATA = "assessment/_data"


def _env() -> dict[str, str]:
    """The environment of the installed commands: no PYTHONPATH, which would put the checkout first."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def _run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _ignore(folder: str, names: list[str]) -> set[str]:
    ignored = set(NEVER_COPIED(folder, names))
    return ignored | (NOT_BUILT_FROM & set(names)) if Path(folder) == ROOT else ignored


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of the checkout as it is on disk (new files included), built in a copy so the checkout
    gains no build/ or egg-info."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_ignore)
    pip = (sys.executable, "-m", "pip", "--no-cache-dir")  # nothing written to ~/.cache
    _run(*pip, "wheel", "-q", "--no-deps", "--wheel-dir", work / "dist", source, cwd=work)
    (built,) = (work / "dist").glob("readiness-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed; its dependencies come from the running virtualenv, through
    a .pth line written after the install, so pip never sees (nor offers to uninstall) the editable checkout."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", folder, cwd=folder.parent)
    python = folder / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--no-cache-dir", "--python", python)
    _run(*pip, "install", "-q", "--no-deps", "--no-index", wheel, cwd=folder)
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(_run(python, "-c", where, cwd=folder).strip())
    shared = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site_packages / "zz_shared_dependencies.pth").write_text("".join(f"{path}\n" for path in shared))
    return folder


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working folder of the installed commands: not the checkout."""
    return tmp_path_factory.mktemp("elsewhere")


def _files_under(folder: Path, *suffixes: str) -> set[str]:
    return {
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and (not suffixes or path.suffix in suffixes)
    }


def test_the_wheel_carries_the_code_content_templates_static_files_migrations_and_catalogues(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    def expected(folder: str, inside: str, *suffixes: str) -> set[str]:
        found = _files_under(ROOT / folder, *suffixes)
        assert found, folder
        return {f"{inside}/{name}" for name in found}

    wanted = (
        expected("assessment", "assessment", ".py")
        | expected("questionnaires", f"{DATA}/questionnaires")
        | expected("templates", f"{DATA}/templates")
        | expected("migrations", f"{DATA}/migrations")
        | expected("assessment/web/static", "assessment/web/static")
        | expected("assessment/translations", "assessment/translations", ".po", ".pot")
    )
    assert sorted(wanted - names) == []
    assert f"{DATA}/questionnaires/samples/sample.yaml" in names
    assert "assessment/_data/templates/report/report.html.j2" in names
    assert "assessment/translations/ja/LC_MESSAGES/messages.po" in names
    assert [name for name in names if name.endswith(".mo")] == []  # the same wheel whether make setup ran or not


def test_the_installed_package_is_the_wheel_not_the_checkout(venv: Path, outside: Path) -> None:
    python = venv / "bin" / "python"
    found = json.loads(
        _run(
            python,
            "-c",
            "import json, assessment, flask; from assessment import resources; print(json.dumps("
            "[assessment.__file__, str(resources.content_dir()), str(resources.web_templates_dir()),"
            " str(resources.migrations_dir()), str(resources.instance_dir()), resources.installed()]))",
            cwd=outside,
        )
    )
    assert all(path.startswith(str(venv)) for path in found[:5]), found
    assert found[5] is True
    assert list((venv / "lib").rglob("assessment/**/*.mo")) == []


def test_the_installed_command_diagnoses_the_bundled_sample_in_japanese(venv: Path, outside: Path) -> None:
    python, readiness = venv / "bin" / "python", venv / "bin" / "readiness"
    sample = _run(python, "-c", "from assessment import resources; print(resources.sample_path())", cwd=outside)
    assert sample.startswith(str(venv))
    out = _run(readiness, "diagnose", sample.strip(), cwd=outside)
    assert "== THE MODEL 導入準備度診断 ==" in out
    assert "対象: 株式会社サンプル（150名）" in out
    assert "[準備度スコア（100点満点）]" in out
    assert "[想定される失敗リスク]" in out
    assert "コンテンツに問題はありません" in _run(readiness, "check-content", cwd=outside)


# Run by the installed interpreter: the app from the wheel, on the database `flask db upgrade` made in the
# default instance folder, serves the landing page, a new assessment's first page and a static file.
WEB_SCRIPT = """
import json, re
from assessment.web import create_app

client = create_app().test_client()
https = {"base_url": "https://localhost"}
landing = client.get("/", **https)
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', landing.text).group(1)
started = client.post("/start", data={"csrf_token": token}, headers={"Referer": "https://localhost/"}, **https)
first = client.get(started.headers["Location"], **https)
english = client.get("/?lang=en", **https)
css = client.get("/static/app.css", **https)
print(json.dumps({
    "landing": [landing.status_code, landing.text], "start": started.status_code,
    "first": [first.status_code, first.text], "english": english.text, "css": [css.status_code, len(css.data)],
}))
"""


def test_the_installed_web_app_speaks_japanese_without_compiled_catalogues(
    venv: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = venv / "bin" / "python"
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("READINESS_INSTANCE_DIR", raising=False)
    monkeypatch.delenv("READINESS_ENV", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    _run(python, "-m", "flask", "--app", "assessment.web:create_app", "db", "upgrade", cwd=outside)
    pages = json.loads(_run(python, "-c", WEB_SCRIPT, cwd=outside))
    assert (venv / "var" / "readiness-instance" / "readiness.db").is_file()  # the default instance folder

    status, landing = pages["landing"]
    assert status == 200
    assert '<html lang="ja">' in landing
    assert "診断をはじめる" in landing  # the app's own words, from the .po compiled in memory
    assert "Start the diagnosis" not in landing
    assert '<link rel="stylesheet" href="/static/app.css' in landing
    assert pages["start"] == 302
    status, first = pages["first"]
    assert status == 200
    assert '<html lang="ja">' in first
    assert "次へ" in first
    assert "Start the diagnosis" in pages["english"]
    assert pages["css"][0] == 200
    assert pages["css"][1] > 1000


@pytest.mark.pdf
def test_the_installed_command_renders_the_japanese_proposal(venv: Path, outside: Path) -> None:
    python, readiness = venv / "bin" / "python", venv / "bin" / "readiness"
    sample = _run(python, "-c", "from assessment import resources; print(resources.sample_path())", cwd=outside)
    _run(readiness, "report", sample.strip(), "-o", outside / "p.pdf", "--html", outside / "p.html", cwd=outside)
    assert (outside / "p.pdf").read_bytes().startswith(b"%PDF")
    html = (outside / "p.html").read_text(encoding="utf-8")
    assert "エグゼクティブサマリー" in html  # a translated heading of the report
    assert "Executive summary" not in html
