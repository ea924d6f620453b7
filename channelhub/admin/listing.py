"""Changelist rendering cost: the header row once per list, the action box without templates.

unfold's ``items_for_result`` calls ``result_headers(cl)`` for every row (it reads one label per
cell from it), and each call rebuilds every column's label, ordering state and three sort URLs:
a fifth of a 50-row partner list's time at 100,000 partners (docs/performance.md). The headers
depend on the changelist only, so the first call's answer is kept on the ``ChangeList`` and
handed out again. Installed from ``ChannelHubAdminConfig.ready``.

Each row's action checkbox went through the form-widget template engine (unfold's
``UnfoldBooleanWidget``): a quarter of the partner list's rendering. Its HTML differs between
rows only in the value, so it is rendered once per language and the row's key put in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.admin import helpers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import checkbox
from unfold.decorators import display
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


_VALUE = "channelhub-action-box-value"
_action_box: dict[str | None, tuple[str, str]] = {}


def action_box(pk) -> SafeString:
    """The row's action checkbox: exactly unfold's widget output for ``pk``."""
    language = get_language()
    parts = _action_box.get(language)
    if parts is None:
        before, after = checkbox.render(helpers.ACTION_CHECKBOX_NAME, _VALUE).split(_VALUE)
        parts = _action_box[language] = (before, after)
    return mark_safe(parts[0] + escape(str(pk)) + parts[1])  # the widget's own HTML; the key escaped


class ActionBoxMixin:
    """Admins whose rows' action checkbox is put together from a once-rendered template."""

    @display(description=UnfoldModelAdmin.action_checkbox.short_description)
    def action_checkbox(self, obj) -> SafeString:
        return action_box(obj.pk)
