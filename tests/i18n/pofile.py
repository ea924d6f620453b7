"""A small reader for gettext catalogues (.po), enough for checking completeness.

No third-party dependency: the checks must run where only Django is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    def describe(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def parse(path: Path | str) -> list[Entry]:
    """Every entry of a .po file, the header included, obsolete (#~) ones flagged."""
    return parse_text(Path(path).read_text(encoding="utf-8"))


def parse_text(text: str) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: str | None = None

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is not None and (entry.msgid or entry.msgstr or entry.msgctxt is not None):
            entries.append(entry)
        entry = Entry(line=lineno)
        return entry

    pending_flags: set[str] = set()
    pending_refs: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            elif line.startswith("#:"):
                pending_refs += line[2:].split()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, text = match.group(1), _unescape(match.group(2))
            # An entry starts at its msgctxt, or at its msgid when it has no context.
            if keyword == "msgctxt" or (keyword == "msgid" and target != "msgctxt"):
                start(lineno)
                entry.flags, entry.references = pending_flags, pending_refs
                pending_flags, pending_refs = set(), []
            entry.obsolete = entry.obsolete or obsolete
            target = keyword
            _append(entry, keyword, text)
            continue
        match = _CONTINUATION.match(line)
        if match and entry is not None and target is not None:
            _append(entry, target, _unescape(match.group(1)))
    if entry is not None:
        entries.append(entry)
    return entries


def _append(entry: Entry, keyword: str, text: str) -> None:
    if keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif keyword == "msgid":
        entry.msgid += text
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    else:
        index = int(keyword[7:-1]) if "[" in keyword else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + text


def live_entries(path: Path | str) -> list[Entry]:
    """The entries a compiled catalogue would contain: no header, nothing obsolete."""
    return [entry for entry in parse(path) if not entry.is_header and not entry.obsolete]


def header(path: Path | str) -> dict[str, str]:
    for entry in parse(path):
        if entry.is_header:
            text = entry.msgstr.get(0, "")
            return {
                key.strip(): value.strip()
                for key, _, value in (line.partition(":") for line in text.splitlines() if ":" in line)
            }
    return {}
