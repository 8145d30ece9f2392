"""Where the bundled files are found (assessment.resources): in a checkout, the top-level folders."""

from __future__ import annotations

from pathlib import Path

from assessment import resources

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_finds_its_top_level_folders() -> None:
    assert not resources.installed()
    assert resources.content_dir() == ROOT / "questionnaires"
    assert resources.sample_path() == ROOT / "questionnaires" / "samples" / "sample.yaml"
    assert (resources.web_templates_dir() / "landing.html").is_file()
    assert (resources.report_templates_dir() / "report.html.j2").is_file()
    assert (resources.static_dir() / "app.css").is_file()
    assert (resources.migrations_dir() / "env.py").is_file()
    assert (resources.translations_dir() / "ja" / "LC_MESSAGES" / "messages.po").is_file()
    assert resources.instance_dir() == ROOT / "instance"
