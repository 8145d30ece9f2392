"""axe-core in a Playwright page: inject it, run it, and say what it found in words a person can act on.

axe-core comes from the npm registry at the exact version in ``tests/a11y/package-lock.json``; ``make setup``
(``scripts/bootstrap.sh``) installs it with ``npm ci`` into ``tests/a11y/node_modules``. A missing or stale
install fails the test with that instruction: an accessibility check that skips itself checks nothing.

The app's Content-Security-Policy forbids inline and foreign scripts, so the page must be opened in a browser
context made with ``bypass_csp=True`` (:data:`CONTEXT_OPTIONS`) for the script tag to run.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

A11Y = Path(__file__).resolve().parents[1] / "a11y"
AXE_JS = A11Y / "node_modules" / "axe-core" / "axe.min.js"
LOCK = A11Y / "package-lock.json"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CONTEXT_OPTIONS: dict[str, Any] = {"bypass_csp": True}

RUN_JS = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
  }));
}"""


@cache
def axe_source() -> str:
    """The text of axe.min.js at the locked version; fails (never skips) when it is not installed."""
    locked = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]["node_modules/axe-core"]["version"]
    installed_manifest = AXE_JS.parent / "package.json"
    if not AXE_JS.is_file() or not installed_manifest.is_file():
        pytest.fail(f"axe-core is not installed ({AXE_JS.relative_to(A11Y.parents[1])} is missing): run `make setup`")
    installed = json.loads(installed_manifest.read_text(encoding="utf-8"))["version"]
    if installed != locked:
        pytest.fail(f"axe-core {installed} is installed but the lock says {locked}: run `make setup`")
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """Inject axe into ``page`` (once) and return its violations of :data:`TAGS` on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    result: list[dict[str, Any]] = page.evaluate(RUN_JS, TAGS)
    return result


def describe(found: list[dict[str, Any]]) -> str:
    """One paragraph per violated rule: id, impact, help text, and each failing element's selector."""
    lines: list[str] = []
    for rule in found:
        lines.append(f"- {rule['id']} ({rule['impact']}, {len(rule['nodes'])} element(s)): {rule['help']}")
        lines.append(f"  {rule['helpUrl']}")
        for node in rule["nodes"]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in node["target"])
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    """Zero axe violations on ``page``; otherwise fail listing each rule and the elements that break it."""
    found = violations(page)
    assert not found, f"{what}: {len(found)} accessibility rule(s) violated ({page.url})\n{describe(found)}"
