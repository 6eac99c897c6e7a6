"""A report's files: PDF (report_pdf), an Excel workbook with one sheet per table (openpyxl), and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from application import report_pdf
from application.cells import is_formula_like, neutralise
from application.report_tables import subtitle, tables, title
from application.table import Table
from domain.model import District

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
HEAD_FILL = PatternFill("solid", fgColor="12355B")
HEAD_FONT = Font(bold=True, color="FFFFFF")


def render(report: dict[str, Any], district: District, fmt: str, lang: str = "zh") -> bytes:
    """Return the report in a format: pdf, xlsx or csv."""
    if fmt == "pdf":
        return report_pdf.render(report, district, lang)
    if fmt == "xlsx":
        return workbook(report, district, lang)
    if fmt == "csv":
        return csv_bytes(report, district, lang)
    raise ValueError(f"unknown report format {fmt!r}")


def workbook(report: dict[str, Any], district: District, lang: str) -> bytes:
    """Return an .xlsx with one sheet per table (named by the table's key), rates as percentages."""
    wb = Workbook(write_only=True)  # streams rows: a busy day's breach sheet has thousands
    for table in tables(report, district, lang):
        ws = wb.create_sheet(table.key)
        _widths(ws, table)
        ws.freeze_panes = "A4"
        ws.append([_text(ws, table.title)])
        ws.append([_text(ws, title(report, district, lang) + " · " + subtitle(report, district, lang))])
        ws.append([_styled(ws, h, font=HEAD_FONT, fill=HEAD_FILL) for h in table.headers])
        for r, row in enumerate(table.rows):
            ws.append(
                [
                    _styled(ws, v, number_format="0.0%")
                    if isinstance(v, float) and table.is_rate(r, c)
                    else _text(ws, v)
                    for c, v in enumerate(row)
                ]
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(ws: Any, value: Any) -> Any:
    """Return a cell's value as it goes in: text a spreadsheet would run becomes a text cell, the rest stays plain."""
    return _styled(ws, value) if is_formula_like(value) else value


def _styled(ws: Any, value: Any, **style: Any) -> Any:
    """Return a cell of the value with a style; text that looks like a formula is held as text."""
    cell = WriteOnlyCell(ws, value=value)
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl reads a leading = as a formula
        cell.quotePrefix = True  # Excel's own "text, not a formula" mark, kept when someone edits the cell
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def _widths(ws: Any, table: Table) -> None:
    for c, head in enumerate(table.headers):
        longest = max([len(str(head))] + [len(str(row[c])) for row in table.rows[:500] if row[c] is not None])
        ws.column_dimensions[get_column_letter(c + 1)].width = min(48, 4 + 1.8 * longest)


def csv_bytes(report: dict[str, Any], district: District, lang: str) -> bytes:
    """Return every table in one CSV, each after a line with its key and title; UTF-8 with BOM for Excel."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow([neutralise(title(report, district, lang)), neutralise(subtitle(report, district, lang))])
    for table in tables(report, district, lang):
        out.writerow([])
        out.writerow([f"# {table.key}", neutralise(table.title)])
        out.writerow([neutralise(h) for h in table.headers])
        out.writerows([["" if v is None else neutralise(v) for v in row] for row in table.rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
