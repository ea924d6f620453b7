"""Sales files: reading a partner's CSV/XLSX upload into rows, and the blank template to fill in.

Headers are matched in English or Chinese (``period`` / ``期间`` …), so a partner may fill in
the template in either language. Reading never decides what is valid: the service checks
every row and reports by line number.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from channelhub.exports import write_csv

# The columns, in the template's order, with the Chinese headers accepted for each.
COLUMNS = ("period", "sku", "region", "quantity", "amount", "currency", "end_customers", "correction", "reason")
ALIASES = {
    "期间": "period", "月份": "period", "产品编码": "sku", "产品": "sku", "区域": "region", "区域编码": "region",
    "数量": "quantity", "金额": "amount", "币种": "currency", "终端客户数": "end_customers",
    "更正": "correction", "更正原因": "reason", "原因": "reason",
}
MAX_FILE_BYTES = 20 * 1024 * 1024


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (too large, not UTF-8, not a workbook, no header)."""


def _header(cells) -> list[str]:
    names = []
    for cell in cells:
        name = str(cell or "").strip().lstrip("\ufeff")
        names.append(ALIASES.get(name, name.lower().replace(" ", "_")))
    return names


def read_rows(content: bytes, name: str) -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file, keyed by the column names."""
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is too large (at most 20 MB)."))
    if (name or "").lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            values = [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds on a damaged workbook
            raise UnreadableFile(_("The file is not a readable XLSX workbook.")) from error
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile(_("Save the CSV file as UTF-8.")) from error
        if "\x00" in text:
            raise UnreadableFile(_("The file is not a CSV text file."))
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise UnreadableFile(_("The file is empty."))
    header = _header(values[0])
    missing = [column for column in ("period", "sku", "region", "quantity", "amount") if column not in header]
    if missing:
        raise UnreadableFile(_("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return [dict(zip(header, row, strict=False)) for row in values[1:]]


def template_csv() -> bytes:
    """The blank template with one example line."""
    return write_csv([["2026-11", "SKU-001", "SH", 10, "12500.00", "CNY", 3, "", ""]], headers=COLUMNS)
