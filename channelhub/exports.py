"""The one writer of CSV and XLSX files: exported cells are data, never formulas.

Text in exports comes from people we do not control: the public application form, partner
administrators, campaign names. A spreadsheet program runs a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``), and a leading
tab or carriage return can hide such a prefix. ``neutralise`` prefixes those strings with a
single quote (OWASP's advice), and ``write_xlsx`` stores every text cell as a string cell, so
even a value that slipped through is never a formula. Numbers, dates and booleans are not
text and keep their type: a negative number is still a number.

Every hand-written export calls ``write_csv`` / ``write_xlsx`` (or ``file_response``); the
admin's django-import-export exports go through ``SafeCSV`` / ``SafeXLSX``
(``channelhub.admin.base.TenantScopedAdmin``). import-export's own
``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only strips a leading ``=``, which is not enough.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from import_export.formats.base_formats import CSV, XLSX

# What makes a spreadsheet read a text cell as a formula (or hide the character that does).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _text(value: Any) -> str:
    """A CSV cell: numbers and dates written plainly, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"  # what import-export writes and reads back for booleans
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


def write_csv(rows: Iterable[Sequence[Any]], headers: Sequence[Any] | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if headers is not None:
        writer.writerow([_text(header) for header in headers])
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # openpyxl refuses aware datetimes
    if value is None or isinstance(value, bool | int | float | datetime.date | datetime.time | datetime.timedelta):
        return value
    return neutralise(str(value))


def write_xlsx(
    rows: Iterable[Sequence[Any]],
    headers: Sequence[Any] | None = None,
    *,
    title: str = "Sheet1",
    bold_last_row: bool = False,
    freeze: str | None = "A2",
) -> bytes:
    """One sheet: a bold header row, then ``rows``; text cells are always string cells."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or "Sheet1")[:31]
    lines = ([list(headers)] if headers is not None else []) + [list(row) for row in rows]
    widths: dict[int, int] = {}
    for row_number, line in enumerate(lines, start=1):
        bold = (headers is not None and row_number == 1) or (bold_last_row and row_number == len(lines))
        for column, raw in enumerate(line, start=1):
            value = _xlsx_value(raw)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # openpyxl turns any string beginning with "=" into a formula cell; force text.
                cell.data_type = "s"
            if bold:
                cell.font = Font(bold=True)
            widths[column] = max(widths.get(column, 0), len(str(value if value is not None else "")))
    for column, width in widths.items():
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = min(max(10, width + 2), 60)
    if freeze and lines:
        sheet.freeze_panes = freeze
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(extension: str, rows: Iterable[Sequence[Any]], headers: Sequence[Any] | None = None, **xlsx) -> bytes:
    if extension == "csv":
        return write_csv(rows, headers)
    if extension == "xlsx":
        return write_xlsx(rows, headers, **xlsx)
    raise ValueError(f"Unknown export format {extension!r}")


def file_response(content: bytes, extension: str, filename: str) -> HttpResponse:
    """The download of an export made by ``write``."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --------------------------------------------------------------------------- admin (django-import-export)


class SafeCSV(CSV):
    """import-export's CSV, written by ``write_csv`` (expects native values: see the admin)."""

    def is_binary(self) -> bool:
        return True  # ``write_csv`` returns encoded bytes (with the byte-order mark)

    def export_data(self, dataset, **kwargs) -> bytes:
        return write_csv(list(dataset), dataset.headers)


class SafeXLSX(XLSX):
    """import-export's XLSX, written by ``write_xlsx``: text cells are strings, never formulas."""

    def export_data(self, dataset, **kwargs) -> bytes:
        return write_xlsx(list(dataset), dataset.headers, title=dataset.title or "Sheet1")
