"""Who the proposal comes from: firm name, consultant, accent colour and logo, from a YAML file or env.

``READINESS_BRANDING`` names a YAML file with any of ``firm_name``, ``prepared_by``, ``accent_color``
(#rrggbb) and ``logo`` (an SVG or PNG path, relative to the file). ``READINESS_FIRM_NAME``,
``READINESS_PREPARED_BY`` and ``READINESS_ACCENT_COLOR`` override single values. Without any of it the
proposal carries a neutral look. A firm's own look, set by its admin in the web app, goes over all of it
(:func:`with_firm`): its logo's bytes become a file named by their SHA-256, the one file the renderer may read.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from assessment.documents import DocumentError, load_document
from assessment.errors import ReadinessError
from assessment.presentation.charts import DEFAULT_ACCENT

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
FIRM_LOGO_TYPES = {"image/png": ".png", "image/jpeg": ".jpg"}  # what a firm may upload (checked on upload)


class BrandingError(ReadinessError):
    """The branding configuration is invalid; the message names the field."""


@dataclass(frozen=True)
class Branding:
    """Who the proposal comes from and how it looks."""

    firm_name: str = "Readiness"
    prepared_by: str = ""
    accent_color: str = DEFAULT_ACCENT
    logo_path: str | None = None


def load_branding(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Branding:
    """Read branding from ``path`` (or READINESS_BRANDING) and the READINESS_* variables; validate it."""
    environ = os.environ if environ is None else environ
    source = path or environ.get("READINESS_BRANDING")
    values: dict[str, str] = {}
    base = Path.cwd()
    if source:
        file = Path(source)
        try:
            data = load_document(file.read_bytes())
        except (OSError, DocumentError) as exc:
            raise BrandingError(f"{file}: cannot read the branding file ({exc})") from None
        if not isinstance(data, dict):
            raise BrandingError(f"{file}: must be a mapping of firm_name, prepared_by, accent_color, logo")
        unknown = set(data) - {"firm_name", "prepared_by", "accent_color", "logo"}
        if unknown:
            raise BrandingError(f"{file}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        values = {str(k): str(v) for k, v in data.items() if v is not None}
        base = file.resolve().parent
    for field in ("firm_name", "prepared_by", "accent_color"):
        if environ.get(f"READINESS_{field.upper()}"):
            values[field] = environ[f"READINESS_{field.upper()}"]
    return _validated(values, base)


def _validated(values: Mapping[str, str], base: Path) -> Branding:
    default = Branding()
    colour = values.get("accent_color", default.accent_color)
    if not HEX_COLOUR.match(colour):
        raise BrandingError(f"accent_color: '{colour[:20]}' is not a colour like #1f4e79")
    logo = values.get("logo")
    logo_path = None
    if logo:
        candidate = (base / logo).resolve()
        if candidate.suffix.lower() not in LOGO_SUFFIXES or not candidate.is_file():
            raise BrandingError(f"logo: '{logo[:80]}' is not an SVG, PNG or JPEG file")
        logo_path = str(candidate)
    return Branding(
        firm_name=values.get("firm_name", default.firm_name)[:80],
        prepared_by=values.get("prepared_by", "")[:80],
        accent_color=colour.lower(),
        logo_path=logo_path,
    )


def with_firm(
    branding: Branding, logo_dir: Path, firm_name: str = "", accent_color: str = "", logo: bytes | None = None,
    logo_type: str = "",
) -> Branding:  # fmt: skip
    """``branding`` with a firm's own values over it: each value the firm set replaces the server's. The logo
    (PNG or JPEG bytes) is written once to ``logo_dir`` under its SHA-256, so the renderer reads a local file it
    is allowed, and fetches nothing else."""
    changes: dict[str, str] = {}
    if firm_name.strip():
        changes["firm_name"] = firm_name.strip()[:80]
    if HEX_COLOUR.match(accent_color):
        changes["accent_color"] = accent_color.lower()
    if logo and logo_type in FIRM_LOGO_TYPES:
        changes["logo_path"] = str(logo_file(logo, FIRM_LOGO_TYPES[logo_type], logo_dir))
    return replace(branding, **changes)


def logo_file(data: bytes, suffix: str, folder: Path) -> Path:
    """The file holding ``data``, named by its SHA-256 (written once; the same bytes always give the same file)."""
    path = folder / f"{hashlib.sha256(data).hexdigest()}{suffix}"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    return path
