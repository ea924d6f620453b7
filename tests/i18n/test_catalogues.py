"""The translation catalogues are complete, compiled, up to date, and actually used.

(a) Every zh_Hans and en catalogue in the repository (the project's ``locale/`` and any app's
    own ``locale/``) has no untranslated and no fuzzy entry, and its compiled .mo matches it.
(b) Every string marked for translation in the code and templates is in the catalogue that
    Django's ``makemessages`` would put it in: an app with its own ``locale/`` keeps its
    strings there, everything else belongs to the project catalogue.
(c) A rendered zh-hans page is Chinese: no English UI string from the catalogue shows.
"""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory

from .pofile import Entry, header, live_entries, parse

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("zh_Hans", "en")
# Never part of the product's catalogues: tooling, tests, benchmarks, build output.
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "staticfiles", "media", "private_media", "tests", "bench",
             "__pycache__", "htmlcov", "build", "dist"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# A .mo written in the same checkout as its .po may carry a slightly older time stamp (git
# writes files in any order); anything beyond this is a .po edited without recompiling.
MTIME_SLACK_SECONDS = 60


def _walk(root: Path):
    for path in sorted(root.iterdir()):
        if path.is_dir():
            if path.name in SKIP_DIRS or path.name.startswith(".") or path.name.endswith(".egg-info"):
                continue
            yield path
            yield from _walk(path)


def locale_dirs() -> list[Path]:
    """The project's locale dir and every app's: where makemessages writes catalogues."""
    found = {Path(p).resolve() for p in settings.LOCALE_PATHS}
    found |= {path.resolve() for path in _walk(ROOT) if path.name == "locale"}
    return sorted(found)


def catalogues() -> list[Path]:
    return [
        directory / language / "LC_MESSAGES" / "django.po"
        for directory in locale_dirs()
        for language in LANGUAGES
        if (directory / language / "LC_MESSAGES" / "django.po").exists()
    ]


def _label(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _nplurals(path: Path) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header(path).get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


# ---------------------------------------------------------------------------------------- (a)


def test_every_locale_dir_has_both_languages():
    missing = [
        _label(directory / language / "LC_MESSAGES" / "django.po")
        for directory in locale_dirs()
        for language in LANGUAGES
        if not (directory / language / "LC_MESSAGES" / "django.po").exists()
    ]
    assert not missing, f"catalogues missing: {missing}"


@pytest.mark.parametrize("po", catalogues(), ids=_label)
def test_catalogue_is_complete_and_not_fuzzy(po: Path):
    entries = live_entries(po)
    problems = [f"fuzzy {entry.describe()}" for entry in entries if entry.fuzzy]
    problems += [f"untranslated {entry.describe()}" for entry in entries if not entry.translated]
    expected_forms = _nplurals(po)
    problems += [
        f"{len(entry.msgstr)} plural forms instead of {expected_forms}: {entry.describe()}"
        for entry in entries
        if entry.msgid_plural is not None and len(entry.msgstr) != expected_forms
    ]
    header_flags = next((entry.flags for entry in parse(po) if entry.is_header), set())
    if "fuzzy" in header_flags:
        problems.append("the header is fuzzy (msgfmt would ignore it, and with it the charset)")
    language = po.parent.parent.name
    if language == "en":
        problems += [
            f"English msgstr differs from msgid: {entry.describe()}"
            for entry in entries
            if entry.msgid_plural is None and entry.translated and entry.msgstr[0] != entry.msgid
        ]
    assert not problems, f"{_label(po)}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("po", catalogues(), ids=_label)
def test_compiled_catalogue_matches_its_source(po: Path):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{_label(mo)} is missing: run manage.py compilemessages and commit it"
    assert mo.stat().st_mtime + MTIME_SLACK_SECONDS >= po.stat().st_mtime, (
        f"{_label(mo)} is older than its .po: run manage.py compilemessages")
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry.describe() for entry in live_entries(po)
        if entry.translated and _compiled(compiled, entry) != _source(entry)
    ]
    assert not stale, f"{_label(mo)} does not match {_label(po)} (recompile):\n  " + "\n  ".join(stale[:20])


def _source(entry: Entry) -> tuple[str, ...]:
    return tuple(entry.msgstr[index] for index in sorted(entry.msgstr))


def _compiled(compiled: gettext.GNUTranslations, entry: Entry) -> tuple[str, ...]:
    if entry.msgid_plural is None:
        if entry.msgctxt is not None:
            return (compiled.pgettext(entry.msgctxt, entry.msgid),)
        return (compiled.gettext(entry.msgid),)
    forms = []
    for index in sorted(entry.msgstr):
        # The catalogue stores plural forms under (msgid, index); read them directly.
        key = (f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid, index)
        forms.append(compiled._catalog.get(key, ""))
    return tuple(forms)


# ---------------------------------------------------------------------------------------- (b)

GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


def _copy_sources(destination: Path) -> None:
    """The translatable sources and the locale dirs (empty), laid out as in the repository."""
    for directory in [ROOT, *_walk(ROOT)]:
        target = destination / directory.relative_to(ROOT)
        if directory.name == "locale":
            target.mkdir(parents=True, exist_ok=True)
            continue
        if any(parent.name == "locale" for parent in directory.relative_to(ROOT).parents):
            continue
        for path in directory.iterdir():
            if path.is_file() and path.suffix in SOURCE_SUFFIXES:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / path.name)


def _extract(tmp_path: Path, monkeypatch) -> dict[Path, set[tuple[str | None, str, str | None]]]:
    """Run makemessages over a copy of the sources: {locale dir (relative): msgid keys}."""
    workspace = tmp_path / "repo"
    _copy_sources(workspace)
    (workspace / "locale").mkdir(exist_ok=True)
    monkeypatch.chdir(workspace)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [str(workspace / "locale")])
    call_command(
        "makemessages", locale=["en"], verbosity=0,
        ignore_patterns=["tests/*", "bench/*", "staticfiles/*"],
    )
    extracted = {}
    for po in workspace.rglob("locale/en/LC_MESSAGES/django.po"):
        directory = po.parent.parent.parent.relative_to(workspace)
        extracted[directory] = {_key(entry) for entry in live_entries(po)}
    return extracted


def _key(entry: Entry) -> tuple[str | None, str, str | None]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_catalogues_contain_every_marked_string(tmp_path, monkeypatch):
    absent = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if absent:
        pytest.skip(f"GNU gettext tools missing ({', '.join(absent)}): apt-get install gettext")
    extracted = _extract(tmp_path, monkeypatch)
    assert Path("locale") in extracted, "makemessages found no strings for the project catalogue"
    problems = []
    for directory, wanted in sorted(extracted.items()):
        for language in LANGUAGES:
            po = ROOT / directory / language / "LC_MESSAGES" / "django.po"
            if not po.exists():
                problems.append(f"{_label(po)} is missing ({len(wanted)} strings belong in it)")
                continue
            have = {_key(entry) for entry in live_entries(po)}
            problems += [
                f"{_label(po)} lacks {msgid!r}" + (f" (context {context!r})" if context else "")
                for context, msgid, _plural in sorted(wanted - have, key=lambda key: key[1])
            ]
    assert not problems, (
        "catalogues are out of date; run `manage.py makemessages -l zh_Hans -l en` (see the README) "
        "and translate:\n  " + "\n  ".join(problems)
    )


# ---------------------------------------------------------------------------------------- (c)

_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<svg\b.*?</svg>|<[^>]+>", re.S)
_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt|data-label)="([^"]*)"')


def _visible_text(html: str) -> str:
    import html as html_module

    attributes = " ".join(_ATTRIBUTES.findall(html))
    return html_module.unescape(_TAGS.sub(" ", html) + " " + attributes)


def _english_ui_strings() -> list[str]:
    """Catalogue strings whose Chinese differs, without placeholders (they render filled in)."""
    project = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
    strings = []
    for entry in live_entries(project):
        if entry.msgid_plural is not None or "%" in entry.msgid or "<" in entry.msgid:
            continue
        if entry.msgstr.get(0) and entry.msgstr[0] != entry.msgid and re.search("[A-Za-z]{2}", entry.msgid):
            strings.append(entry.msgid)
    return strings


def _shown_forms(msgid: str) -> set[str]:
    """How a catalogue string can appear: as written, or capitalised (labels use capfirst).

    A lone lower-case word ("name", "status") is only looked for capitalised: in running text it
    is as likely to belong to Django's own strings as to ours.
    """
    capitalised = msgid[:1].upper() + msgid[1:]
    return {capitalised} if re.fullmatch(r"[a-z]+", msgid) else {msgid, capitalised}


@pytest.fixture
def chinese_partner_site(tenant):
    """Data in Chinese only, so that any English on the page can only come from the UI."""
    tenant.default_language = "zh-hans"
    tenant.save()
    with tenant_scope(tenant):
        region = RegionFactory(name="华东", name_en="")
        partner = PartnerFactory(legal_name="上海星辰科技有限公司", short_name="星辰科技", english_name="",
                                 region=region, website="")
        PartnerContactFactory(partner=partner, name="王芳", title="总经理", email="", phone="13800000000")
    admin = make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="wangfang", email="",
                        first_name="芳", last_name="王")
    make_member(tenant, Role.PARTNER_USER, partner=partner, username="liqiang", email="",
                first_name="强", last_name="李")
    manager = make_member(tenant, Role.CHANNEL_MANAGER, username="zhangwei", email="",
                          first_name="伟", last_name="张")
    return admin, manager


@pytest.mark.django_db
def test_rendered_chinese_pages_show_no_untranslated_ui_strings(client, chinese_partner_site):
    partner_admin, manager = chinese_partner_site
    english = _english_ui_strings()
    assert "Log in" in english, "the zh_Hans catalogue does not translate “Log in”"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    login_page = client.get("/portal/login/").content.decode()
    assert '<html lang="zh-hans">' in login_page and "登录" in login_page

    pages = {"/portal/login/": login_page}
    client.force_login(partner_admin)
    for url in ("/portal/", "/portal/staff/", "/portal/staff/invite/"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    client.force_login(manager)
    pages["/admin/"] = client.get("/admin/").content.decode()

    leaks = {}
    for url, html in pages.items():
        text = _visible_text(html)
        assert re.search(r"[\u4e00-\u9fff]", text), f"{url} has no Chinese text"
        found = [s for s in english if any(
            re.search(rf"(?<![A-Za-z]){re.escape(form)}(?![A-Za-z])", text) for form in _shown_forms(s))]
        if found:
            leaks[url] = found
    assert not leaks, f"English UI strings on zh-hans pages: {leaks}"
