"""Who the proposal comes from: firm name, consultant, accent colour and logo, from a YAML file or env.

``READINESS_BRANDING`` names a YAML file with any of ``firm_name``, ``prepared_by``, ``accent_color``
(#rrggbb) and ``logo`` (an SVG or PNG path, relative to the file). ``READINESS_FIRM_NAME``,
``READINESS_PREPARED_BY`` and ``READINESS_ACCENT_COLOR`` override single values. Without any of it the
proposal carries a neutral look.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assessment.documents import DocumentError, load_document
from assessment.errors import ReadinessError
from assessment.presentation.charts import DEFAULT_ACCENT

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")


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
