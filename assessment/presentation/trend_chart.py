"""The scores across a client's rounds as an inline SVG line chart: the overall score and each axis's, one point
per round. Pure, like ``charts``: plain values in, SVG text out, every label escaped; the lines differ by dash
and width as well as by colour, and the accessible name gives every figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from assessment.presentation.charts import GRID, MUTED, _clip, _svg_open, _text, _tint

DASHES = ("6 4", "2 3", "9 3 2 3", "1 5")  # an axis's line, after the overall score's solid one


@dataclass(frozen=True)
class Series:
    """One line: its name and its score (0-100) in each round, oldest first; ``emphasis``: the overall score."""

    label: str
    values: tuple[float, ...]
    emphasis: bool = False


def score_trend(
    rounds: Sequence[str], series: Sequence[Series], accent: str, width: int = 640, labels: Sequence[str] = ()
) -> str:
    """Scores per round on a 0-100 scale, a line per series, the rounds' short ``labels`` below (their full names,
    ``rounds``, as each label's tooltip and in the accessible name) and a legend under them.

    The points stand clear of the y axis's tick labels (an inset), and the overall score's figures sit above
    their points on a white ground, so that neither a tick label nor a grid line runs into them."""
    if len(rounds) < 2 or not series:
        return ""
    labels = list(labels) or list(rounds)
    left, right, top, plot_h, inset = 34, 24, 24, 170, 26
    plot_w = width - left - right - 2 * inset
    legend_top = top + plot_h + 34
    height = legend_top + 20 * len(series)
    name = "; ".join(
        f"{s.label}: " + ", ".join(f"{r} {v:.0f}" for r, v in zip(rounds, s.values, strict=True)) for s in series
    )
    parts = [_svg_open(width, height, name)]

    def x_of(index: int) -> float:
        return left + inset + plot_w * index / (len(rounds) - 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(value, 100.0)) / 100)

    for tick in range(0, 101, 25):
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 3, str(tick), size=9, fill=MUTED, anchor="end"))
    room = max(3, int(plot_w / (len(rounds) - 1) / 10.5))  # full-width characters that fit between two points
    for index, (label, full) in enumerate(zip(labels, rounds, strict=True)):
        text = _text(x_of(index), top + plot_h + 16, _clip(label, room), size=9.5, anchor="middle")
        parts.append(text.replace("</text>", f"<title>{escape(full)}</title></text>"))
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
        y = legend_top + 20 * row
        sample = f'x1="{left}" y1="{y:.1f}" x2="{left + 36}" y2="{y:.1f}"'
        parts.append(f'<line {sample} stroke="{colour}" stroke-width="{stroke}"{dash}/>')
        last = f"{line.values[-1]:.0f}" if line.values else "–"
        parts.append(_text(left + 44, y + 4, f"{line.label} ({last})", size=10.5, bold=line.emphasis))
    for line in series:  # the overall score's figures last, over every line, each on a white ground
        if line.emphasis:
            for i, value in enumerate(line.values):
                figure = f"{value:.0f}"
                label_y = y_of(value) - 9  # above its point: the top margin leaves room over 100
                half = 3.2 * len(figure) + 2
                parts.append(f'<rect x="{x_of(i) - half:.1f}" y="{label_y - 9.5:.1f}" width="{2 * half:.1f}" '
                             f'height="12" rx="2" fill="#ffffff" fill-opacity="0.9"/>')  # fmt: skip
                parts.append(_text(x_of(i), label_y, figure, size=10, anchor="middle", bold=True))
    parts.append("</svg>")
    return "".join(parts)
