"""The gettext catalogs are complete, compiled and current.

SPEC: "All three languages are complete in every page, e-mail, feed title and PDF."
English msgstr repeat their msgid, so "complete" means the same thing in every catalog:
no empty msgstr, no fuzzy entry.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from bookings.models import Booking, BookingStatus
from bookings.validators import normalise_business_id

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# A named printf-style placeholder: %(name)s, %(count)d, %(amount).2f ...
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")

# What the freshness check leaves out of its copy of the project: what makemessages is told
# to ignore, plus local state (databases, uploads, caches) that holds no source strings.
NOT_SOURCE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "node_modules",
    "*.sqlite3*",
    "media",
    "staticfiles",
    "tests",
    "__pycache__",
    ".*cache*",
    ".hypothesis",
    "*.egg-info",
    "build",
)
MAKEMESSAGES_FLAGS = [
    "--ignore=.venv",
    "--ignore=tests",
    "--ignore=node_modules",
    "--ignore=staticfiles",
    "--no-location",
]

Key = tuple[str | None, str]


def po_path(lang: str, root: Path = LOCALE) -> Path:
    return root / lang / "LC_MESSAGES" / "django.po"


def catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(po_path(lang)))


def key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def translations(entry: polib.POEntry | polib.MOEntry) -> list[str]:
    """The msgstr of an entry, or each of its plural forms in order."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def describe(keys: set[Key]) -> str:
    return "\n".join(
        f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "")
        for ctx, msgid in sorted(keys, key=lambda k: (k[1], k[0] or ""))
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang: str) -> None:
    po = catalog(lang)
    assert len(po) > 0
    untranslated = {key(e) for e in po if not all(translations(e))}
    fuzzy = {key(e) for e in po if "fuzzy" in e.flags}
    assert not untranslated, f"Untranslated entries in {lang}:\n{describe(untranslated)}"
    assert not fuzzy, f"Fuzzy entries in {lang} (check them, then remove the flag):\n" + (
        describe(fuzzy)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_header_names_language_charset_and_plural_forms(lang: str) -> None:
    metadata = catalog(lang).metadata
    assert metadata["Language"] == lang
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_source(lang: str) -> None:
    mismatched = []
    for entry in catalog(lang):
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for text in translations(entry):
            if placeholders(text) != expected:
                mismatched.append(f"  {entry.msgid!r} -> {text!r}")
    assert not mismatched, f"Placeholders differ in {lang}:\n" + "\n".join(mismatched)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_its_source(lang: str) -> None:
    po = catalog(lang)
    mo = polib.mofile(str(po_path(lang).with_suffix(".mo")))
    in_po = {key(e): translations(e) for e in po.translated_entries()}
    in_mo = {key(e): translations(e) for e in mo if e.msgid}
    assert in_mo == in_po, f"locale/{lang}/LC_MESSAGES/django.mo is stale: run `make messages`."


def test_catalogs_hold_every_string_of_the_source(tmp_path: Path) -> None:
    """makemessages on a copy of the project finds exactly the committed entries."""
    assert shutil.which("xgettext"), "This test needs GNU gettext (apt-get install gettext)."
    project = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, project, ignore=NOT_SOURCE)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heideken.settings", "DEBUG": "true"}
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "fi", *MAKEMESSAGES_FLAGS],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {key(e) for e in polib.pofile(str(po_path("fi", project / "locale")))}
    committed = {key(e) for e in catalog("fi")}
    missing, stale = fresh - committed, committed - fresh
    assert not missing, (
        "Strings in the source that the catalogs do not have: run `make messages` and "
        f"translate them in fi, sv and en:\n{describe(missing)}"
    )
    assert not stale, (
        f"Catalog entries no longer in the source: run `make messages`:\n{describe(stale)}"
    )


@pytest.mark.parametrize(
    ("lang", "status", "verbose_name"),
    [("fi", "Hyväksytty", "varaus"), ("sv", "Godkänd", "bokning"), ("en", "Approved", "booking")],
)
def test_model_labels_follow_the_active_language(lang: str, status: str, verbose_name: str) -> None:
    with translation.override(lang):
        assert str(BookingStatus.APPROVED.label) == status
        assert str(Booking._meta.verbose_name) == verbose_name


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Anna kelvollinen Y-tunnus, esimerkiksi 2331972-7."),
        ("sv", "Ange ett giltigt finskt FO-nummer (Y-tunnus), till exempel 2331972-7."),
    ],
)
def test_validation_errors_follow_the_active_language(lang: str, message: str) -> None:
    with translation.override(lang):
        with pytest.raises(ValidationError) as error:
            normalise_business_id("1234567-0")
        # The message is lazy: it takes the language that is active when it is read.
        assert error.value.messages == [message]
