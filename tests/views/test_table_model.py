"""RecordTableModel: pages from the service, SQL sorting and filtering, formatted and translated cells."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.entities import ListQuery
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.table_model import RAW_VALUE_ROLE, RECORD_ID_ROLE, RecordTableModel

SERVICES = ("leads", "customers", "opportunities", "orders")


def _loaded(qtbot: QtBot, model: RecordTableModel, change: Callable[..., None], *args: Any) -> None:
    """Make a search or filter change and wait for its background load to land."""
    with qtbot.waitSignal(model.loaded, timeout=5_000):
        change(*args)
    assert not model.is_loading()


def _model(services: Services, actor: Actor, name: str, **options: Any) -> RecordTableModel:
    return RecordTableModel(getattr(services, name), actor, **options)


def _column(model: RecordTableModel, key: str) -> int:
    return model.column_keys.index(key)


def _texts(model: RecordTableModel, key: str) -> list[str]:
    column = _column(model, key)
    return [model.index(row, column).data() for row in range(model.rowCount())]


@pytest.mark.parametrize("name", SERVICES)
def test_model_passes_qt_model_tester_with_data(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, book: dict[str, str], qtmodeltester: Any, name: str
) -> None:
    model = _model(services, actor, name)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    _loaded(qtbot, model, model.set_search, "张")
    qtmodeltester.check(model, force_py=True)


def test_rows_come_in_pages_and_the_cache_is_bounded(app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    for number in range(57):
        services.leads.create(actor, {"name": f"客户{number:02d}", "phone": f"1380000{number:04d}"})
    model = _model(services, actor, "leads", page_size=10, max_pages=3)
    assert model.rowCount() == 57 and model.page_reads == 1  # only the first page during the reset
    assert model.index(56, 0).data() is not None  # the last page is read on demand
    assert model.page_reads == 2
    for row in range(0, 57, 10):
        model.index(row, 0).data()
    assert model.cached_pages() == 3
    ids = [model.index(row, 0).data(RECORD_ID_ROLE) for row in range(57)]
    assert len(set(ids)) == 57  # every row once, across page boundaries and both read directions


def test_sort_orders_in_sql_and_keeps_the_count(
    app: QApplication, services: Services, actor: Actor, book: dict[str, str]
) -> None:
    model = _model(services, actor, "leads")
    calls: list[ListQuery] = []
    original = services.leads.count

    def counting(actor: Actor, query: ListQuery) -> int:
        calls.append(query)
        return original(actor, query)

    services.leads.count = counting  # type: ignore[method-assign]
    model.sort(_column(model, "name"), Qt.SortOrder.AscendingOrder)
    assert _texts(model, "name") == ["李娜", "王芳", "张伟", "赵磊"]  # by pinyin: li, wang, zhang, zhao
    model.sort(_column(model, "name"), Qt.SortOrder.DescendingOrder)
    assert _texts(model, "name") == ["赵磊", "张伟", "王芳", "李娜"]
    assert model.query.sort_key == "name" and model.query.descending
    assert calls == []  # a re-sort does not count again
    model.sort(-1)
    assert model.query.sort_key is None


def test_search_and_filters_narrow_the_rows(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            book: dict[str, str]) -> None:
    model = _model(services, actor, "leads")
    resets: list[int] = []
    model.loaded.connect(resets.append)
    _loaded(qtbot, model, model.set_search, "zw")  # pinyin initials of 张伟
    assert _texts(model, "name") == ["张伟"]
    _loaded(qtbot, model, model.set_search, "2222")  # the last digits of a phone
    assert _texts(model, "name") == ["王芳"]
    _loaded(qtbot, model, model.set_search, "")
    _loaded(qtbot, model, model.set_filters, {"status": "contacted"})
    assert _texts(model, "name") == ["李娜"]
    _loaded(qtbot, model, model.set_filters, {})
    assert model.rowCount() == 4
    assert resets == [1, 1, 4, 1, 4]


def test_cells_are_formatted_by_kind_and_codes_are_in_chinese(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, book: dict[str, str]
) -> None:
    leads = _model(services, actor, "leads")
    _loaded(qtbot, leads, leads.set_search, "张伟")
    assert leads.index(0, _column(leads, "source")).data() == "展厅到店"
    assert leads.index(0, _column(leads, "status")).data() == "新线索"
    assert leads.index(0, _column(leads, "intended_purchase_date")).data() == "2026-03-05"
    assert leads.index(0, _column(leads, "owner_id")).data() == actor.display_name
    created = leads.index(0, _column(leads, "created_at")).data()
    assert len(created) == 16 and created[4] == "-" and created[13] == ":"  # yyyy-MM-dd HH:mm, local time
    score = leads.index(0, _column(leads, "score"))
    assert score.data() == "60"
    assert score.data(Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

    deals = _model(services, actor, "opportunities")
    amount = deals.index(0, _column(deals, "amount"))
    assert amount.data() == "¥1,234,567.50"
    assert amount.data(RAW_VALUE_ROLE) == Decimal("1234567.50")
    assert deals.index(0, _column(deals, "stage_id")).data() == "初步接洽"
    assert deals.index(0, _column(deals, "status")).data() == "进行中"
    orders = _model(services, actor, "orders")
    assert orders.index(0, _column(orders, "total")).data() == "¥258,000.00"
    assert orders.index(0, _column(orders, "status")).data() == "草稿"


def test_headers_are_translated(app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    model = _model(services, actor, "leads")
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles[:5] == ["姓名", "电话", "公司", "线索来源", "线索状态"]
    customers = _model(services, actor, "customers")
    assert customers.headerData(0, Qt.Orientation.Horizontal) == "客户名称"


def test_row_of_finds_a_record_in_the_current_order(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, book: dict[str, str]
) -> None:
    model = _model(services, actor, "leads")
    model.sort(_column(model, "name"), Qt.SortOrder.AscendingOrder)
    assert model.row_of(book["zhangwei"]) == 2
    assert model.record_id(2) == book["zhangwei"]
    _loaded(qtbot, model, model.set_search, "李")
    assert model.row_of(book["zhangwei"]) is None


def test_a_search_is_read_off_the_gui_thread_and_only_the_newest_lands(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, book: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    model = _model(services, actor, "leads")
    counted_on_gui_thread: list[bool] = []
    count = services.leads.count

    def spying_count(who: Actor, query: ListQuery) -> int:
        counted_on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return count(who, query)

    monkeypatch.setattr(services.leads, "count", spying_count)
    landed: list[int] = []
    model.loaded.connect(landed.append)
    model.set_search("zw")
    model.set_search("2222")  # typed on before the first search came back
    assert model.is_loading() and model.rowCount() == 4  # the old rows stay until the new ones land
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5_000)
    qtbot.wait(50)  # a late result of the first search would land now: it must be dropped
    assert _texts(model, "name") == ["王芳"] and landed == [1]
    assert counted_on_gui_thread == [False, False]
