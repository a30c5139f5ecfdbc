"""The one translation catalog: Qt Linguist .ts files, read here for services and for the views.

Source strings are English. zh_CN is the default language. Views reach this catalog through a
QTranslator (crmdesk.views.i18n), services and PDFs through `_()`; both read the same files, so a
translator edits one place (with Qt Linguist or by hand).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
SERVICES_CONTEXT = "services"

_language = DEFAULT_LANGUAGE


def catalog_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"crmdesk_{language}.ts"


@lru_cache(maxsize=8)
def load_catalog(language: str) -> dict[tuple[str, str], str]:
    """(context, source) -> translation, finished entries only. English has no file: it is the source."""
    path = catalog_path(language)
    if language == "en" or not path.exists():
        return {}
    catalog: dict[tuple[str, str], str] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None or translation.get("type") in ("unfinished", "obsolete"):
                continue
            if translation.text:
                catalog[(name, source)] = translation.text
    return catalog


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    _language = language


def current_language() -> str:
    return _language


def translate(context: str, source: str, language: str | None = None) -> str:
    return load_catalog(language or current_language()).get((context, source), source)


def _(source: str, **values: object) -> str:
    """Translate a services/PDF message; `{name}` placeholders are filled after translation."""
    text = translate(SERVICES_CONTEXT, source)
    return text.format(**values) if values else text
