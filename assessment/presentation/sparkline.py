"""A client's overall score across its rounds as a word-sized inline SVG line (the portfolio's trend column).

Pure, like ``charts``: plain values in, SVG text out. The line is decoration beside the figures the page prints in
words; its accessible name gives every score, so it says as much as it shows."""

from __future__ import annotations

from collections.abc import Sequence

from assessment.presentation.charts import _svg_open

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 96, 28, 3


def sparkline(values: Sequence[float], name: str, accent: str) -> str:
    """A small line through ``values`` (0-100, oldest first) with a dot on the last; ``name`` is its accessible
    name (say every figure in it). Empty with fewer than two values."""
    if len(values) < 2:
        return ""
    inner_w, inner_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD
    points = [
        (SPARK_PAD + inner_w * index / (len(values) - 1), SPARK_PAD + inner_h * (1 - max(0.0, min(v, 100.0)) / 100))
        for index, v in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    return (
        _svg_open(SPARK_WIDTH, SPARK_HEIGHT, name)
        + f'<polyline points="{path}" fill="none" stroke="{accent}" stroke-width="2" stroke-linejoin="round"/>'
        + f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="{accent}"/></svg>'
    )
