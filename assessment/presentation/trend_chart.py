"""The scores across a client's rounds as an inline SVG line chart: the overall score and each axis's, one point
per round. Pure, like ``charts``: plain values in, SVG text out, every label escaped; the lines differ by dash
and width as well as by colour, and the accessible name gives every figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessment.presentation.charts import GRID, INK, MUTED, _svg_open, _text, _tint

DASHES = ("6 4", "2 3", "9 3 2 3", "1 5")  # an axis's line, after the overall score's solid one


@dataclass(frozen=True)
class Series:
    """One line: its name and its score (0-100) in each round, oldest first; ``emphasis``: the overall score."""

    label: str
    values: tuple[float, ...]
    emphasis: bool = False


def score_trend(rounds: Sequence[str], series: Sequence[Series], accent: str, width: int = 640) -> str:
    """Scores per round on a 0-100 scale, a line per series, the rounds' names below and a legend under them."""
    if len(rounds) < 2 or not series:
        return ""
    left, right, top, plot_h = 34, 24, 24, 170
    plot_w = width - left - right
    legend_top = top + plot_h + 34
    height = legend_top + 20 * len(series)
    name = "; ".join(
        f"{s.label}: " + ", ".join(f"{r} {v:.0f}" for r, v in zip(rounds, s.values, strict=True)) for s in series
    )
    parts = [_svg_open(width, height, name)]

    def x_of(index: int) -> float:
        return left + plot_w * index / (len(rounds) - 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(value, 100.0)) / 100)

    for tick in range(0, 101, 25):
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 3, str(tick), size=9, fill=MUTED, anchor="end"))
    for index, label in enumerate(rounds):
        anchor = "start" if index == 0 else "end" if index == len(rounds) - 1 else "middle"
        parts.append(_text(x_of(index), top + plot_h + 16, label, size=9.5, fill=INK, anchor=anchor))
    dashes = iter(DASHES * len(series))
    for row, line in enumerate(series):
        colour = accent if line.emphasis else _tint(accent) if row % 2 else MUTED
        dash = "" if line.emphasis else f' stroke-dasharray="{next(dashes)}"'
        stroke = 3 if line.emphasis else 1.6
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(line.values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{stroke}"{dash}/>')
        for i, value in enumerate(line.values):
            parts.append(f'<circle cx="{x_of(i):.1f}" cy="{y_of(value):.1f}" r="{3.5 if line.emphasis else 2.5}" '
                         f'fill="{colour}"/>')  # fmt: skip
        if line.emphasis:
            for i, value in enumerate(line.values):
                parts.append(_text(x_of(i), y_of(value) - 8, f"{value:.0f}", size=10, anchor="middle", bold=True))
        y = legend_top + 20 * row
        sample = f'x1="{left}" y1="{y:.1f}" x2="{left + 36}" y2="{y:.1f}"'
        parts.append(f'<line {sample} stroke="{colour}" stroke-width="{stroke}"{dash}/>')
        last = f"{line.values[-1]:.0f}" if line.values else "–"
        parts.append(_text(left + 44, y + 4, f"{line.label} ({last})", size=10.5, bold=line.emphasis))
    parts.append("</svg>")
    return "".join(parts)
