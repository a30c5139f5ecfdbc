"""The quotes tab: current versions paged from SQL, the status filter and search, the buttons each status
allows, a manager's approval and rejection with a comment, send and accept, a new version opened in the
editor, and the comparison of two versions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from crmdesk.services import quotes
from crmdesk.services.catalog import ProductService
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.quote_editor import QuoteEditor
from crmdesk.views.quotes_page import CommentDialog, CompareDialog, QuotesPage, QuotesTableModel


@pytest.fixture
def rep(new_user: Callable[[str, str, str], Actor]) -> Actor:
    return new_user("wanglei", "王磊", "consultant")


@pytest.fixture
def manager(new_user: Callable[[str, str, str], Actor]) -> Actor:
    return new_user("zhaomin", "赵敏", "manager")


@pytest.fixture
def deal(services: Services, actor: Actor) -> str:
    customer = services.customers.create(actor, {"name": "陈静"}).id
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "negotiation")
    return services.opportunities.create(actor, {"name": "华驰 S5 购车", "customer_id": customer, "stage_id": stage,
                                                 "amount": Decimal("189800")}).id


@pytest.fixture
def car(services: Services, actor: Actor) -> str:
    return ProductService(services.db).create(actor, {"code": "HC-S5", "name_zh": "华驰 S5 豪华版",
                                                      "list_price": "100000"}).id


def _page(qtbot: QtBot, services: Services, who: Actor, settings: Settings) -> QuotesPage:
    page = QuotesPage(services, who, settings)
    qtbot.addWidget(page)
    page.resize(1300, 600)
    page.show()
    qtbot.waitExposed(page)
    page.activate()
    return page


def _select(page: QuotesPage, quote_id: str) -> None:
    assert page.select_quote(quote_id)
    assert page.selected_id() == quote_id


def _quote(services: Services, who: Actor, deal: str, car: str, discount: str = "0") -> quotes.QuoteView:
    return quotes.create_quote(services.db, who, {"opportunity_id": deal},
                               [{"product_id": car, "discount_percent": discount}])


def test_the_page_lists_current_versions_with_filter_and_search(app_en: QApplication, qtbot: QtBot,
                                                                qtmodeltester: object, services: Services,
                                                                rep: Actor, settings: Settings, deal: str,
                                                                car: str) -> None:
    first = _quote(services, rep, deal, car)
    quotes.submit_quote(services.db, rep, first.id)
    quotes.send_quote(services.db, rep, first.id)
    quotes.revise_quote(services.db, rep, first.id)
    other = _quote(services, rep, deal, car, "1")
    page = _page(qtbot, services, rep, settings)
    model = page.model
    assert isinstance(model, QuotesTableModel) and model.rowCount() == 2
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Quote number", "Version", "Customer", "Status", "Total", "Valid until", "Owner"]
    texts = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert texts[0][:5] == [other.number, "V1", "陈静", "Draft", "¥99,000.00"]  # newest first
    assert texts[1][:5] == [first.number, "V2", "陈静", "Draft", "¥100,000.00"]
    assert page.status_text() == "2 quotes"

    page.search_box.setText(first.number[-4:])
    page.apply_filter()
    assert model.rowCount() == 1 and model.row_at(0) is not None and model.row_at(0).number == first.number  # type: ignore[union-attr]
    page.search_box.clear()
    page.status_box.setCurrentIndex(page.status_box.findData("sent"))
    assert model.rowCount() == 0
    page.status_box.setCurrentIndex(page.status_box.findData(None))
    assert model.rowCount() == 2
    page._sort_by(model.COLUMNS.index("total"))
    assert [model.row_at(r).total for r in range(2)] == [Decimal("99000.00"), Decimal("100000.00")]  # type: ignore[union-attr]


def test_buttons_follow_the_status_and_the_role(app_en: QApplication, qtbot: QtBot, services: Services, rep: Actor,
                                                manager: Actor, settings: Settings, deal: str, car: str) -> None:
    quote = _quote(services, rep, deal, car, "8")
    page = _page(qtbot, services, rep, settings)
    assert not page.approve_button.isVisible() and not page.reject_button.isVisible()
    assert not page.open_button.isEnabled()  # nothing selected
    _select(page, quote.id)
    assert page.open_button.isEnabled() and page.submit_button.isEnabled()
    assert not page.send_button.isEnabled() and not page.revise_button.isEnabled()
    assert not page.compare_button.isEnabled()  # one version only

    with qtbot.waitSignal(page.records_changed):
        submitted = page.submit_selected()
    assert submitted is not None and submitted.status == "pending_approval"
    assert isinstance(page.last_message, QMessageBox) and "8%" in page.last_message.text()
    assert not page.submit_button.isEnabled()

    boss = _page(qtbot, services, manager, settings)
    assert boss.approve_button.isVisible() and boss.status_text() == "1 quotes, 1 waiting for your approval"
    _select(boss, quote.id)
    assert boss.approve_button.isEnabled() and boss.reject_button.isEnabled()


def test_a_manager_rejects_with_a_comment_then_approves(app_en: QApplication, qtbot: QtBot, services: Services,
                                                        rep: Actor, manager: Actor, settings: Settings, deal: str,
                                                        car: str) -> None:
    quote = _quote(services, rep, deal, car, "8")
    quotes.submit_quote(services.db, rep, quote.id)
    page = _page(qtbot, services, manager, settings)
    _select(page, quote.id)
    dialog = page.reject_selected()
    assert isinstance(dialog, CommentDialog)
    dialog.accept()  # an empty comment is refused, the dialog stays
    assert dialog.isVisible() and dialog.error_label.isVisible()
    dialog.text_box.setPlainText("最多 5%")
    with qtbot.waitSignal(page.records_changed):
        dialog.accept()
    rejected = quotes.get_quote(services.db, manager, quote.id)
    assert (rejected.status, rejected.approval_status, rejected.approval_comment) == ("draft", "rejected", "最多 5%")
    assert page.selected_id() == quote.id and page.submit_button.isEnabled()

    quotes.submit_quote(services.db, rep, quote.id)
    page.refresh()
    approval = page.approve_selected()
    assert isinstance(approval, CommentDialog)
    approval.text_box.setPlainText("同意")
    approval.accept()
    assert quotes.get_quote(services.db, manager, quote.id).status == "approved"
    assert page.send_button.isEnabled() and not page.approve_button.isEnabled()


def test_send_accept_and_a_refusal_from_the_service_is_shown(app_en: QApplication, qtbot: QtBot, services: Services,
                                                             rep: Actor, settings: Settings, deal: str,
                                                             car: str) -> None:
    quote = _quote(services, rep, deal, car)
    quotes.submit_quote(services.db, rep, quote.id)
    page = _page(qtbot, services, rep, settings)
    _select(page, quote.id)
    sent = page.send_selected()
    assert sent is not None and sent.status == "sent" and page.accept_button.isEnabled()
    dialog = page.accept_selected()
    assert isinstance(dialog, CommentDialog)
    dialog.text_box.setPlainText("客户已签字")
    quotes.decline_quote(services.db, rep, quote.id)  # meanwhile, on another desk
    dialog.accept()
    assert page.last_message is not None and page.last_message.objectName() == "userErrorBox"
    assert "Rejected" in page.last_message.text()
    assert quotes.get_quote(services.db, rep, quote.id).status == "rejected"


def test_a_new_version_opens_in_the_editor_and_versions_compare(app_en: QApplication, qtbot: QtBot,
                                                                qtmodeltester: object, services: Services,
                                                                rep: Actor, settings: Settings, deal: str,
                                                                car: str) -> None:
    quote = _quote(services, rep, deal, car, "2")
    quotes.submit_quote(services.db, rep, quote.id)
    quotes.send_quote(services.db, rep, quote.id)
    page = _page(qtbot, services, rep, settings)
    _select(page, quote.id)
    assert page.revise_button.isEnabled()
    editor = page.revise_selected()
    assert isinstance(editor, QuoteEditor) and editor.view is not None and editor.view.version == 2
    qtbot.addWidget(editor)
    assert editor.lines_model.setData(editor.lines_model.index(0, 2), "2")
    with qtbot.waitSignal(page.records_changed):
        assert editor.save() is not None
    assert page.model is not None and page.model.rowCount() == 1
    row = page.selected_row()
    assert row is not None and row.version == 2 and row.total == Decimal("196000.00")
    assert page.compare_button.isEnabled()

    dialog = page.compare_selected()
    assert isinstance(dialog, CompareDialog)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert dialog.first_box.currentData() == 1 and dialog.second_box.currentData() == 2
    assert dialog.model.rowCount() == 1
    assert dialog.model.data(dialog.model.index(0, 0)) == "Changed"
    details = dialog.model.data(dialog.model.index(0, 3))
    assert "Qty 1 → 2" in details and "Amount ¥98,000.00 → ¥196,000.00" in details
    assert "Total ¥98,000.00 → ¥196,000.00" in dialog.totals_label.text()
    dialog.second_box.setCurrentIndex(0)  # V1 with V1
    assert dialog.totals_label.text() == "The two versions are the same."


def test_new_quote_opens_an_editor_that_adds_to_the_list(app_en: QApplication, qtbot: QtBot, services: Services,
                                                         actor: Actor, rep: Actor, settings: Settings, deal: str,
                                                         car: str) -> None:
    services.opportunities.update(actor, deal, {"owner_id": rep.user_id})  # data scope own: the rep's deal
    page = _page(qtbot, services, rep, settings)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor = page.dialog
    assert isinstance(editor, QuoteEditor) and editor.view is None
    qtbot.addWidget(editor)
    editor.picker.line_edit.setText("HC-S5")
    editor.picker.search()
    editor.picker.choose(0)
    with qtbot.waitSignal(page.records_changed):
        saved = editor.save()
    assert saved is not None and page.model is not None and page.model.rowCount() == 1
    assert page.selected_id() == saved.id
