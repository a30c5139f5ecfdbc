"""The views' QTranslator answers from the same catalog as the services; Qt's own strings in Chinese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from crmdesk import i18n
from crmdesk.services.errors import NotFoundError
from crmdesk.views.i18n import CatalogTranslator, install_translators


def test_the_translator_reads_the_shared_catalog() -> None:
    translator = CatalogTranslator("zh_CN")
    assert translator.translate("RecordTab", "New") == "新建"
    assert translator.translate("services", "This field is required.") == "此项必填。"
    assert translator.translate("RecordTab", "No such message") is None  # None: let the next translator try
    assert not translator.isEmpty() and CatalogTranslator("en").isEmpty()


def test_a_subclass_context_falls_back_to_the_source_text() -> None:
    """PySide6's tr() names the most-derived class; a subclass still finds its base's messages."""
    assert CatalogTranslator("zh_CN").translate("MyRecordDialog", "New lead") == "新建线索"


def test_installing_switches_views_and_services_together(qapp: QApplication) -> None:
    try:
        install_translators(qapp, "zh_CN")
        assert i18n.current_language() == "zh_CN"
        assert QCoreApplication.translate("entities", "Leads") == "线索"
        assert NotFoundError("lead", "x").message == "该记录已不存在（可能已被删除）。"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own translation
        install_translators(qapp, "en")
        assert QCoreApplication.translate("entities", "Leads") == "Leads"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
        assert NotFoundError("lead", "x").message == "The record no longer exists (it may have been deleted)."
    finally:
        install_translators(qapp, "en")
