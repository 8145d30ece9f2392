#!/usr/bin/env bash
# Install what Readiness needs on a fresh Debian/Ubuntu machine: the system packages, then a virtualenv
# in .venv with the project and its development tools. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: Python and venv for the core; Pango and HarfBuzz's subsetter for WeasyPrint (without
# libharfbuzz-subset0 WeasyPrint falls back to fontTools and a Japanese report takes ~9x longer); the Noto
# Sans CJK JP font the report is set in, and Noto Color Emoji, which fontconfig falls back to for emoji in
# clients' comments (without it they print as 〓); poppler-utils to turn PDFs into PNGs when reviewing them;
# LibreOffice Impress (no recommends: about 300 MB, under a minute) for the test that opens the proposal deck;
# PostgreSQL's server, Redis and nginx, which the tests and the scale bench start themselves on free loopback
# ports (tests/postgres.py, tests/redis_server.py, bench/) to prove the scale-out path; the app itself runs on
# SQLite with no other service unless DATABASE_URL and REDIS_URL say otherwise.
SYSTEM_PACKAGES=(python3 python3-venv python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core fontconfig poppler-utils libreoffice-impress
  postgresql redis-server nginx)
# Chromium for the browser tests (tests/e2e): on Debian, the `chromium` package (/usr/bin/chromium), which
# Playwright drives. Ubuntu ships Chromium only as a snap, which does not run in containers or CI, so there
# Playwright's own build and the libraries it needs are installed further down.
DEBIAN_CHROMIUM=no
if [ "$(. /etc/os-release 2>/dev/null && echo "${ID:-}")" = "debian" ]; then
  SYSTEM_PACKAGES+=(chromium)
  DEBIAN_CHROMIUM=yes
fi

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js and npm install axe-core, the accessibility checker the browser tests inject into each page
# (tests/a11y). Asked for by command, not by package: a Node.js from another source bundles its own npm, and
# Debian's npm package would conflict with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # constraints.txt holds the versions CI passed with (regenerate with `make lock`).
  .venv/bin/python -m pip install -q -c constraints.txt --config-settings editable_mode=compat -e ".[dev]"
  touch "$stamp"
fi
if [ "$DEBIAN_CHROMIUM" = no ] && [ ! -x /usr/bin/chromium ] && [ ! -f .venv/.playwright-chromium ]; then
  # Not Debian: Playwright's Chromium build and its system libraries (apt), downloaded once into ~/.cache.
  .venv/bin/python -m playwright install --with-deps chromium
  touch .venv/.playwright-chromium
fi
# axe-core at the exact version in tests/a11y/package-lock.json; again only when the lock changed.
if [ ! -f tests/a11y/node_modules/.installed ] || [ tests/a11y/package-lock.json -nt tests/a11y/node_modules/.installed ]; then
  npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error >/dev/null
  touch tests/a11y/node_modules/.installed
fi
# Compile the translations (.po -> .mo) when they changed.
for po in assessment/translations/*/LC_MESSAGES/messages.po; do
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    .venv/bin/pybabel compile -i "$po" -o "$mo" >/dev/null
  fi
done
