"""The contracts tab: contracts paged from SQL as the list scrolls, the status filter and the search, a
contract from an accepted quote (the picker lists only quotes without one), editing a draft (a refused save
keeps what was typed), sign / in force / finish / terminate with a reason, attachments, the PDF and the order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services import contracts, quotes
from crmdesk.services.catalog import ProductService
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views import contracts_page
from crmdesk.views.contract_dialogs import (
    AcceptedQuotesDialog,
    AttachmentsDialog,
    ContractDialog,
    DateDialog,
    ReasonDialog,
)
from crmdesk.views.contracts_page import ContractQuery, ContractsPage, ContractsTableModel
from crmdesk.views.order_dialog import OrderDialog
from crmdesk.views.pdf_preview import PdfPreviewDialog

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def chen(services: Services, actor: Actor) -> dict[str, str]:
    """陈静 with an open deal for a car, and the car in the catalog."""
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333",
                                                 "address": "宁波市鄞州区天童南路 1 号"}).id
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "negotiation")
    deal = services.opportunities.create(actor, {"name": "华驰 S5 购车", "customer_id": customer, "stage_id": stage,
                                                 "amount": Decimal("189800")}).id
    car = ProductService(services.db).create(actor, {"code": "HC-S5", "name_zh": "华驰 S5 豪华版",
                                                     "list_price": "189800", "is_vehicle": True,
                                                     "model": "S5", "colour": "珍珠白"}).id
    return {"customer": customer, "deal": deal, "car": car}


def accepted_quote(services: Services, actor: Actor, deal: str, car: str, quantity: str = "1") -> quotes.QuoteView:
    """A quote through its statuses to accepted (the acting admin's limit covers any discount)."""
    quote = quotes.create_quote(services.db, actor, {"opportunity_id": deal},
                                [{"product_id": car, "quantity": quantity}])
    quotes.submit_quote(services.db, actor, quote.id)
    quotes.send_quote(services.db, actor, quote.id)
    return quotes.accept_quote(services.db, actor, quote.id)


def _page(qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> ContractsPage:
    page = ContractsPage(services, actor, settings)
    qtbot.addWidget(page)
    page.resize(1400, 600)
    page.show()
    qtbot.waitExposed(page)
    page.activate()
    return page


def _contract(services: Services, actor: Actor, chen: dict[str, str]) -> str:
    quote = accepted_quote(services, actor, chen["deal"], chen["car"])
    return contracts.create_contract_from_quote(services.db, actor, quote.id).id


def test_the_list_pages_as_it_scrolls_filters_and_searches(app_en: QApplication, qtbot: QtBot, qtmodeltester: object,
                                                           services: Services, actor: Actor, settings: Settings,
                                                           chen: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contracts_page, "PAGE_SIZE", 2)
    other = services.customers.create(actor, {"name": "李娜"}).id
    other_deal = services.opportunities.create(actor, {"name": "A3", "customer_id": other, "amount": "99000",
                                                       "stage_id": "01900000-0000-7000-8000-000000001000"}).id
    made = [contracts.create_contract_from_opportunity(services.db, actor, deal, {"title": f"合同 {n}"})
            for n, deal in enumerate((chen["deal"], chen["deal"], other_deal, chen["deal"], other_deal))]
    contracts.sign_contract(services.db, actor, made[0].id, date(2026, 11, 30))
    page = _page(qtbot, services, actor, settings)
    model = page.model
    assert isinstance(model, ContractsTableModel)
    assert model.rowCount() == 2 and model.canFetchMore()  # the first page only
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    for _page_number in range(5):  # bounded: a model that never finishes fails here instead of hanging
        if not model.canFetchMore():
            break
        model.fetchMore()
    assert model.rowCount() == 5 and page.status_text() == "5 contracts"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Contract number", "Title", "Customer", "Status", "Amount", "Signed on", "Owner"]
    first = [model.data(model.index(4, c)) for c in range(model.columnCount())]  # the oldest is last
    assert first[:6] == [made[0]["number"], "合同 0", "陈静", "Signed", "¥189,800.00", "2026-11-30"]
    assert first[6] == actor.display_name

    page.status_box.setCurrentIndex(page.status_box.findData("signed"))
    assert model.rowCount() == 1 and model.row_at(0) is not None and model.row_at(0).id == made[0].id  # type: ignore[union-attr]
    page.status_box.setCurrentIndex(page.status_box.findData(None))
    page.search_box.setText("李娜")
    page.apply_filter()
    assert {model.row_at(r).id for r in range(model.rowCount())} == {made[2].id, made[4].id}  # type: ignore[union-attr]
    assert not model.canFetchMore() and page.status_text() == "2 contracts"
    page.search_box.setText(made[3]["number"])  # a contract by its number
    page.apply_filter()
    assert model.rowCount() == 1 and model.row_at(0).id == made[3].id  # type: ignore[union-attr]
    model.set_query(ContractQuery(status="signed", search="李娜"))
    assert model.rowCount() == 0


def test_a_contract_from_an_accepted_quote_and_the_picker_lists_only_quotes_without_one(
        app_en: QApplication, qtbot: QtBot, qtmodeltester: object, services: Services, actor: Actor,
        settings: Settings, chen: dict[str, str]) -> None:
    first = accepted_quote(services, actor, chen["deal"], chen["car"])
    second = accepted_quote(services, actor, chen["deal"], chen["car"], quantity="2")
    quotes.create_quote(services.db, actor, {"opportunity_id": chen["deal"]}, [{"product_id": chen["car"]}])  # draft
    page = _page(qtbot, services, actor, settings)
    qtbot.mouseClick(page.from_quote_button, Qt.MouseButton.LeftButton)
    picker = page.dialog
    assert isinstance(picker, AcceptedQuotesDialog)
    qtmodeltester.check(picker.model)  # type: ignore[attr-defined]
    assert {item.id for item in picker.model.items} == {first.id, second.id}  # the draft is not offered
    assert picker.select_quote(second.id)
    with qtbot.waitSignal(page.records_changed):
        qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    editor = page.dialog
    assert isinstance(editor, ContractDialog)
    qtbot.addWidget(editor)
    record = editor.record
    assert (record["quote_id"], record["status"], record["amount"]) == (second.id, "draft", Decimal("379600.00"))
    assert f"{second.number} V1" in editor.link_label.text() and "陈静" in editor.buyer_label.text()
    assert "叁拾柒万玖仟陆佰元整" in editor.amount_words.text() and "华驰 S5 豪华版" in editor.body_view.toPlainText()
    assert editor.amount_edit.isReadOnly()  # a quote's total
    assert page.selected_id() == record.id and page.sign_button.isEnabled() and not page.order_button.isEnabled()

    again = page.from_quote()
    qtbot.addWidget(again)
    assert [item.id for item in again.model.items] == [first.id]
    again.search_box.setText(second.number)
    assert again.reload() == 0 and again.empty_label.isVisibleTo(again) and not again.ok_button.isEnabled()


def test_a_draft_is_edited_a_refused_save_keeps_the_typing_and_a_signed_one_is_read_only(
        app_en: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        chen: dict[str, str]) -> None:
    contract_id = _contract(services, actor, chen)
    page = _page(qtbot, services, actor, settings)
    assert page.select_contract(contract_id)
    editor = page.open_selected()
    assert isinstance(editor, ContractDialog)
    qtbot.addWidget(editor)
    editor.title_edit.setText("华驰 S5 购车合同（陈静）")
    editor.terms_box.setPlainText("含上牌服务。")
    editor.starts_on.set_value(date(2026, 12, 10))
    editor.ends_on.set_value(date(2026, 12, 1))  # before the start
    assert editor.save() is None
    assert editor.marks.labels["ends_on"].isVisibleTo(editor) and "before" in editor.marks.labels["ends_on"].text()
    assert editor.title_edit.text() == "华驰 S5 购车合同（陈静）" and editor.terms_box.toPlainText() == "含上牌服务。"
    assert contracts.get_contract(services.db, actor, contract_id)["terms"] != "含上牌服务。"  # nothing written
    editor.ends_on.set_value(date(2027, 1, 31))
    project = editor.template_box.findData(contracts.PROJECT_TEMPLATE)
    editor.template_box.setCurrentIndex(project)
    with qtbot.waitSignal(page.records_changed):
        saved = editor.save()
    assert saved is not None and saved["title"] == "华驰 S5 购车合同（陈静）" and saved["terms"] == "含上牌服务。"
    assert (saved["starts_on"], saved["ends_on"]) == (date(2026, 12, 10), date(2027, 1, 31))
    assert "自 2026年12月10日 起至 2027年1月31日 止" in editor.body_view.toPlainText()  # the project template
    assert not editor.marks.labels["ends_on"].isVisibleTo(editor)
    row = page.model.row_of(contract_id) if page.model is not None else None
    assert row is not None and page.model.data(page.model.index(row, 1)) == "华驰 S5 购车合同（陈静）"  # type: ignore[union-attr]

    contracts.sign_contract(services.db, actor, contract_id, date(2026, 12, 2))
    signed = ContractDialog(services, actor, contract_id)
    qtbot.addWidget(signed)
    assert signed.read_only and not signed.save_button.isVisibleTo(signed) and not signed.title_edit.isEnabled()
    assert signed.terms_box.isReadOnly() and "signed on 2026-12-02" in signed.state_label.text()
    assert signed.save() is None


def test_sign_in_force_finish_and_terminate_with_a_reason(app_en: QApplication, qtbot: QtBot, services: Services,
                                                          actor: Actor, settings: Settings,
                                                          chen: dict[str, str]) -> None:
    contract_id = _contract(services, actor, chen)
    page = _page(qtbot, services, actor, settings)
    assert not page.open_button.isEnabled() and not page.sign_button.isEnabled()  # nothing selected
    assert page.select_contract(contract_id)
    assert page.sign_button.isEnabled() and not page.in_force_button.isEnabled() and not page.finish_button.isEnabled()
    sign = page.sign_selected()
    assert isinstance(sign, DateDialog)
    sign.date_edit.setDate(sign.date_edit.date().addDays(-1))
    with qtbot.waitSignal(page.records_changed):
        qtbot.mouseClick(sign.ok_button, Qt.MouseButton.LeftButton)
    record = contracts.get_contract(services.db, actor, contract_id)
    assert record["status"] == "signed" and record["signed_on"] == date.fromordinal(date.today().toordinal() - 1)
    assert page.in_force_button.isEnabled() and page.order_button.isEnabled() and not page.sign_button.isEnabled()
    assert page.put_in_force_selected() is not None and page.finish_button.isEnabled()
    assert page.finish_selected() is not None
    assert contracts.get_contract(services.db, actor, contract_id)["status"] == "finished"
    assert not page.terminate_button.isEnabled() and not page.finish_button.isEnabled()
    assert page.model is not None and page.model.data(page.model.index(0, 3)) == "Finished"

    other = _contract(services, actor, chen)
    page.refresh(select=other)
    terminate = page.terminate_selected()
    assert isinstance(terminate, ReasonDialog)
    qtbot.mouseClick(terminate.ok_button, Qt.MouseButton.LeftButton)  # no reason: refused here
    assert terminate.isVisible() and terminate.marks.labels["reason"].isVisibleTo(terminate)
    assert contracts.get_contract(services.db, actor, other)["status"] == "draft"
    terminate.text_box.setPlainText("客户改买 A3")
    with qtbot.waitSignal(page.records_changed):
        qtbot.mouseClick(terminate.ok_button, Qt.MouseButton.LeftButton)
    ended = contracts.get_contract(services.db, actor, other)
    assert (ended["status"], ended["termination_reason"]) == ("terminated", "客户改买 A3")

    # Another desk finished it meanwhile: the step is refused with the service's message.
    third = _contract(services, actor, chen)
    page.refresh(select=third)
    contracts.terminate_contract(services.db, actor, third, "重复")
    assert page.sign_selected() is not None
    dialog = page.dialog
    assert isinstance(dialog, DateDialog)
    dialog.submit()
    assert dialog.isVisible()  # stays open, the refusal shown
    assert contracts.get_contract(services.db, actor, third)["status"] == "terminated"


def test_attachments_are_added_refused_saved_and_removed(app_en: QApplication, qtbot: QtBot, qtmodeltester: object,
                                                         services: Services, actor: Actor, settings: Settings,
                                                         chen: dict[str, str], tmp_path: Path) -> None:
    contract_id = _contract(services, actor, chen)
    page = _page(qtbot, services, actor, settings)
    page.select_contract(contract_id)
    dialog = page.attachments_selected()
    assert isinstance(dialog, AttachmentsDialog)
    assert dialog.model.rowCount() == 0 and not dialog.remove_button.isEnabled()
    scan = tmp_path / "签字页.png"
    scan.write_bytes(PNG)
    dialog.note_edit.setText("双方签字页")
    with qtbot.waitSignal(dialog.changed):
        info = dialog.add_file(scan)
    assert info is not None and dialog.model.rowCount() == 1 and dialog.note_edit.text() == ""
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert [dialog.model.data(dialog.model.index(0, c)) for c in (0, 1, 4)] == ["签字页.png", "PNG", "双方签字页"]
    text = tmp_path / "notes.txt"
    text.write_text("not a scan")
    assert dialog.add_file(text) is None
    assert dialog.file_error.isVisibleTo(dialog) and "PDF, JPEG, PNG or TIFF" in dialog.file_error.text()
    assert dialog.model.rowCount() == 1
    assert dialog.add_file(tmp_path / "missing.pdf") is None
    assert dialog.last_error is not None and "missing.pdf" in dialog.last_error.text()  # type: ignore[attr-defined]
    copy = dialog.save_selected(tmp_path / "copy.png")
    assert copy is not None and copy.read_bytes() == PNG
    assert dialog.remove_selected() and dialog.model.rowCount() == 0
    assert contracts.list_attachments(services.db, actor, contract_id) == []


def test_the_pdf_preview_and_an_order_from_the_signed_contract(app_en: QApplication, qtbot: QtBot, services: Services,
                                                               actor: Actor, settings: Settings,
                                                               chen: dict[str, str]) -> None:
    contract_id = _contract(services, actor, chen)
    page = _page(qtbot, services, actor, settings)
    page.select_contract(contract_id)
    preview = page.preview_selected()
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.pdf_bytes.startswith(b"%PDF") and preview.page_count >= 1
    assert preview.file_name.startswith("CT-") and preview.file_name.endswith(".pdf")
    assert page.make_order_selected() is None  # a draft: refused by the service
    assert page.last_message is not None and "signed" in page.last_message.text()

    contracts.sign_contract(services.db, actor, contract_id)
    page.refresh()
    with qtbot.waitSignal(page.records_changed):
        order_dialog = page.make_order_selected()
    assert isinstance(order_dialog, OrderDialog)
    qtbot.addWidget(order_dialog)
    order = order_dialog.order
    assert (order["contract_id"], order["status"], order["total"]) == (contract_id, "draft", Decimal("189800.00"))
    assert order_dialog.lines_model.rowCount() == 1 and order_dialog.lines_model.takes_vin(0)
    assert page.make_order_selected() is None  # one open order per contract
    assert "already" in page.last_message.text()


def test_an_edit_keeps_the_template_version_the_contract_was_made_with(app_en: QApplication, qtbot: QtBot,
                                                                      services: Services, actor: Actor,
                                                                      chen: dict[str, str]) -> None:
    contract_id = _contract(services, actor, chen)
    vehicle = contracts.template_versions(services.db, contracts.VEHICLE_TEMPLATE)[-1]
    contracts.save_template(services.db, actor, contracts.VEHICLE_TEMPLATE, vehicle.name, vehicle.body + "\n附：{today}")
    editor = ContractDialog(services, actor, contract_id)
    qtbot.addWidget(editor)
    assert editor.template_box.currentData() == contracts.VEHICLE_TEMPLATE
    editor.title_edit.setText("华驰 S5 购车合同")
    saved = editor.save()
    assert saved is not None and saved["title"] == "华驰 S5 购车合同"
    assert saved["template_version"] == 1 and "附：" not in saved["body"]  # not silently moved to version 2
