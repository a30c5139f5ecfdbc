"""The global search box: debounced, every kind of record, a hit chosen from the list is reported."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.registry import Services
from crmdesk.services.search import SearchHit
from crmdesk.services.uow import Actor
from crmdesk.views.global_search import HIT_ROLE, GlobalSearchBox


def test_typing_searches_after_a_pause_and_lists_hits_by_kind(app: QApplication, qtbot: QtBot, services: Services,
                                                              actor: Actor, book: dict[str, str]) -> None:
    box = GlobalSearchBox(services, actor)
    qtbot.addWidget(box)
    box.show()
    qtbot.keyClicks(box, "1111")  # the last digits of 李娜's phone
    assert box.hits.rowCount() == 0
    qtbot.waitUntil(lambda: box.hits.rowCount() == 1, timeout=2000)
    hit = box.hits.index(0, 0).data(HIT_ROLE)
    assert isinstance(hit, SearchHit) and hit.id == book["lina"]
    assert box.hits.index(0, 0).data() == "[线索]  李娜  13900001111"
    popup = box.popup_completer.popup()
    assert popup is not None and popup.isVisible()

    chosen: list[object] = []
    box.hit_chosen.connect(chosen.append)
    box.popup_completer.activated[type(box.hits.index(0, 0))].emit(box.hits.index(0, 0))  # type: ignore[index]
    assert chosen == [hit]


def test_short_or_empty_queries_search_nothing(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                               book: dict[str, str]) -> None:
    box = GlobalSearchBox(services, actor)
    qtbot.addWidget(box)
    assert box.run_search() == []
    box.setText("678")  # three digits would match half the book: the service refuses
    assert box.run_search() == [] and box.hits.index(0, 0).data() == "没有找到"
