"""RecordTab: header sorting, the debounced search box, the status filter and remembered columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.record_form import RecordDialog
from crmdesk.views.record_tab import RecordTab


def _tab(qtbot: QtBot, services: Services, actor: Actor, settings: Settings, entity: str = "lead") -> RecordTab:
    tab = RecordTab(services, actor, entity, settings)
    qtbot.addWidget(tab)
    tab.resize(1200, 600)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activate()
    return tab


def _first_names(tab: RecordTab) -> list[str]:
    return [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]


def _click_header(qtbot: QtBot, tab: RecordTab, key: str) -> None:
    header = tab.view.horizontalHeader()
    section = tab.model.column_keys.index(key)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_the_model_is_made_on_first_activation(app: QApplication, services: Services, actor: Actor,
                                               settings: Settings, book: dict[str, str]) -> None:
    tab = RecordTab(services, actor, "customer", settings)
    assert not tab.is_loaded() and tab.view.model() is None
    tab.activate()
    assert tab.is_loaded() and tab.view.model() is tab.model and tab.model.rowCount() == 2


def test_clicking_a_header_sorts_in_sql(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                        settings: Settings, book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    assert _first_names(tab) == ["赵磊", "王芳", "李娜", "张伟"]  # newest first: the service's default
    _click_header(qtbot, tab, "name")
    first = _first_names(tab)
    assert tab.model.query.sort_key == "name"
    assert first in (["李娜", "王芳", "张伟", "赵磊"], ["赵磊", "张伟", "王芳", "李娜"])  # by pinyin
    _click_header(qtbot, tab, "name")
    assert _first_names(tab) == list(reversed(first))
    assert settings.sort_columns == {"leads": "name"}
    assert settings.sort_descending["leads"] == tab.model.query.descending

    again = _tab(qtbot, services, actor, settings)  # the sort is remembered per table
    assert again.model.query.sort_key == "name" and _first_names(again) == _first_names(tab)
    assert again.model.page_reads == 1  # read once, already in the remembered order


def test_the_search_box_filters_after_a_pause(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                              settings: Settings, book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    reads = tab.model.page_reads
    qtbot.keyClicks(tab.search_box, "wf")  # 王芳 by pinyin initials
    assert tab.model.rowCount() == 4 and tab.model.page_reads == reads  # nothing yet: typing is debounced
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=2000)
    assert _first_names(tab) == ["王芳"]
    tab.search_box.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4, timeout=2000)


def test_the_status_filter_lists_translated_statuses(app: QApplication, qtbot: QtBot, services: Services,
                                                     actor: Actor, settings: Settings, book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    combo = tab.status_filter
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels == ["全部状态", "新线索", "已联系", "已确认", "已转化", "无效"]
    with qtbot.waitSignal(tab.model.loaded, timeout=5_000):
        combo.setCurrentIndex(combo.findData("invalid"))
    assert _first_names(tab) == ["赵磊"]
    with qtbot.waitSignal(tab.model.loaded, timeout=5_000):
        combo.setCurrentIndex(0)
    assert tab.model.rowCount() == 4
    deals = _tab(qtbot, services, actor, settings, "opportunity")
    assert [deals.status_filter.itemText(i) for i in range(deals.status_filter.count())] == [
        "全部状态", "进行中", "赢单", "输单"]


def test_columns_can_be_hidden_and_widths_are_remembered(app: QApplication, qtbot: QtBot, services: Services,
                                                         actor: Actor, settings: Settings,
                                                         book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    menu = tab.column_menu()
    phone = next(action for action in menu.actions() if action.data() == "phone")
    assert phone.text() == "电话" and phone.isChecked()
    phone.trigger()
    assert tab.view.isColumnHidden(tab.model.column_keys.index("phone"))
    assert "phone" not in settings.visible_columns["leads"]
    tab.view.setColumnWidth(0, 222)
    assert settings.column_widths["leads"]["name"] == 222
    menu.close()

    again = _tab(qtbot, services, actor, settings)
    assert again.view.isColumnHidden(again.model.column_keys.index("phone"))
    assert again.view.columnWidth(0) == 222
    again.show_all_columns()
    assert "phone" in settings.visible_columns["leads"]


def test_enter_opens_the_current_record(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                        settings: Settings, book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    tab.view.selectRow(1)
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert tab.dialog is not None and tab.dialog.isVisible() and tab.dialog.windowTitle() == "线索：王芳"
    tab.dialog.reject()


def test_a_double_click_opens_one_form(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                       settings: Settings, book: dict[str, str]) -> None:
    tab = _tab(qtbot, services, actor, settings)
    opened: list[str] = []
    original = tab.open_record

    def open_record(record_id: str) -> RecordDialog | None:
        opened.append(record_id)
        return original(record_id)

    tab.open_record = open_record  # type: ignore[method-assign]
    rect = tab.view.visualRect(tab.model.index(0, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a real one starts
    qtbot.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [book["zhaolei"]]
    assert tab.dialog is not None
    tab.dialog.reject()


def test_row_heights_are_uniform_and_text_does_not_wrap(app: QApplication, qtbot: QtBot, services: Services,
                                                        actor: Actor, settings: Settings) -> None:
    tab = _tab(qtbot, services, actor, settings)
    header = tab.view.verticalHeader()
    assert header.sectionResizeMode(0) == header.ResizeMode.Fixed
    assert not tab.view.wordWrap() and tab.view.isSortingEnabled()
    assert not tab.edit_button.isEnabled()  # nothing selected yet


def test_export_writes_the_list_as_filtered_off_the_gui_thread(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings, book: dict[str, str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import csv

    from PySide6.QtWidgets import QFileDialog

    tab = _tab(qtbot, services, actor, settings)
    with qtbot.waitSignal(tab.model.loaded, timeout=5_000):
        tab.model.set_search("wf")  # 王芳 by pinyin initials
    target = tmp_path / "leads.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV (*.csv)"))
    with qtbot.waitSignal(tab.export_finished, timeout=10_000) as finished:
        qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
        assert not tab.export_button.isEnabled()  # one export at a time; the window stays usable
    assert finished.args[0].rows == 1 and tab.export_button.isEnabled()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "姓名" and [row[0] for row in rows[1:]] == ["王芳"]
