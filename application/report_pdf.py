"""The report as a PDF (reportlab): an embedded CJK TrueType font when the machine has one, else STSong-Light."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

import i18n
from application.report_tables import subtitle, tables, title
from application.table import Table, township_name
from domain.model import District

# TrueType fonts with Chinese glyphs, embedded (subset) so every viewer shows the same text; .ttc not tried.
CJK_FONTS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/simhei.ttf",
)
FALLBACK_FONT = "STSong-Light"  # reportlab's built-in Adobe CID font: nothing to install, not embedded
LATIN_FONT = "Helvetica"  # CJK fallback fonts (Droid Sans Fallback) may lack Latin glyphs: Latin runs use this
CJK_START = 0x2E80  # from the CJK radicals on (ideographs, fullwidth forms) a character is set in the CJK font
HEAD_BG = colors.HexColor("#12355b")
PAGE_WIDTH = landscape(A4)[0] - 24 * mm
WRAP_AT = 36  # a cell wider than this many Latin characters wraps
CHAR_W = 4.2  # points per Latin character at the table's font size, to tell when a table needs fixed widths
BAR = colors.HexColor("#2f7ed8")


@functools.cache
def font(prefer_embedded: bool = True) -> str:
    """Register and return the font for Chinese text: the first CJK TrueType found, else the CID font."""
    for path in CJK_FONTS if prefer_embedded else ():
        if Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("OneMapCJK", path))
                return "OneMapCJK"
            except Exception:  # a damaged or unsupported file: try the next
                continue
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def render(report: dict[str, Any], district: District, lang: str, font_name: str | None = None) -> bytes:
    """Return the report as PDF bytes: title, charts, then every table."""
    name = font_name or font()
    styles = {
        k: ParagraphStyle(k, fontName=LATIN_FONT, fontSize=size, leading=size * 1.35, spaceAfter=2 * mm)
        for k, size in (("h1", 17), ("h2", 12), ("p", 9), ("cell", 7.5))
    }
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title(report, district, lang),
        author="OneMap",
    )
    text = functools.partial(_paragraph, cjk=name)
    story: list[Any] = [
        text(title(report, district, lang), styles["h1"]),
        text(subtitle(report, district, lang), styles["p"]),
        _scores(report, district, lang, name)
        if report["kind"] == "assessment"
        else _charts(report, district, lang, name),
    ]
    if report.get("charts"):
        story.append(_analytics(report["charts"], lang, name))
    for table in tables(report, district, lang):
        story += [Spacer(1, 3 * mm), text(table.title, styles["h2"]), _table(table, styles["cell"], lang, name)]
    doc.build(story)
    return buf.getvalue()


def _cell(table: Table, r: int, c: int, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and table.is_rate(r, c):
        return f"{value:.1%}"
    return str(value)


def _paragraph(text: str, style: ParagraphStyle, cjk: str, color: str = "") -> Paragraph:
    """Set a line with its CJK runs in the CJK font and the rest in the Latin one."""
    runs: list[tuple[bool | None, str]] = []
    current, kind = "", None
    for ch in text:
        is_cjk = ord(ch) >= CJK_START
        if kind is not None and is_cjk != kind:
            runs.append((kind, current))
            current = ""
        current, kind = current + ch, is_cjk
    if current:
        runs.append((kind, current))
    body = "".join(f"<font name='{cjk}'>{_escape(r)}</font>" if k else _escape(r) for k, r in runs)
    return Paragraph(f"<font color='{color}'>{body}</font>" if color else body, style)


def _table(table: Table, style: ParagraphStyle, lang: str, cjk: str) -> Any:
    """Lay a table out; a cell is a plain string in one font (fast: a day may have thousands of rows) unless it
    mixes scripts or is long, then a wrapping paragraph."""
    if not table.rows:
        return _paragraph(i18n.t("report.none", lang), style, cjk)
    texts = [[_cell(table, r, c, v) for c, v in enumerate(row)] for r, row in enumerate(table.rows)]
    widths = [
        min(WRAP_AT, max([_width(h) for h in [table.headers[c]]] + [_width(row[c]) for row in texts]))
        for c in range(len(table.headers))
    ]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef3f8")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    body: list[list[Any]] = []
    for r, row in enumerate(texts, start=1):
        cells: list[Any] = []
        for c, text in enumerate(row):
            cjk_chars = sum(ord(ch) >= CJK_START for ch in text)
            if _width(text) > WRAP_AT or 0 < cjk_chars < len(text):
                cells.append(_paragraph(text, style, cjk))
                continue
            cells.append(text)
            if cjk_chars:
                commands.append(("FONTNAME", (c, r), (c, r), cjk))
        body.append(cells)
    scale = PAGE_WIDTH / max(sum(widths), 1)
    out = PdfTable(
        [[_paragraph(h, style, cjk, "white") for h in table.headers]] + body,
        repeatRows=1,
        hAlign="LEFT",
        colWidths=[w * scale for w in widths] if sum(widths) * CHAR_W > PAGE_WIDTH else None,
    )
    out.setStyle(TableStyle(commands))
    return out


def _width(text: str) -> int:
    """Return a text's width in Latin characters: a CJK character is two."""
    return len(text) + sum(ord(ch) >= CJK_START for ch in text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _charts(report: dict[str, Any], district: District, lang: str, name: str) -> Drawing:
    """Draw the wall's three charts side by side: township on-time rate, each stage's, reports over time."""
    towns = [r for r in report["townships"] if r["on_time_rate"] is not None]
    stages = [("dispatch", report["district"]["dispatch"])] + list(report["district"]["stages"].items())
    series = report["received_series"]
    drawing = Drawing(270 * mm, 62 * mm)
    _bar(
        drawing,
        0,
        i18n.t("report.chart_ranking", lang),
        [r["id"] for r in towns],
        [100 * r["on_time_rate"] for r in towns],
        name,
        100,
    )
    _bar(
        drawing,
        92 * mm,
        i18n.t("report.chart_stages", lang),
        [i18n.t("stage.dispatch" if s == "dispatch" else f"step.{s}", lang) for s, _ in stages],
        [100 * (t["on_time_rate"] or 0) for _, t in stages],
        name,
        100,
    )
    every = max(1, len(series) // 8)
    _bar(
        drawing,
        184 * mm,
        i18n.t("report.series", lang),
        [str(i) if i % every == 0 else "" for i in range(len(series))],
        [r["received"] for r in series],
        name,
        None,
    )
    return drawing


def _scores(report: dict[str, Any], district: District, lang: str, name: str) -> Drawing:
    """Draw the assessment's scores, township by township in rank order (those with no score left out)."""
    rows = [r for r in report["townships"] if r["score"] is not None]
    drawing = Drawing(270 * mm, 62 * mm)
    labels = [township_name(district, r["id"], lang) for r in rows]
    _bar(drawing, 0, i18n.t("monthly.score", lang), labels, [r["score"] for r in rows], name, 100, width=200 * mm)
    return drawing


def _analytics(charts: dict[str, Any], lang: str, name: str) -> Drawing:
    """Draw the analytics view's charts of the day from its chart data: reports per hour by source, categories."""
    hourly, rows = charts["hourly"], charts["categories"]["rows"]
    drawing = Drawing(270 * mm, 62 * mm)
    stacks = [hourly["today"][s] for s in hourly["sources"]]
    caption = i18n.t("analytics.received", lang) + " · " + i18n.t("analytics.today", lang)
    hours = [f"{h:02d}" if h % 3 == 0 else "" for h in range(len(stacks[0]))]
    _bar(
        drawing,
        0,
        caption,
        hours,
        stacks,
        name,
        None,
        width=120 * mm,
        legend=[i18n.t(f"analytics.src.{s}", lang) for s in hourly["sources"]],
    )
    caption = i18n.t("analytics.categories", lang) + " · " + i18n.t("analytics.on_time_rate", lang)
    _bar(
        drawing,
        138 * mm,
        caption,
        [i18n.name("category", r["code"], lang) for r in rows],
        [100 * (r["on_time_rate"] or 0) for r in rows],
        name,
        100,
        width=120 * mm,
    )
    return drawing


SOURCE_COLOURS = [colors.HexColor(c) for c in ("#60a5fa", "#0ea5e9", "#34d399", "#a78bfa", "#64748b")]


def _bar(
    drawing: Drawing,
    x: float,
    caption: str,
    labels: list[str],
    values: Sequence[float] | Sequence[Sequence[float]],
    name: str,
    top: float | None,
    width: float = 75 * mm,
    legend: list[str] | None = None,
) -> None:
    """Draw one bar chart; values of several series (legend names them) are stacked."""
    stacked = bool(values) and isinstance(values[0], list)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = x + 10 * mm, 8 * mm, width, 44 * mm
    chart.data = values if stacked else [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = _font_for(labels, name)
    chart.valueAxis.labels.fontName = LATIN_FONT
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    if top is not None:
        chart.valueAxis.valueMax = top
    if stacked:
        chart.categoryAxis.style = "stacked"
        for i in range(len(values)):
            chart.bars[i].fillColor = SOURCE_COLOURS[i % len(SOURCE_COLOURS)]
    else:
        chart.bars[0].fillColor = BAR
    drawing.add(chart)
    drawing.add(String(x + 10 * mm, 56 * mm, caption, fontName=_font_for([caption], name), fontSize=9))
    for i, label in enumerate(legend or []):
        drawing.add(
            String(
                x + 10 * mm + width + 2 * mm,
                50 * mm - i * 4 * mm,
                label,
                fontName=_font_for([label], name),
                fontSize=6,
                fillColor=SOURCE_COLOURS[i % len(SOURCE_COLOURS)],
            )
        )


def _font_for(texts: list[str], cjk: str) -> str:
    """Return the CJK font when any text has a CJK character (the chart's labels are one language), else Latin."""
    return cjk if any(ord(ch) >= CJK_START for t in texts for ch in t) else LATIN_FONT
