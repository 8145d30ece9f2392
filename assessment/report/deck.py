"""The proposal as an editable deck (.pptx): the cover, the summary, the charts, the perception gaps, the
risks, the roadmap and the first 90 days, for a consultant to present and adapt.

A sibling of the PDF: it reads the same view (plus the cover) and adds nothing of its own but layout. Every
word is a real text box or table cell, set in the report's Japanese font (both the Latin and the east-Asian
font of each run, so PowerPoint and LibreOffice pick it); the charts are pictures (``report.raster``). Long
tables continue on the next slide rather than shrink. One entry point for callers: :func:`render_deck`.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.i18n import context_translator
from assessment.presentation.view.words import Gettext
from assessment.report.branding import Branding
from assessment.report.context import ProposalContext, build_context
from assessment.report.fonts import JAPANESE_FONT
from assessment.report.i18n import translations
from assessment.report.measure import line_count
from assessment.report.raster import SCALE, svg_to_png
from assessment.vocabulary import Lang

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.35)
BODY_WIDTH = WIDTH - 2 * MARGIN
BODY_HEIGHT = HEIGHT - BODY_TOP - Inches(0.7)
INK, MUTED, WARN, WHITE = "#1f2933", "#616e7c", "#c0392b", "#ffffff"  # as the charts and the PDF
LANG_TAGS = {"ja": "ja-JP", "en": "en-GB"}
TITLE_ONLY = 5  # the default template's "Title Only" layout
DECK_LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
LOGO_WIDTH = Inches(3)

CELL_MARGIN, CELL_SIDE = Inches(0.05), Inches(0.1)
EMU_PER_POINT = 12700
LINE_SPACING = 1.45  # a line of Noto Sans CJK JP is about 1.45 times its size


def render_deck(
    diagnosis: Diagnosis,
    content: Content,
    lang: Lang = "ja",
    branding: Branding | None = None,
    today: date | None = None,
    previous: Diagnosis | None = None,
) -> bytes:
    """The proposal deck of ``diagnosis`` in ``lang``, as the bytes of a .pptx file."""
    _ = translations(lang).gettext
    context = build_context(diagnosis, content, lang, branding or Branding(), today or date.today(), _, previous)
    return build_deck(context, _)


def build_deck(context: ProposalContext, _: Gettext) -> bytes:
    """The deck of a proposal's view and cover (``_``: the reader's gettext)."""
    deck = _Deck(context, _)
    deck.cover()
    deck.summary()
    deck.charts()
    deck.perception_gaps()
    deck.risks()
    deck.roadmap()
    deck.first_90_days()
    return deck.save()


def _lines(text: str, width: int, size: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a cell ``width`` (EMU) wide at ``size`` points (its own line breaks too)."""
    return line_count(text, width / EMU_PER_POINT, size, bold)


def _rgb(colour: str) -> RGBColor:
    """A #rrggbb colour for python-pptx (whose RGBColor is not annotated)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


class _Deck:
    def __init__(self, context: ProposalContext, _: Gettext) -> None:
        self.context = context
        self._ = _
        self.lang_tag = LANG_TAGS.get(context["lang"], context["lang"])
        self.accent = context["branding"].accent_color
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.prs.core_properties.title = _("THE MODEL Readiness Assessment")
        self.prs.core_properties.author = context["branding"].firm_name
        self.prs.core_properties.language = self.lang_tag

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # -- the building blocks

    def _font(self, run: Any, size: float, bold: bool = False, colour: str = INK) -> None:
        """Set a run in the Japanese font: Latin and east-Asian typeface, size, weight, colour, language."""
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = _rgb(colour)
        font.name = JAPANESE_FONT  # <a:latin>
        r_pr = run._r.get_or_add_rPr()
        r_pr.set("lang", self.lang_tag)
        if r_pr.find(qn("a:ea")) is None:
            r_pr.find(qn("a:latin")).addnext(OxmlElement("a:ea"))
        r_pr.find(qn("a:ea")).set("typeface", JAPANESE_FONT)

    def _paragraphs(self, frame: Any, lines: Sequence[str | tuple[str, float, bool, str]], size: float = 16) -> None:
        """Fill a text frame: one paragraph per line (a plain string, or text with its size, weight and colour)."""
        frame.word_wrap = True
        for index, line in enumerate(lines):
            text, line_size, bold, colour = (line, size, False, INK) if isinstance(line, str) else line
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(line_size * 0.4)
            run = paragraph.add_run()
            run.text = text
            self._font(run, line_size, bold, colour)

    def _text(
        self, slide: Any, left: int, top: int, width: int, height: int,
        lines: Sequence[str | tuple[str, float, bool, str]], size: float = 16, fit: bool = True,
    ) -> Any:  # fmt: skip
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        self._paragraphs(frame, lines, size)
        if fit:  # shrink on overflow (PowerPoint and LibreOffice scale the text to the box)
            frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        return box

    def _slide(self, title: str) -> Any:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE_ONLY])
        heading = slide.shapes.title
        heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(0.35), BODY_WIDTH, Inches(0.85)
        frame = heading.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = 1  # left
        run = paragraph.add_run()
        run.text = title
        self._font(run, 28, True, self.accent)
        client = self.context["client"].name or ""
        footer = " · ".join(part for part in (client, self.context["branding"].firm_name) if part)
        self._text(slide, MARGIN, HEIGHT - Inches(0.5), BODY_WIDTH, Inches(0.35), [(footer, 10, False, MUTED)],
                   fit=False)  # fmt: skip
        return slide

    def _table(
        self, slide: Any, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int],
        heights: Sequence[int], top: int, size: float, warn: Sequence[bool],
    ) -> Any:  # fmt: skip
        """A real table: a header row, then one row per item (``warn``: its first cell in the warning colour)."""
        shape = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, top, BODY_WIDTH, sum(heights))
        table = shape.table
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Emu(width)
        for row, height in zip(table.rows, heights, strict=True):
            row.height = Emu(height)
        for row_index, cells in enumerate([header, *rows]):
            header_row = row_index == 0
            for column_index, text in enumerate(cells):
                cell = table.cell(row_index, column_index)
                cell.margin_top = cell.margin_bottom = CELL_MARGIN
                frame = cell.text_frame
                frame.word_wrap = True
                colour = WHITE if header_row else WARN if column_index == 0 and warn[row_index - 1] else INK
                for line_index, line in enumerate(text.split("\n")):
                    paragraph = frame.paragraphs[0] if line_index == 0 else frame.add_paragraph()
                    run = paragraph.add_run()
                    run.text = line
                    self._font(run, size, header_row or colour == WARN, colour)
                if header_row:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(self.accent)
        return table

    def _tables(
        self, title: str, header: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float],
        size: float = 12, warn: Sequence[bool] = (), first: Any = None, first_top: int = BODY_TOP,
    ) -> None:  # fmt: skip
        """A table over as many slides as it needs (each headed ``title``), every row as tall as its text; it
        starts on ``first`` at ``first_top`` when given (a slide with a lead above the table)."""
        total = sum(shares)
        widths = [int(BODY_WIDTH * share / total) for share in shares]
        warn = list(warn) or [False] * len(rows)

        def height(cells: Sequence[str], bold: bool = False) -> int:
            lines = max(_lines(text, width - 2 * CELL_SIDE, size, bold) for text, width in zip(
                cells, widths, strict=True))  # fmt: skip
            return int(Pt(size * LINE_SPACING) * lines + 2 * CELL_MARGIN + Pt(2))

        head = height(header, bold=True)
        slides: list[tuple[list[int], int]] = []
        page: list[int] = []
        top = first_top
        for index, cells in enumerate(rows):
            used = head + sum(height(rows[i]) for i in page)
            if page and used + height(cells) > BODY_TOP + BODY_HEIGHT - top:
                slides.append((page, top))
                page, top = [], BODY_TOP
            page.append(index)
        if page:
            slides.append((page, top))
        for number, (page, top) in enumerate(slides):
            slide = first if number == 0 and first is not None else self._slide(title)
            heights = [head, *(height(rows[i]) for i in page)]
            self._table(slide, header, [rows[i] for i in page], widths, heights, top, size, [warn[i] for i in page])

    def _picture(self, slide: Any, svg: str, top: int, height: int, name: str) -> Any:
        """A chart as a picture, as large as fits the box and centred; its alternative text says what it shows."""
        png = svg_to_png(svg)
        if not png:
            return None
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            pixel_w, pixel_h = image.size
        largest = Inches(1) / 96 * 1.8 / SCALE  # at most 1.8 times the chart's own size (96 units an inch)
        scale = min(BODY_WIDTH / pixel_w, height / pixel_h, largest)
        width, tall = int(pixel_w * scale), int(pixel_h * scale)
        picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN + (BODY_WIDTH - width) // 2, top, width, tall)
        picture.name = name
        label = ET.fromstring(svg).get("aria-label", "")
        picture._element.nvPicPr.cNvPr.set("descr", label)
        return picture

    # -- the slides

    def cover(self) -> None:
        _, context, branding = self._, self.context, self.context["branding"]
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        band = slide.shapes.add_shape(1, 0, 0, Inches(0.35), HEIGHT)  # a rectangle in the accent colour
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(self.accent)
        band.line.fill.background()
        self._text(slide, Inches(1), Inches(0.6), Inches(8.5), Inches(0.5), [(branding.firm_name, 16, True, MUTED)])
        self._logo(slide, branding.logo_path)
        self._text(
            slide, Inches(1), Inches(1.8), Inches(11.3), Inches(2.6),
            [
                (_("Readiness assessment and implementation proposal"), 18, False, MUTED),
                (_("THE MODEL Readiness Assessment"), 40, True, self.accent),
                (_("Organisation, tools and data: where you stand, the risks ahead, and the road to run THE MODEL"),
                 16, False, INK),
            ],
        )  # fmt: skip
        meta = [(_("Prepared for %(client)s") % {"client": context["client"].name or "—"}, 24, True, INK),
                (f"{_('Date')}: {context['date']}", 14, False, INK)]  # fmt: skip
        if branding.prepared_by:
            meta.append((f"{_('Prepared by')}: {branding.prepared_by}", 14, False, INK))
        self._text(slide, Inches(1), Inches(4.6), Inches(11.3), Inches(1.8), meta)
        self._text(slide, Inches(1), Inches(6.7), Inches(11.3), Inches(0.4),
                   [(_("Confidential — prepared for the addressee only"), 11, False, MUTED)])  # fmt: skip

    def _logo(self, slide: Any, path: str | None) -> None:
        """The firm's logo at the cover's top right, at most 0.7 in high and 3 in wide (PNG or JPEG; an SVG logo,
        which PowerPoint pictures cannot hold, is left to the PDF)."""
        if not path or not path.lower().endswith(DECK_LOGO_SUFFIXES):
            return
        picture = slide.shapes.add_picture(path, 0, Inches(0.45), height=Inches(0.7))
        if picture.width > LOGO_WIDTH:
            picture.height = int(picture.height * LOGO_WIDTH / picture.width)
            picture.width = LOGO_WIDTH
        picture.left = WIDTH - MARGIN - picture.width

    def summary(self) -> None:
        """The score and the phase to aim for on the left; the verdict and the consultant's own summary on the
        right; the next actions below."""
        _, context = self._, self.context
        slide = self._slide(_("Executive summary"))
        tile_w, gap, top_h = Inches(3.4), Inches(0.3), Inches(3.0)
        score = f"{context['scores']['overall']:.0f}/100"
        phase = context["phase"]["recommended"]
        self._text(slide, MARGIN, BODY_TOP, tile_w, top_h,
                   [(_("Overall readiness"), 14, False, MUTED), (score, 40, True, self.accent),
                    (_("Phase to aim for"), 14, False, MUTED), (phase, 16, True, INK)])  # fmt: skip
        lines: list[str | tuple[str, float, bool, str]] = []
        band = context["band"]
        if band:
            lines += [(band["title"], 18, True, INK), (band["verdict"], 13, False, INK)]
        summary = context["notes"].get("executive_summary", "").strip()
        if summary:
            lines.append((_("Consultant's view"), 12, True, MUTED))
            lines += [(paragraph, 13, False, INK) for paragraph in summary.splitlines() if paragraph.strip()]
        right = MARGIN + tile_w + gap
        self._text(slide, right, BODY_TOP, BODY_WIDTH - tile_w - gap, top_h, lines)
        actions: list[str | tuple[str, float, bool, str]] = [(_("Next actions"), 16, True, self.accent)]
        for number, action in enumerate(context["next_actions"], start=1):
            actions.append((f"{number}. {action['title']}", 14, True, INK))
            actions.append((f"{action['owner']} · {action['when']}", 12, False, MUTED))
        if not context["next_actions"]:
            actions.append(_("Every task of the roadmap is already in place."))
        below = BODY_TOP + top_h + Inches(0.15)
        self._text(slide, MARGIN, below, BODY_WIDTH, BODY_TOP + BODY_HEIGHT - below, actions)

    def charts(self) -> None:
        _, context = self._, self.context
        slide = self._slide(_("Readiness by axis"))
        self._picture(slide, context["scores"]["chart"], BODY_TOP, BODY_HEIGHT - Inches(0.6), "score chart")
        self._text(slide, MARGIN, HEIGHT - Inches(1.2), BODY_WIDTH, Inches(0.5),
                   [(_("Scores out of 100: yes counts fully, partly counts half, no and don't know count nothing."),
                     12, False, MUTED)])  # fmt: skip
        funnel = context["funnel"]
        if funnel["has_figures"] and funnel["volumes_chart"]:
            slide = self._slide(_("Monthly funnel"))
            self._picture(slide, funnel["volumes_chart"], BODY_TOP, BODY_HEIGHT, "funnel chart")
        if funnel["has_figures"] and funnel["bullets_chart"]:  # a slide of its own: read from the back of the room
            slide = self._slide(_("Against the benchmarks"))
            notes = funnel["cycle_notes"]
            chart_h = BODY_HEIGHT - (Inches(0.9) if notes else Inches(0.5))
            self._picture(slide, funnel["bullets_chart"], BODY_TOP, chart_h, "benchmark chart")
            caption = [(_("Green band: the benchmark range. Dot: your figure (red when it is on the wrong side)."),
                        12, False, MUTED)] + [(note, 11, False, MUTED) for note in notes]  # fmt: skip
            self._text(slide, MARGIN, BODY_TOP + chart_h, BODY_WIDTH, BODY_HEIGHT - chart_h, caption)

    def perception_gaps(self) -> None:
        _, perception = self._, self.context["perception"]
        if perception is None or not perception["gaps"]:
            return
        departments = perception["departments"]
        header = [_("Statement"), *departments, _("Answer used")]
        body = []
        for gap in perception["gaps"]:
            marks = {view["department"]: f"{view['mark']} {view['label']}" for view in gap["views"]}
            adopted = gap["adopted"]
            if gap["overruled"]:
                adopted += "\n" + _("(consensus: %(answer)s)") % {"answer": gap["consensus"]}
            body.append([f"{gap['number']}. {gap['text']}", *(marks.get(d, "") for d in departments), adopted])
        self._tables(_("Where the departments disagree"), header, body, [3.6, *([1.0] * len(departments)), 1.4], 11)

    def risks(self) -> None:
        _, risks = self._, self.context["risks"]
        if not risks:
            slide = self._slide(_("Failure risks"))
            self._text(slide, MARGIN, BODY_TOP, BODY_WIDTH, Inches(1),
                       [_("None of the known failure patterns is raised by your answers.")])  # fmt: skip
            return
        body = [
            [risk["severity_label"] + ("" if risk["confirmed"] else "\n" + _("to confirm")), risk["title"],
             risk["countermeasure"]]
            for risk in risks
        ]  # fmt: skip
        header = ["", _("Failure risks"), _("Countermeasure")]
        warn = [risk["severity"] == "high" for risk in risks]
        self._tables(_("Failure risks"), header, body, [1.1, 3.2, 6.0], 13, warn)

    def roadmap(self) -> None:
        _, roadmap = self._, self.context["roadmap"]
        slide = self._slide(_("Implementation roadmap"))
        if not roadmap["tasks"]:
            self._text(
                slide, MARGIN, BODY_TOP, BODY_WIDTH, Inches(1), [_("Every task of the roadmap is already in place.")]
            )
            return
        lead = _(
            "%(n)s tasks over about %(w)s weeks, each started as soon as what it depends on is finished. Red bars "
            "form the critical path: a delay there delays the whole plan."
        ) % {"n": len(roadmap["tasks"]), "w": roadmap["total_weeks"]}
        if roadmap["start"]:
            lead += " " + _("Starting %(start)s, the plan ends around %(end)s.") % {
                "start": roadmap["start"],
                "end": roadmap["end"],
            }
        self._text(slide, MARGIN, BODY_TOP - Inches(0.1), BODY_WIDTH, Inches(0.7), [(lead, 13, False, INK)])
        self._picture(slide, roadmap["chart"], BODY_TOP + Inches(0.7), BODY_HEIGHT - Inches(0.7), "roadmap chart")
        header = [_("Task"), _("Owner"), _("When") if roadmap["start"] else _("Weeks"), _("After")]
        separator = context_translator(self.context["lang"])("list separator", ", ")
        body = [
            [task["title"], task["owner"], task["dates"], separator.join(task["depends_on"])]
            for task in roadmap["tasks"]
        ]
        self._tables(_("Implementation roadmap"), header, body, [4.0, 2.0, 2.5, 3.5], 11)

    def first_90_days(self) -> None:
        _, days = self._, self.context["first_90_days"]
        if not days["blocks"]:
            return
        title = _("The first 90 days")
        slide = self._slide(title)
        top: int = BODY_TOP
        if days["rhythm"]:
            self._text(slide, MARGIN, top - Inches(0.1), BODY_WIDTH, Inches(0.8),
                       [(line, 12, False, MUTED) for line in days["rhythm"]])  # fmt: skip
            top += Inches(0.8)
        header = [_("When"), _("Start (owner)"), _("Checkpoint: due by then")]
        body = [[block["dates"], "\n".join(block["starting"]), "\n".join(f"□ {d}" for d in block["due"])]
                for block in days["blocks"]]  # fmt: skip
        self._tables(title, header, body, [2.4, 4.7, 3.3], 11, first=slide, first_top=top)
