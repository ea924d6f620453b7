"""CSV and XLSX renderers for the report endpoints (``?format=csv`` / ``?format=xlsx`` or ``Accept``).

They render the same dictionary the JSON answer has (``reports.Table.as_dict()``), so a file
holds exactly the rows and columns of the response. Errors (400, 403) come out as plain text.
"""

from __future__ import annotations

from rest_framework.renderers import BaseRenderer

from .. import reports


class _ReportRenderer(BaseRenderer):
    extension = ""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if not isinstance(data, dict) or "rows" not in data:
            if response is not None:
                response["Content-Type"] = "text/plain; charset=utf-8"
            detail = data.get("detail", data) if isinstance(data, dict) else data
            return str(detail).encode("utf-8")
        if response is not None:
            filename = reports.export_filename(data["report"], data["by"], self.extension)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return reports.export(data, self.extension)


class ReportCSVRenderer(_ReportRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    extension = "csv"


class ReportXLSXRenderer(_ReportRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"
    extension = "xlsx"
