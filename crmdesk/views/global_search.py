"""The toolbar's search across every kind of record, with a drop-down of hits that opens the record."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from crmdesk.labels import entity_singular
from crmdesk.services.registry import Services
from crmdesk.services.search import SearchHit, search
from crmdesk.services.uow import Actor

HIT_ROLE = Qt.ItemDataRole.UserRole + 20


class GlobalSearchBox(QLineEdit):
    """Type a name (张伟), pinyin initials (zw) or the last digits of a phone; pick a hit to open it."""

    hit_chosen = Signal(object)  # SearchHit

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("globalSearch")
        self.services = services
        self.actor = actor
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(self.tr("Search everything: name, pinyin, phone…"))
        self.setMinimumWidth(280)
        self.hits = QStandardItemModel(self)
        self.popup_completer = QCompleter(self.hits, self)
        self.popup_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.popup_completer.setWidget(self)
        self.popup_completer.setMaxVisibleItems(15)
        self.popup_completer.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.run_search)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.run_search)

    def run_search(self) -> list[SearchHit]:
        self._timer.stop()
        text = self.text().strip()
        self.hits.clear()
        if not text:
            return []
        found = search(self.services.db, self.actor, text, limit=10)
        for hit in found:
            parts = [f"[{entity_singular(hit.entity)}]", hit.title, hit.detail, hit.phone or ""]
            item = QStandardItem("  ".join(part for part in parts if part))
            item.setData(hit, HIT_ROLE)
            self.hits.appendRow(item)
        if not found:
            item = QStandardItem(self.tr("Nothing found"))
            item.setEnabled(False)
            self.hits.appendRow(item)
        if self.isVisible():
            self.popup_completer.complete()
        return found

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.hit_chosen.emit(hit)
