"""Small presentation helpers for portal templates."""

from __future__ import annotations

import re

from django import template

register = template.Library()

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@register.filter
def person_name(user) -> str:
    """A person's name as they write it: 王芳 for Chinese names, "Fang Wang" otherwise."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def initials(user) -> str:
    """One or two letters for an avatar; Chinese names show their last two characters (王芳 → 王芳, 李小龙 → 小龙)."""
    if user is None:
        return "?"
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"[-2:]
    letters = (first[:1] + last[:1]) or user.get_username()[:1]
    return letters.upper() or "?"


@register.simple_tag(takes_context=True)
def render_panel(context, panel) -> str:
    """Render an app's registered panel (``channelhub.portal.registry``) with the context its function returned."""
    from django.template.loader import render_to_string

    return render_to_string(panel.template, {**panel.context, "panel": panel}, request=context.get("request"))


@register.filter
def invitee_name(invitation) -> str:
    """The name the inviter typed, written as its owner would (王芳, "Fang Wang"); empty if none."""
    first, last = (invitation.first_name or "").strip(), (invitation.last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
