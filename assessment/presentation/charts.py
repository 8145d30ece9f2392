"""Charts for the proposal as inline SVG: axis scores, funnel volumes, metrics against benchmarks, the Gantt.

Pure functions from plain values to SVG text. Every label is escaped here, because the SVG is inserted
into the report unescaped (it is markup we built).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

INK = "#1f2933"
MUTED = "#616e7c"  # as the web pages' muted text: 5.2:1 on white (small tick and conversion labels)
GRID = "#d9e2ec"
BAND = "#d7eadb"
WARN = "#c0392b"
FONT = 'font-family="Noto Sans CJK JP, sans-serif"'


DEFAULT_ACCENT = "#1f4e79"  # the charts' colour when no branding sets one (the web pages, a bare CLI run)


@dataclass(frozen=True)
class Bar:
    """One labelled value for a bar chart."""

    label: str
    value: float
    emphasis: bool = False


def score_bars(bars: Sequence[Bar], accent: str, width: int = 480) -> str:
    """Horizontal bars on a 0-100 scale with the value at the end of each bar."""
    label_w, row_h, top = 120, 30, 18
    plot_w = width - label_w - 46
    height = top + row_h * len(bars) + 6
    parts = [_svg_open(width, height, "; ".join(f"{bar.label} {bar.value:.0f}/100" for bar in bars))]
    for tick in range(0, 101, 25):
        x = label_w + plot_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" stroke="{GRID}"/>')
        parts.append(_text(x, top - 8, str(tick), size=9, fill=MUTED, anchor="middle"))
    for index, bar in enumerate(bars):
        y = top + index * row_h
        bar_w = plot_w * max(0.0, min(bar.value, 100.0)) / 100
        colour = accent if bar.emphasis else _tint(accent)
        parts.append(_text(label_w - 8, y + row_h / 2 + 4, bar.label, size=11, anchor="end", bold=bar.emphasis))
        parts.append(
            f'<rect x="{label_w}" y="{y + 6}" width="{bar_w:.1f}" height="{row_h - 12}" fill="{colour}" rx="2"/>'
        )
        parts.append(_text(label_w + bar_w + 6, y + row_h / 2 + 4, f"{bar.value:.0f}", size=11, bold=True))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class FunnelStep:
    """A funnel stage volume and the conversion from the stage before it (None for the first)."""

    label: str
    volume: float
    conversion: float | None


def funnel_volumes(steps: Sequence[FunnelStep], accent: str, width: int = 640) -> str:
    """Centred bars narrowing down the funnel, volume inside, conversion between stages."""
    if not steps:
        return ""
    row_h, gap, label_w = 22, 10, 90
    plot_w = width - label_w - 90
    top_volume = max(step.volume for step in steps) or 1
    height = len(steps) * row_h + (len(steps) - 1) * gap + 4
    parts = [_svg_open(width, height, "; ".join(f"{step.label} {_number(step.volume)}" for step in steps))]
    for index, step in enumerate(steps):
        y = index * (row_h + gap)
        bar_w = max(plot_w * step.volume / top_volume, 28)
        x = label_w + (plot_w - bar_w) / 2
        parts.append(_text(label_w - 8, y + row_h / 2 + 4, step.label, size=10.5, anchor="end"))
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{bar_w:.1f}" height="{row_h}" fill="{accent}" rx="2"/>')
        parts.append(
            _text(label_w + plot_w / 2, y + row_h / 2 + 4, _number(step.volume), size=10.5, fill="#fff",
                  anchor="middle", bold=True)
        )  # fmt: skip
        if step.conversion is not None:
            parts.append(
                _text(label_w + plot_w + 8, y - gap / 2 + 4, f"↓ {step.conversion:.1f}%", size=9.5, fill=MUTED)
            )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class MetricRow:
    """A metric with its value and benchmark range for a bullet chart."""

    label: str
    value: float
    low: float | None
    high: float | None
    unit: str
    concern: bool


def benchmark_bullets(rows: Sequence[MetricRow], accent: str, width: int = 640) -> str:
    """One track per metric on its own scale: the healthy range shaded, the client's value marked."""
    if not rows:
        return ""
    label_w, row_h = 200, 30
    plot_w = width - label_w - 80
    height = row_h * len(rows) + 4
    parts = [_svg_open(width, height, "; ".join(f"{row.label} {_number(row.value)}{row.unit}" for row in rows))]
    for index, row in enumerate(rows):
        y = index * row_h
        scale = max(v for v in (row.value, row.high or 0, row.low or 0, 1e-9)) * 1.25
        mid = y + row_h / 2
        parts.append(_text(label_w - 8, mid + 4, row.label, size=10, anchor="end"))
        parts.append(f'<rect x="{label_w}" y="{mid - 4}" width="{plot_w}" height="8" fill="#f0f4f8" rx="4"/>')
        low = row.low if row.low is not None else 0.0
        high = row.high if row.high is not None else scale
        band_x = label_w + plot_w * low / scale
        band_w = plot_w * (high - low) / scale
        parts.append(f'<rect x="{band_x:.1f}" y="{mid - 4}" width="{band_w:.1f}" height="8" fill="{BAND}" rx="4"/>')
        value_x = label_w + plot_w * min(row.value, scale) / scale
        colour = WARN if row.concern else accent
        parts.append(f'<circle cx="{value_x:.1f}" cy="{mid}" r="6" fill="{colour}" stroke="#fff" stroke-width="1.5"/>')
        parts.append(
            _text(label_w + plot_w + 8, mid + 4, f"{_number(row.value)}{row.unit}", size=10, bold=True,
                  fill=colour)
        )  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class GanttBar:
    """A scheduled task for the Gantt chart."""

    label: str
    owner: str
    start: int
    end: int
    critical: bool
    lane: str


def gantt(bars: Sequence[GanttBar], total_weeks: int, accent: str, width: int = 680, start: date | None = None) -> str:
    """A week-scaled Gantt chart; critical-path tasks in the warning colour, lanes as left markers.

    With ``start`` the axis shows the date each marked week begins (12/7), else the week number (W4).
    """
    if not bars:
        return ""
    label_w, row_h, top = 250, 17, 22
    plot_w = width - label_w - 10
    weeks = max(total_weeks, 1)
    height = top + row_h * len(bars) + 6
    step = 4 if weeks <= 40 else 8
    name = "; ".join(f"{bar.label} ({bar.owner}) W{bar.start + 1}–W{bar.end}" for bar in bars)
    parts = [_svg_open(width, height, name)]
    for week in range(0, weeks + 1, step):
        x = label_w + plot_w * week / weeks
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" stroke="{GRID}"/>')
        day = start + timedelta(weeks=week) if start else None
        label = f"{day.month}/{day.day}" if day else f"W{week}"
        parts.append(_text(x, top - 9, label, size=8.5, fill=MUTED, anchor="middle"))
    lane_colours = {"organization": "#9aa5b1", "tools": accent, "data": "#52606d"}
    for index, bar in enumerate(bars):
        y = top + index * row_h
        if index % 2 == 0:
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="#f7f9fb"/>')
        parts.append(
            f'<rect x="0" y="{y + 3}" width="3" height="{row_h - 6}" fill="{lane_colours.get(bar.lane, MUTED)}"/>'
        )
        parts.append(_text(8, y + row_h / 2 + 3.5, _clip(bar.label, 28), size=8.5, bold=bar.critical))
        x = label_w + plot_w * bar.start / weeks
        w = max(plot_w * (bar.end - bar.start) / weeks, 2)
        colour = WARN if bar.critical else _tint(accent)
        parts.append(f'<rect x="{x:.1f}" y="{y + 3.5}" width="{w:.1f}" height="{row_h - 7}" fill="{colour}" rx="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width: int, height: float, name: str) -> str:
    """The chart's opening tag: an image whose accessible name says what it shows (its figures, in text)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" role="img" aria-label="{escape(name)}">'
    )


def _text(
    x: float,
    y: float,
    text: str,
    size: float = 10,
    fill: str = INK,
    anchor: str = "start",
    bold: bool = False,
) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}" {FONT}{weight}>'
        f"{escape(text)}</text>"
    )


def _clip(text: str, limit: int) -> str:
    """Shorten a label to ``limit`` full-width characters (half-width ones count half)."""
    used, out = 0.0, list[str]()
    for char in text:
        used += 1 if ord(char) > 0x2E7F else 0.55
        if used > limit:
            return "".join(out).rstrip() + "…"
        out.append(char)
    return text


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _tint(colour: str) -> str:
    """A lighter version of a #rrggbb colour (mixed 45 % with white)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * 0.45) for c in (red, green, blue)]
    return "#" + "".join(f"{c:02x}" for c in mix)
