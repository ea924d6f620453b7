"""Changelist rendering cost: the header row is computed once per list, not once per row.

unfold's ``items_for_result`` calls ``result_headers(cl)`` for every row (it reads one label per
cell from it), and each call rebuilds every column's label, ordering state and three sort URLs:
a fifth of a 50-row partner list's time at 100,000 partners (docs/performance.md). The headers
depend on the changelist only, so the first call's answer is kept on the ``ChangeList`` and
handed out again. Installed from ``ChannelHubAdminConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from unfold.templatetags import unfold_list

_unfold_result_headers = unfold_list.result_headers


def result_headers_once(cl) -> Iterator[dict[str, Any]]:
    headers = getattr(cl, "_channelhub_result_headers", None)
    if headers is None:
        headers = list(_unfold_result_headers(cl))
        cl._channelhub_result_headers = headers
    return iter(headers)


def install() -> None:
    unfold_list.result_headers = result_headers_once
