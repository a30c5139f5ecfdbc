"""Detail forms, driven like a user: typing, saving, errors beside the fields, converting a lead."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from crmdesk.models import Territory, User
from crmdesk.services import lead_rules
from crmdesk.services.entities import ListQuery
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.settings import Settings
from crmdesk.views import record_tab
from crmdesk.views.field_editors import (
    ID_ROLE,
    ComboEditor,
    CustomerEditor,
    DateEditor,
    InvalidReasonEditor,
    TextEditor,
)
from crmdesk.views.main_window import MainWindow
from crmdesk.views.record_form import ConvertLeadDialog, RecordDialog


def _window(qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> MainWindow:
    window = MainWindow(services, actor, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a user: ASCII key by key; Chinese as an input method commits it (QTest keys are ASCII only)."""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def _save(qtbot: QtBot, dialog: RecordDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _line(dialog: RecordDialog, name: str) -> QLineEdit:
    editor = dialog.editors[name]
    assert isinstance(editor, TextEditor)
    return editor.line


def _error(dialog: RecordDialog | ConvertLeadDialog, name: str) -> QLabel:
    label = dialog.findChild(QLabel, f"error_{name}")
    assert isinstance(label, QLabel)
    return label


def _names(window: MainWindow, key: str) -> list[str]:
    model = window.show_tab(key).model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_create_lead_fix_a_bad_phone_convert_it_and_find_it_by_pinyin(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings
) -> None:
    window = _window(qtbot, services, actor, settings)
    tab = window.tabs["lead"]
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "新建线索"

    type_text(qtbot, _line(dialog, "name"), "张伟明")
    qtbot.keyClicks(_line(dialog, "phone"), "1381234abcd")
    type_text(qtbot, _line(dialog, "company"), "杭州远景科技有限公司")
    _save(qtbot, dialog)

    # The service refused the phone: the dialog stays, keeps what was typed, marks the field.
    assert dialog.isVisible()
    assert _line(dialog, "name").text() == "张伟明"
    assert _line(dialog, "company").text() == "杭州远景科技有限公司"
    phone = _line(dialog, "phone")
    assert phone.property("invalid") is True
    assert _error(dialog, "phone").isVisibleTo(dialog)
    assert _error(dialog, "phone").text() == "电话号码不能包含字母。"
    assert not _error(dialog, "name").isVisibleTo(dialog) and not _line(dialog, "name").property("invalid")
    qtbot.waitUntil(phone.hasFocus)
    assert services.leads.count(actor, ListQuery()) == 0

    phone.selectAll()
    qtbot.keyClicks(phone, "13812349999")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert _names(window, "lead") == ["张伟明"]
    assert tab.selected_ids() == [dialog.record.id if dialog.record else ""]
    assert window.count_label.text() == "共 1 条线索"

    # Convert: the customer (named after the company) and the opportunity appear in their tabs.
    window.show_tab("lead")
    assert tab.convert_button is not None and tab.convert_button.isEnabled()
    qtbot.mouseClick(tab.convert_button, Qt.MouseButton.LeftButton)
    convert = tab.dialog
    assert isinstance(convert, ConvertLeadDialog)
    convert.name_edit.setText("")
    type_text(qtbot, convert.name_edit, "华驰 S5 两台")
    type_text(qtbot, convert.amount_edit, "¥256,000")
    qtbot.mouseClick(convert.buttons.findChild(type(tab.new_button), "convertButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not convert.isVisible())
    assert convert.conversion is not None
    assert _names(window, "customer") == ["杭州远景科技有限公司"]
    assert _names(window, "opportunity") == ["华驰 S5 两台"]
    deal = window.tabs["opportunity"].model
    assert deal.index(0, deal.column_keys.index("amount")).data() == "¥256,000.00"
    leads = window.show_tab("lead").model
    assert leads.index(0, leads.column_keys.index("status")).data() == "已转化"

    # Find it again by the initials of its pinyin, typed into the search box (filtered in SQL).
    services.leads.create(actor, {"name": "李娜", "phone": "13900001111"})
    window.refresh()
    assert leads.rowCount() == 2
    qtbot.keyClicks(tab.search_box, "zwm")
    qtbot.waitUntil(lambda: leads.rowCount() == 1)
    assert leads.index(0, 0).data() == "张伟明"


def test_converting_twice_is_refused_with_a_message(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings
) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13700002222"})
    dialog = ConvertLeadDialog(services, actor, lead.id)
    qtbot.addWidget(dialog)
    services.leads.convert(actor, lead.id)  # someone else was quicker
    dialog.show()
    dialog.convert()
    assert dialog.isVisible() and dialog.conversion is None
    boxes = _message_boxes()
    assert [box.text() for box in boxes] == ["该线索已经转化过了。"]
    for box in boxes:
        box.close()


def test_a_bad_amount_in_the_conversion_is_marked_on_its_field(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13700002222"})
    dialog = ConvertLeadDialog(services, actor, lead.id)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.amount_edit, "十万")
    dialog.convert()
    assert dialog.isVisible() and dialog.amount_edit.property("invalid") is True
    assert _error(dialog, "amount").text() == "不是有效金额；请按 12345.67 的格式填写。"
    assert services.leads.get(actor, lead.id)["status"] == "new"


def test_an_empty_date_stays_empty(app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    dialog = RecordDialog(services, actor, "customer")
    qtbot.addWidget(dialog)
    birthday = dialog.editors["birthday"]
    assert isinstance(birthday, DateEditor)
    assert birthday.value() is None and not birthday.field.check.isChecked()
    assert birthday.field.edit.text() == "未填写"
    type_text(qtbot, _line(dialog, "name"), "陈静")
    dialog.save()
    assert dialog.record is not None
    assert services.customers.get(actor, dialog.record.id)["birthday"] is None

    lead = services.leads.create(actor, {"name": "赵磊", "phone": "13600003333",
                                         "intended_purchase_date": date(2026, 5, 1)})
    edit = RecordDialog(services, actor, "lead", lead.id)
    qtbot.addWidget(edit)
    purchase = edit.editors["intended_purchase_date"]
    assert isinstance(purchase, DateEditor) and purchase.value() == date(2026, 5, 1)
    purchase.field.check.setChecked(False)
    edit.save()
    assert services.leads.get(actor, lead.id)["intended_purchase_date"] is None


def test_editing_sends_only_what_changed(app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"kind": "company", "name": "苏州群英电子有限公司"})
    deal = services.opportunities.create(actor, {
        "name": "华驰 A3", "customer_id": customer.id, "stage_id": "01900000-0000-7000-8000-000000001000",
        "amount": Decimal("99000"), "probability": 35,
    })
    dialog = RecordDialog(services, actor, "opportunity", deal.id)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "商机：华驰 A3"
    assert _line(dialog, "amount").text() == "99000.00"
    picker = dialog.editors["customer_id"]
    assert isinstance(picker, CustomerEditor) and picker.picker.text() == "苏州群英电子有限公司"
    name = _line(dialog, "name")
    name.selectAll()
    type_text(qtbot, name, "华驰 A3 三台")
    assert dialog.values(changed_only=True) == {"name": "华驰 A3 三台"}
    dialog.save()
    stored = services.opportunities.get(actor, deal.id)
    assert stored["name"] == "华驰 A3 三台" and stored["probability"] == 35 and stored["amount"] == Decimal("99000")


def test_the_customer_picker_searches_by_pinyin_and_fills_the_contacts(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    customer = services.customers.create(actor, {"kind": "company", "name": "苏州群英电子有限公司"})
    contact = services.contacts.create(actor, {"customer_id": customer.id, "name": "周敏", "phone": "13500004444"})
    dialog = RecordDialog(services, actor, "opportunity")
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.editors["customer_id"]
    contacts = dialog.editors["contact_id"]
    assert isinstance(editor, CustomerEditor) and isinstance(contacts, ComboEditor)
    assert contacts.combo.count() == 1  # only the empty entry until a customer is chosen
    qtbot.keyClicks(editor.picker, "szqy")
    qtbot.waitUntil(lambda: editor.picker.hits.rowCount() == 1)
    hit = editor.picker.hits.index(0, 0)
    assert "苏州群英电子有限公司" in hit.data() and hit.data(ID_ROLE) == customer.id
    editor.picker.completer_.activated[type(hit)].emit(hit)  # type: ignore[index]
    assert editor.value() == customer.id and editor.picker.text() == "苏州群英电子有限公司"
    assert contacts.combo.findData(contact.id) > 0
    qtbot.keyClicks(editor.picker, "x")  # editing the name again unlinks the customer
    assert editor.value() is None
    dialog.save()
    assert dialog.isVisible()
    assert _error(dialog, "customer_id").text() == "此项必填。"


def test_delete_asks_first(app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    window = _window(qtbot, services, actor, settings)
    tab = window.tabs["lead"]
    tab.view.selectRow(0)
    questions: list[str] = []
    answer = [False]

    def ask(parent: object, title: str, question: str) -> bool:
        questions.append(question)
        return answer[0]

    monkeypatch.setattr(record_tab, "ask_to_confirm", ask)
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert questions == ["确定删除“张伟”吗？"] and tab.model.rowCount() == 1
    answer[0] = True
    tab.view.selectRow(0)
    tab.delete_current()
    assert tab.model.rowCount() == 0 and services.leads.count(actor, ListQuery()) == 0
    assert window.count_label.text() == "共 0 条线索"


def test_the_lead_form_offers_chinese_choices_and_no_converted_status(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    dialog = RecordDialog(services, actor, "lead")
    qtbot.addWidget(dialog)
    status = dialog.editors["status"]
    source = dialog.editors["source"]
    gender = dialog.editors["gender"]
    assert isinstance(status, ComboEditor) and isinstance(source, ComboEditor) and isinstance(gender, ComboEditor)
    assert [status.combo.itemText(i) for i in range(status.combo.count())] == ["新线索", "已联系", "已确认", "无效"]
    assert source.combo.currentText() == "展厅到店"
    assert [gender.combo.itemText(i) for i in range(gender.combo.count())] == ["", "男", "女"]
    owner = dialog.editors["owner_id"]
    # No owner chosen: the assignment rules choose on save (their default fallback: whoever enters it).
    assert isinstance(owner, ComboEditor) and owner.value() is None and owner.combo.currentText() == "（按分配规则）"
    label = dialog.findChild(QLabel, "label_name")
    assert isinstance(label, QLabel) and label.text().startswith("姓名")


# ---- the lead's territory, invalid reason, qualification and assignments --------------------------
def _territories_and_rep(services: Services, actor: Actor) -> dict[str, str]:
    with unit_of_work(services.db, actor) as session:
        east = Territory(name="华东区")
        session.add(east)
        session.flush()
        hangzhou = Territory(name="杭州", parent_id=east.id)
        rep = User(username="wanglei", display_name="王磊")
        session.add_all([hangzhou, rep])
        session.flush()
        return {"east": east.id, "hangzhou": hangzhou.id, "rep": rep.id}


def _rule_for_east(services: Services, actor: Actor, ids: dict[str, str]) -> None:
    assignment = lead_rules.load_assignment(services.db)
    assignment["rules"] = [{"name": "华东区线索", "enabled": True, "conditions": {"territory_ids": [ids["east"]]},
                            "target": {"kind": "user", "user_id": ids["rep"]}}]
    lead_rules.save_lead_rules(services.db, actor, scoring=lead_rules.load_scoring(services.db), assignment=assignment)


def _combo(dialog: RecordDialog, name: str) -> ComboEditor:
    editor = dialog.editors[name]
    assert isinstance(editor, ComboEditor)
    return editor


def _reason(dialog: RecordDialog) -> InvalidReasonEditor:
    editor = dialog.editors["invalid_reason"]
    assert isinstance(editor, InvalidReasonEditor)
    return editor


def test_the_territory_picker_offers_the_territories_and_saves_the_choice(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    ids = _territories_and_rep(services, actor)
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    dialog = RecordDialog(services, actor, "lead", lead.id)
    qtbot.addWidget(dialog)
    territory = _combo(dialog, "territory_id")
    assert [territory.combo.itemText(i) for i in range(territory.combo.count())] == ["（无）", "华东区", "杭州"]
    assert territory.value() is None
    territory.combo.setCurrentIndex(territory.combo.findData(ids["hangzhou"]))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        _save(qtbot, dialog)
    assert services.leads.get(actor, lead.id)["territory_id"] == ids["hangzhou"]
    again = RecordDialog(services, actor, "lead", lead.id)
    qtbot.addWidget(again)
    assert _combo(again, "territory_id").combo.currentText() == "杭州"


def test_the_invalid_reason_reads_in_words_and_an_untouched_form_keeps_it(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    lead = services.leads.create(actor, {"name": "李娜", "phone": "13900001111"})
    services.leads.mark_invalid(actor, lead.id, "other", "公司总机")
    dialog = RecordDialog(services, actor, "lead", lead.id)
    qtbot.addWidget(dialog)
    reason = _reason(dialog)
    # The codes of the team's list, as the lead tab's "mark invalid…" offers them: never "other:公司总机".
    assert [reason.field.combo.itemText(i) for i in range(reason.field.combo.count())] == [
        "（请选择原因）", "空号", "无意向", "重复", "同行", "其他"]
    assert reason.field.combo.currentText() == "其他" and reason.field.detail.text() == "公司总机"
    assert reason.field.detail.isEnabled() and reason.field.toolTip() == "其他：公司总机"
    assert not reason.is_changed() and "invalid_reason" not in dialog.values(changed_only=True)
    # A reason that takes no words of its own clears the words.
    reason.field.combo.setCurrentIndex(reason.field.combo.findData("wrong_number"))
    assert not reason.field.detail.isEnabled() and reason.value() == "wrong_number"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        _save(qtbot, dialog)
    assert services.leads.get(actor, lead.id)["invalid_reason"] == "wrong_number"


def test_a_reason_typed_before_the_list_existed_is_shown_and_kept(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, book: dict[str, str]
) -> None:
    dialog = RecordDialog(services, actor, "lead", book["zhaolei"])  # stored as the words "空号"
    qtbot.addWidget(dialog)
    reason = _reason(dialog)
    assert reason.field.combo.currentText() == "空号" and reason.value() == "空号" and not reason.is_changed()


def test_making_a_lead_invalid_in_the_form_needs_a_reason_and_leaving_invalid_clears_it(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13700002222", "status": "contacted"})
    dialog = RecordDialog(services, actor, "lead", lead.id)
    qtbot.addWidget(dialog)
    dialog.show()
    status, reason = _combo(dialog, "status"), _reason(dialog)
    assert not reason.field.combo.isEnabled()  # only an invalid lead has a reason
    status.combo.setCurrentIndex(status.combo.findData("invalid"))
    assert reason.field.combo.isEnabled() and reason.value() is None
    _save(qtbot, dialog)
    assert dialog.isVisible()
    assert _error(dialog, "invalid_reason").isVisibleTo(dialog)
    assert _error(dialog, "invalid_reason").text() == "请说明线索无效的原因。"
    assert reason.field.combo.property("invalid") is True
    assert services.leads.get(actor, lead.id)["status"] == "contacted"
    reason.field.combo.setCurrentIndex(reason.field.combo.findData("other"))
    type_text(qtbot, reason.field.detail, "留的是公司总机")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        _save(qtbot, dialog)
    stored = services.leads.get(actor, lead.id)
    assert (stored["status"], stored["invalid_reason"]) == ("invalid", "other:留的是公司总机")

    again = RecordDialog(services, actor, "lead", lead.id)
    qtbot.addWidget(again)
    _combo(again, "status").combo.setCurrentIndex(_combo(again, "status").combo.findData("contacted"))
    assert not _reason(again).field.combo.isEnabled() and _reason(again).value() is None
    with qtbot.waitSignal(again.accepted, timeout=2000):
        _save(qtbot, again)
    stored = services.leads.get(actor, lead.id)
    assert (stored["status"], stored["invalid_reason"]) == ("contacted", None)


def test_the_lead_form_shows_the_qualification_and_the_assignments(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    ids = _territories_and_rep(services, actor)
    _rule_for_east(services, actor, ids)
    hot = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "source": "referral",
                                        "territory_id": ids["hangzhou"], "intended_product": "华驰 A3",
                                        "intended_purchase_date": date.today(), "company_size": 200})
    assert hot["qualification"] == "mql" and hot["owner_id"] == ids["rep"]
    dialog = RecordDialog(services, actor, "lead", hot.id)
    qtbot.addWidget(dialog)
    assert dialog.rules_box is not None and dialog.rules_box.title() == "评分与分配"
    assert dialog.qualification_label.text().startswith("营销合格线索（MQL），自 ")
    history = dialog.assignment_label.text()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d：分给 王磊，规则“华东区线索”", history), history
    services.leads.accept_lead(actor, hot.id)
    accepted = RecordDialog(services, actor, "lead", hot.id)
    qtbot.addWidget(accepted)
    assert re.fullmatch(r"销售合格线索（SQL），于 .+ 被销售接受", accepted.qualification_label.text())

    cold = services.leads.create(actor, {"name": "李娜", "phone": "13900001111", "source": "web",
                                         "owner_id": actor.user_id})
    plain = RecordDialog(services, actor, "lead", cold.id)
    qtbot.addWidget(plain)
    assert plain.qualification_label.text() == f"未达标：评分 {cold['score']}，达到 60 分成为营销合格线索"
    assert plain.assignment_label.text() == "没有按分配规则分配的记录。"
    new = RecordDialog(services, actor, "lead")
    qtbot.addWidget(new)
    assert new.rules_box is None and _line(new, "score").placeholderText() == "留空则按评分规则计算"


def test_a_lead_entered_in_the_form_is_given_to_whoever_the_rules_choose(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor
) -> None:
    ids = _territories_and_rep(services, actor)
    _rule_for_east(services, actor, ids)
    dialog = RecordDialog(services, actor, "lead")
    qtbot.addWidget(dialog)
    type_text(qtbot, _line(dialog, "name"), "陈静")
    qtbot.keyClicks(_line(dialog, "phone"), "13600003333")
    territory = _combo(dialog, "territory_id")
    territory.combo.setCurrentIndex(territory.combo.findData(ids["hangzhou"]))  # inside 华东区
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        _save(qtbot, dialog)
    assert dialog.record is not None and dialog.record["owner_id"] == ids["rep"]
    assert [entry.rule_name for entry in lead_rules.assignment_history(services.db, dialog.record.id)] == ["华东区线索"]
