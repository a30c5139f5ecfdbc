"""The quote editor: a new quote from the product picker, prices and discounts edited in place with live
totals, a refused save that keeps what was typed and marks it, submitting, the history, read-only old
versions, and the PDF preview."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.models import User
from crmdesk.services import quotes
from crmdesk.services.catalog import ProductService
from crmdesk.services.opportunities import list_stages
from crmdesk.services.quotes import QuoteFilter
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.views.quote_editor import EditLine, QuoteEditor, QuoteLinesModel

COLUMN = {name: index for index, name in enumerate(QuoteLinesModel.COLUMNS)}


@pytest.fixture
def rep(services: Services, actor: Actor) -> Actor:
    with unit_of_work(services.db, actor) as session:
        user = User(username="wanglei", display_name="王磊", role="consultant")
        session.add(user)
        session.flush()
        return Actor(user_id=user.id, display_name="王磊", role="consultant")


@pytest.fixture
def deal(services: Services, actor: Actor, rep: Actor) -> str:
    """The consultant's own deal (a consultant's scope is their own records)."""
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "owner_id": rep.user_id}).id
    services.contacts.create(actor, {"customer_id": customer, "name": "陈先生"})
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "negotiation")
    return services.opportunities.create(actor, {"name": "华驰 S5 购车", "customer_id": customer, "stage_id": stage,
                                                 "amount": Decimal("189800"), "owner_id": rep.user_id}).id


@pytest.fixture
def catalog_ids(services: Services, actor: Actor) -> dict[str, str]:
    products = ProductService(services.db)
    return {
        "car": products.create(actor, {"code": "HC-S5", "name_zh": "华驰 S5 豪华版", "list_price": "100000",
                                       "is_vehicle": True, "model": "S5", "colour": "珍珠白"}).id,
        "warranty": products.create(actor, {"code": "EW-3Y", "name_zh": "三年延保", "list_price": "3000",
                                            "tax_rate_bp": 600, "unit": "份"}).id,
    }


def _editor(qtbot: QtBot, services: Services, who: Actor, quote_id: str | None = None,
            opportunity_id: str | None = None) -> QuoteEditor:
    editor = QuoteEditor(services, who, quote_id, opportunity_id=opportunity_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _set(editor: QuoteEditor, row: int, column: str, value: str) -> None:
    assert editor.lines_model.setData(editor.lines_model.index(row, COLUMN[column]), value)


def _cell(editor: QuoteEditor, row: int, column: str, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return editor.lines_model.data(editor.lines_model.index(row, COLUMN[column]), role)


def test_a_new_quote_from_the_picker_with_live_totals(app_en: QApplication, qtbot: QtBot, qtmodeltester: object,
                                                      services: Services, rep: Actor, deal: str,
                                                      catalog_ids: dict[str, str]) -> None:
    editor = _editor(qtbot, services, rep, opportunity_id=deal)
    assert editor.opportunity_box.currentData() == deal and editor.customer_label.text() == "陈静"
    assert editor.contact_box.count() == 2  # (none) and the customer's contact
    qtbot.keyClicks(editor.picker.line_edit, "huachi")  # pinyin, as typed
    qtbot.waitUntil(lambda: editor.picker.completions.rowCount() == 1)
    assert "HC-S5" in editor.picker.completions.stringList()[0]
    editor.picker.choose(0)
    assert editor.lines_model.rowCount() == 1 and editor.picker.line_edit.text() == ""
    editor.picker.line_edit.setText("EW-3Y")
    qtbot.keyClick(editor.picker.line_edit, Qt.Key.Key_Return)  # Enter takes the first match
    assert [line.code for line in editor.lines_model.lines] == ["HC-S5", "EW-3Y"]
    qtmodeltester.check(editor.lines_model)  # type: ignore[attr-defined]

    _set(editor, 0, "discount_percent", "2")
    assert _cell(editor, 0, "line_total") == "¥98,000.00"
    assert "Total ¥101,000.00" in editor.totals_label.text()
    assert "(your limit 3%)" in editor.discount_label.text() and "manager" not in editor.discount_label.text()
    _set(editor, 0, "discount_amount", "5000")  # an amount replaces the percentage
    assert _cell(editor, 0, "discount_percent") == "" and _cell(editor, 0, "line_total") == "¥95,000.00"
    assert "a manager must approve it" in editor.discount_label.text()  # 5 % is above a consultant's 3 %
    _set(editor, 0, "discount_percent", "5")  # and a percentage replaces the amount
    assert _cell(editor, 0, "discount_amount") == "" and _cell(editor, 0, "line_total") == "¥95,000.00"
    _set(editor, 0, "discount_percent", "2")
    _set(editor, 1, "quantity", "abc")
    assert _cell(editor, 1, "line_total") == "—" and "readable" in editor.totals_label.text()
    _set(editor, 1, "quantity", "2")

    saved = editor.save()
    assert saved is not None and saved.number.startswith("QT-") and saved.total == Decimal("104000.00")
    assert editor.windowTitle() == f"Quote {saved.number} V1" and not editor.error_label.isVisible()
    assert editor.history_list.count() == 1 and "Created" in editor.history_list.item(0).text()
    assert quotes.count_quotes(services.db, rep) == 1
    # Saving again edits the same quote (no second number).
    _set(editor, 1, "quantity", "3")
    assert editor.save() is not None and quotes.count_quotes(services.db, rep) == 1
    assert quotes.get_quote(services.db, rep, saved.id).lines[1].quantity == Decimal("3.000")


def test_a_refused_save_keeps_what_was_typed_and_marks_it(app_en: QApplication, qtbot: QtBot, services: Services,
                                                          rep: Actor, deal: str, catalog_ids: dict[str, str]) -> None:
    editor = _editor(qtbot, services, rep, opportunity_id=deal)
    editor.picker.line_edit.setText("HC-S5")
    editor.picker.search()
    editor.picker.choose(0)
    editor.add_free_line()
    _set(editor, 0, "quantity", "0")
    _set(editor, 1, "unit_price", "12.345")
    editor.valid_until.setDate(QDate.currentDate().addDays(-1))
    editor.terms_box.setPlainText("我写的条款")

    assert editor.save() is None
    assert quotes.count_quotes(services.db, rep) == 0  # nothing half-written
    assert editor.error_label.isVisible()
    errors = editor.error_label.text()
    assert "Line 1: The quantity must be more than zero." in errors
    assert "Line 2: Name the product or describe the line." in errors
    assert "valid until today or later" in errors
    assert _cell(editor, 0, "quantity") == "0" and _cell(editor, 1, "unit_price") == "12.345"  # as typed
    assert editor.terms_box.toPlainText() == "我写的条款"
    assert _cell(editor, 0, "quantity", Qt.ItemDataRole.BackgroundRole) is not None
    assert _cell(editor, 0, "quantity", Qt.ItemDataRole.ToolTipRole) == "The quantity must be more than zero."
    assert editor.valid_until.property("invalid") is True
    assert editor.last_error is None  # every message has its place: no message box

    _set(editor, 0, "quantity", "1")  # typing in a marked cell clears its mark
    assert _cell(editor, 0, "quantity", Qt.ItemDataRole.BackgroundRole) is None
    _set(editor, 1, "description", "上牌服务")
    _set(editor, 1, "unit_price", "500")
    editor.valid_until.setDate(QDate.currentDate().addDays(10))
    saved = editor.save()
    assert saved is not None and [line.description for line in saved.lines] == ["华驰 S5 豪华版 珍珠白", "上牌服务"]
    assert saved.terms == "我写的条款" and saved.valid_until == date.today() + timedelta(days=10)
    assert editor.valid_until.property("invalid") is False and not editor.error_label.isVisible()


def test_save_and_submit_above_the_limit_waits_for_a_manager(app_en: QApplication, qtbot: QtBot, services: Services,
                                                             actor: Actor, rep: Actor, deal: str,
                                                             catalog_ids: dict[str, str]) -> None:
    editor = _editor(qtbot, services, rep, opportunity_id=deal)
    editor.picker.line_edit.setText("HC-S5")
    editor.picker.search()
    editor.picker.choose(0)
    _set(editor, 0, "discount_percent", "8")
    with qtbot.waitSignal(editor.saved):
        submitted = editor.save_and_submit()
    assert submitted is not None and submitted.status == "pending_approval"
    assert "Pending approval" in editor.state_label.text()
    assert not editor.submit_button.isVisible()  # only a draft is submitted
    approved = quotes.approve_quote(services.db, actor, submitted.id, "同意，本月冲量")
    reopened = _editor(qtbot, services, rep, approved.id)
    history = [reopened.history_list.item(i).text() for i in range(reopened.history_list.count())]
    assert "Approved" in history[0] and "同意，本月冲量" in history[0]  # newest first
    assert "Submitted" in history[1] and "Created" in history[2]
    assert "discount approved by root" in reopened.state_label.text()
    # Editing the approved quote's lines sends it back to draft.
    _set(reopened, 0, "quantity", "2")
    back = reopened.save()
    assert back is not None and back.status == "draft" and reopened.submit_button.isVisible()


def test_old_versions_and_sent_quotes_are_read_only(app_en: QApplication, qtbot: QtBot, services: Services,
                                                    rep: Actor, deal: str, catalog_ids: dict[str, str]) -> None:
    quote = quotes.create_quote(services.db, rep, {"opportunity_id": deal}, [{"product_id": catalog_ids["car"]}])
    quotes.submit_quote(services.db, rep, quote.id)
    quotes.send_quote(services.db, rep, quote.id)
    sent = _editor(qtbot, services, rep, quote.id)
    assert sent.read_only and "a change makes a new version" in sent.state_label.text()
    v2 = quotes.revise_quote(services.db, rep, quote.id)
    old = _editor(qtbot, services, rep, quote.id)
    assert "an old version: read only" in old.state_label.text()
    index = old.lines_model.index(0, COLUMN["quantity"])
    assert not old.lines_model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not old.lines_model.setData(index, "5")
    assert not old.save_button.isVisible() and not old.picker.isEnabled() and old.terms_box.isReadOnly()
    assert old.save() is None
    current = _editor(qtbot, services, rep, v2.id)
    assert not current.read_only and current.lines_model.flags(current.lines_model.index(0, COLUMN["quantity"])) \
        & Qt.ItemFlag.ItemIsEditable
    assert "From V1" in current.history_list.item(0).text()


def test_lines_are_removed_and_the_picker_prices_from_the_chosen_list(app_en: QApplication, qtbot: QtBot,
                                                                      services: Services, actor: Actor, rep: Actor,
                                                                      deal: str, catalog_ids: dict[str, str]) -> None:
    from crmdesk.services import catalog

    dealer = catalog.create_price_list(services.db, actor, {"name": "大客户价"})
    catalog.set_list_price(services.db, actor, dealer.id, catalog_ids["car"], "95000")
    editor = _editor(qtbot, services, rep, opportunity_id=deal)
    editor.price_list_box.setCurrentIndex(editor.price_list_box.findData(dealer.id))
    editor.picker.line_edit.setText("HC-S5")
    hits = editor.picker.search()
    assert hits[0].price == Decimal("95000.00")
    editor.picker.choose(0)
    assert _cell(editor, 0, "unit_price") == "95000"
    editor.add_free_line()
    editor.lines_view.selectRow(1)
    editor.remove_selected_line()
    assert editor.lines_model.rowCount() == 1
    saved = editor.save()
    assert saved is not None and saved.price_list_id == dealer.id and saved.max_discount_bp == 0


def test_the_preview_shows_the_saved_quote_as_a_pdf(app_en: QApplication, qtbot: QtBot, services: Services,
                                                    rep: Actor, deal: str, catalog_ids: dict[str, str]) -> None:
    quote = quotes.create_quote(services.db, rep, {"opportunity_id": deal}, [{"product_id": catalog_ids["car"]}])
    editor = _editor(qtbot, services, rep, quote.id)
    preview = editor.preview()
    assert preview is not None
    qtbot.addWidget(preview)
    assert getattr(preview, "page_count", 0) >= 1 and getattr(preview, "pdf_bytes", b"").startswith(b"%PDF")
    new = _editor(qtbot, services, rep, opportunity_id=deal)
    assert not new.preview_button.isEnabled() and new.preview() is None


def test_edit_lines_carry_the_typed_text_to_the_service() -> None:
    line = EditLine(None, None, "", "上牌服务", "1.5", "次", "0.35", "", "", "6%", None)
    assert line.tax_rate_bp() == 600
    assert line.as_input() == {"product_id": None, "description": "上牌服务", "quantity": "1.5", "unit": "次",
                               "unit_price": "0.35", "discount_percent": "", "discount_amount": "",
                               "tax_rate_bp": 600}
    amounts = line.amounts()
    assert amounts is not None and amounts.total == Decimal("0.53")
    assert EditLine(None, None, "", "x", "1", "", "1", "", "", "abc", None).as_input()["tax_rate_bp"] == "abc"
    assert quotes.count_quotes is not None and QuoteFilter().current_only
