"""The charts as PNG pictures, for the deck: the SVG that ``presentation.charts`` draws, painted with Pillow.

PowerPoint and LibreOffice both show a PNG; neither shows SVG everywhere. Rather than a general SVG renderer
(cairosvg or librsvg: a new Python package or system library), this paints the few elements the charts use
(``rect``, ``line``, ``circle``, ``text``) with their attributes as ``charts.py`` writes them, the text in the
report's Japanese font. A chart drawing a new kind of element fails loudly here (``ValueError``), never silently.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from assessment.report.fonts import JAPANESE_FONT

SVG = "{http://www.w3.org/2000/svg}"
SCALE = 3  # pixels per SVG unit: sharp on a projector at the size the deck shows a chart


@lru_cache(maxsize=2)
def _font_file(bold: bool) -> tuple[str, int]:
    """The Japanese font's file and face index (fontconfig's best match for the weight)."""
    fc_match = shutil.which("fc-match")
    if fc_match is not None:
        pattern = f"{JAPANESE_FONT}:weight={'bold' if bold else 'regular'}"
        result = subprocess.run(
            [fc_match, "-f", "%{file}|%{index}", pattern], capture_output=True, text=True, timeout=10, check=False
        )
        file, _bar, index = result.stdout.partition("|")
        if file:
            return file, int(index or 0)
    return "", 0


@lru_cache(maxsize=32)
def _font(size: float, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    file, index = _font_file(bold)
    pixels = max(1, round(size * SCALE))
    if not file:
        return ImageFont.load_default(pixels)
    return ImageFont.truetype(file, pixels, index=index)


def _number(element: ET.Element, name: str, default: float = 0.0) -> float:
    value = element.get(name)
    return float(value) * SCALE if value is not None else default


def _colour(value: str | None) -> str | None:
    if value is None or value == "none":
        return None
    if len(value) == 4 and value.startswith("#"):  # #fff
        return "#" + "".join(char * 2 for char in value[1:])
    return value


def svg_to_png(svg: str) -> bytes:
    """Paint one of the charts' SVGs as a PNG on white, ``SCALE`` pixels per unit (empty bytes for no chart)."""
    if not svg:
        return b""
    root = ET.fromstring(svg)
    width, height = round(float(root.get("width", "0")) * SCALE), round(float(root.get("height", "0")) * SCALE)
    image = Image.new("RGB", (max(width, 1), max(height, 1)), "white")
    draw = ImageDraw.Draw(image)
    for element in root:
        tag = element.tag.removeprefix(SVG)
        fill = _colour(element.get("fill"))
        stroke = _colour(element.get("stroke"))
        if tag == "rect":
            x, y = _number(element, "x"), _number(element, "y")
            box = (x, y, x + _number(element, "width"), y + _number(element, "height"))
            radius = min(_number(element, "rx"), (box[3] - box[1]) / 2, (box[2] - box[0]) / 2)
            draw.rounded_rectangle(box, radius=radius, fill=fill, outline=stroke)
        elif tag == "line":
            ends = [_number(element, name) for name in ("x1", "y1", "x2", "y2")]
            draw.line(ends, fill=stroke or "black", width=max(1, round(_number(element, "stroke-width", SCALE))))
        elif tag == "circle":
            cx, cy, r = _number(element, "cx"), _number(element, "cy"), _number(element, "r")
            outline = round(_number(element, "stroke-width", SCALE)) if stroke else 0
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=stroke, width=outline)
        elif tag == "text":
            font = _font(float(element.get("font-size", "10")), element.get("font-weight") == "700")
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[element.get("text-anchor", "start")]
            position = (_number(element, "x"), _number(element, "y"))
            draw.text(position, element.text or "", fill=fill or "black", font=font, anchor=anchor)
        else:
            raise ValueError(f"the chart rasteriser does not know <{tag}>")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
