"""The Qt side of the one translation catalog: a QTranslator answering from crmdesk.i18n."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from crmdesk import i18n

log = logging.getLogger(__name__)


class CatalogTranslator(QTranslator):
    """Answers tr()/translate() from the same .ts files the services read, so there is one catalog.

    PySide6's `self.tr()` names the most-derived class as the context, so a subclass of a widget
    would miss its base class's entries; a message found under no context of its own is therefore
    looked up by its source text alone (identical English means identical meaning here).
    """

    def __init__(self, language: str, parent: QCoreApplication | None = None) -> None:
        super().__init__(parent)
        self.catalog_language = language
        self._catalog = i18n.load_catalog(language)
        self._by_source: dict[str, str] = {}
        for (_context, source), text in self._catalog.items():
            self._by_source.setdefault(source, text)

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null QString) tells Qt "not mine", so it asks the next translator (Qt's own
        # strings) and finally shows the source; an empty string would blank the text instead.
        return self._catalog.get((context, source)) or self._by_source.get(source)

    def isEmpty(self) -> bool:
        return not self._catalog


_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, language: str) -> None:
    """Switch the application (views and services) to `language`; replaces earlier translators."""
    i18n.set_language(language)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale("zh_CN" if language == "zh_CN" else "en_US"))
    if language == "en":
        return
    qt_translator = QTranslator(app)
    # Qt's own strings (OK/Cancel on message boxes, the line-edit context menu) come with PySide6.
    if qt_translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    else:
        log.warning("Qt's own %s translation is missing; standard buttons stay in English", language)
    ours = CatalogTranslator(language, app)
    app.installTranslator(ours)
    _installed.append(ours)
