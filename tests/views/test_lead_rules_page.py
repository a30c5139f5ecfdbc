"""The lead rules page (scoring, ordered assignment rules, invalid reasons) and the lead tab's lifecycle
actions, driven through real widgets in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from crmdesk.models import Team, User
from crmdesk.services import duplicates, lead_rules
from crmdesk.services.leads import invalid_reasons
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.settings import Settings
from crmdesk.views.lead_rules_page import LeadRulesDialog, MarkInvalidDialog, RuleEditorDialog
from crmdesk.views.main_window import MainWindow
from crmdesk.views.record_tab import RecordTab


@pytest.fixture
def team(services: Services, actor: Actor) -> dict[str, str]:
    with unit_of_work(services.db, actor) as session:
        group = Team(name="杭州销售一组")
        session.add(group)
        session.flush()
        reps = [User(username=f"rep{n}", display_name=name, team_id=group.id) for n, name in enumerate(("王磊", "刘洋"))]
        session.add_all(reps)
        session.flush()
        return {"team": group.id, "rep0": reps[0].id, "rep1": reps[1].id}


def _dialog(qtbot: QtBot, services: Services, actor: Actor) -> LeadRulesDialog:
    dialog = LeadRulesDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _edit_rule(qtbot: QtBot, dialog: LeadRulesDialog, opener: Callable[[], RuleEditorDialog | None],
               fill: Callable[[RuleEditorDialog], None]) -> None:
    editor = opener()
    assert editor is not None and dialog.rule_editor is editor
    fill(editor)
    editor.accept()
    qtbot.waitUntil(lambda: dialog.rule_editor is None, timeout=2000)


def test_the_page_shows_the_rules_in_chinese_and_saves_edits(app: QApplication, qtbot: QtBot, services: Services,
                                                             actor: Actor) -> None:
    dialog = _dialog(qtbot, services, actor)
    assert dialog.windowTitle() == "线索规则：评分、分配、查重"
    assert [dialog.tabs.tabText(i) for i in range(3)] == ["评分规则", "分配规则", "无效原因"]
    assert dialog.source_table.item(0, 0).text() == "展厅到店" and dialog.source_spins["walk_in"].value() == 20
    assert dialog.size_bands.table.rowCount() == 4 and dialog.threshold.value() == 60
    dialog.source_spins["web"].setValue(33)
    dialog.threshold.setValue(70)
    dialog.budget_bands.table.item(3, 1).setText("5000000")  # the open-ended band gets an end, then a new one
    dialog.budget_bands.add_band("5000000", "", "20")
    dialog.engagement_max.setValue(30)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    saved = lead_rules.load_scoring(services.db)
    assert saved["source_points"]["web"] == 33 and saved["mql_threshold"] == 70
    assert saved["budget_bands"][-1] == {"min": "5000000", "max": None, "points": 20}
    assert saved["budget_bands"][-2] == {"min": "2000000", "max": "5000000", "points": 15}
    assert saved["engagement"]["max_points"] == 30


def test_a_rejected_save_keeps_every_edit_and_says_where_in_chinese(app: QApplication, qtbot: QtBot,
                                                                    services: Services, actor: Actor) -> None:
    dialog = _dialog(qtbot, services, actor)
    dialog.threshold.setValue(75)
    dialog.size_bands.add_band("50", "", "3")  # overlaps the band 10-100
    dialog.tabs.setCurrentIndex(1)
    _edit_rule(qtbot, dialog, dialog.add_rule, lambda editor: editor.name_edit.clear())  # a rule with no name
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible() and dialog.result() == 0
    text = dialog.errors_label.text()
    assert text.startswith("未保存任何内容，请更正：")
    assert "公司规模区间：区间重叠" in text
    assert "分配规则第 1 条：请为规则命名。" in text
    assert dialog.tabs.currentIndex() == 0  # the first problem's page
    assert dialog.threshold.value() == 75 and dialog.size_bands.table.rowCount() == 5 and len(dialog.rules) == 1
    assert lead_rules.load_scoring(services.db) == lead_rules.DEFAULT_SCORING  # nothing stored
    dialog.size_bands.table.setCurrentCell(4, 0)
    dialog.size_bands.remove_current()
    dialog.rules_table.selectRow(0)
    _edit_rule(qtbot, dialog, dialog.edit_rule, lambda editor: editor.name_edit.setText("全部"))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    assert lead_rules.load_scoring(services.db)["mql_threshold"] == 75
    assert [rule["name"] for rule in lead_rules.load_assignment(services.db)["rules"]] == ["全部"]


def test_rules_are_added_edited_ordered_and_removed(app: QApplication, qtbot: QtBot, services: Services,
                                                    actor: Actor, team: dict[str, str]) -> None:
    dialog = _dialog(qtbot, services, actor)

    def zhejiang(editor: RuleEditorDialog) -> None:
        editor.name_edit.setText("浙江大客户")
        editor.lists["provinces"].setText("浙江，江苏")
        editor.size_min.setText("500")
        editor.kind.setCurrentIndex(editor.kind.findData("team"))
        editor.team.setCurrentIndex(editor.team.findData(team["team"]))
        assert editor.team.isVisible() and not editor.user.isVisible()

    def pool(editor: RuleEditorDialog) -> None:
        editor.name_edit.setText("杭州公海")
        editor.lists["cities"].setText("杭州")
        editor.kind.setCurrentIndex(editor.kind.findData("pool"))

    _edit_rule(qtbot, dialog, dialog.add_rule, zhejiang)
    _edit_rule(qtbot, dialog, dialog.add_rule, pool)
    _edit_rule(qtbot, dialog, dialog.add_rule, lambda editor: editor.name_edit.setText("多余"))
    assert [dialog.rules_table.item(row, 1).text() for row in range(3)] == ["浙江大客户", "杭州公海", "多余"]
    assert dialog.rules_table.item(0, 2).text() == "省份：浙江、江苏；规模 500–∞ 人"
    assert dialog.rules_table.item(0, 3).text() == "团队轮流：杭州销售一组"
    assert dialog.rules_table.item(1, 3).text() == "公海"
    dialog.rules_table.selectRow(2)
    dialog.rule_buttons["remove"].click()
    dialog.rules_table.selectRow(1)
    dialog.rule_buttons["up"].click()
    assert [rule["name"] for rule in dialog.rules] == ["杭州公海", "浙江大客户"]
    assert dialog.rules_table.currentRow() == 0
    dialog.rule_buttons["down"].click()
    dialog.rule_buttons["down"].click()  # already last: stays
    assert [rule["name"] for rule in dialog.rules] == ["浙江大客户", "杭州公海"]
    dialog.default_cap.setText("30")
    dialog.cap_table.item(next(r for r in range(dialog.cap_table.rowCount())
                               if dialog.cap_table.item(r, 0).text() == "王磊"), 1).setText("5")
    dialog.fallback_kind.setCurrentIndex(dialog.fallback_kind.findData("pool"))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    saved = lead_rules.load_assignment(services.db)
    assert [rule["name"] for rule in saved["rules"]] == ["浙江大客户", "杭州公海"]
    assert saved["rules"][0]["conditions"]["provinces"] == ["浙江", "江苏"]
    assert saved["rules"][0]["target"] == {"kind": "team", "team_id": team["team"]}
    assert saved["capacity"] == {"default": 30, "per_user": {team["rep0"]: 5}}
    assert saved["fallback"] == {"kind": "pool"}
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "province": "浙江省",
                                         "company_size": 800})
    assert lead["owner_id"] == team["rep0"]  # the page's rules now assign new leads


def test_invalid_reasons_are_edited_on_their_page(app: QApplication, qtbot: QtBot, services: Services,
                                                  actor: Actor) -> None:
    dialog = _dialog(qtbot, services, actor)
    table = dialog.reasons_table
    assert [table.item(row, 1).text() for row in range(table.rowCount())] == ["空号", "无意向", "重复", "同行", "其他"]
    assert table.item(4, 2).checkState() == Qt.CheckState.Checked
    dialog._add_reason("test_drive_only", "只试驾", False)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    assert [reason.label for reason in invalid_reasons(services.db)][-1] == "只试驾"


def test_the_rules_dialog_opens_from_the_tools_menu(app: QApplication, qtbot: QtBot, services: Services,
                                                    actor: Actor, settings: Settings) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    action = window.findChild(type(window.new_action), "leadRulesAction")
    assert action is not None and action.text() == "线索规则：评分、分配、查重(&U)…"
    action.trigger()
    assert isinstance(window.lead_rules_dialog, LeadRulesDialog) and window.lead_rules_dialog.isVisible()
    window.lead_rules_dialog.reject()


# ---- the lead tab's lifecycle actions ---------------------------------------------------------------
def _lead_tab(qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> RecordTab:
    tab = RecordTab(services, actor, "lead", settings)
    qtbot.addWidget(tab)
    tab.resize(1400, 600)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activate()
    return tab


def _select(tab: RecordTab, lead_id: str) -> None:
    row = tab.model.row_of(lead_id)
    assert row is not None
    tab.view.selectRow(row)


def test_mark_invalid_with_a_reason_then_reopen(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                                settings: Settings) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "status": "contacted"})
    tab = _lead_tab(qtbot, services, actor, settings)
    assert tab.lifecycle is not None
    assert [b.text() for b in tab.lifecycle.buttons] == ["标为无效…", "重新激活", "接受（SQL）"]
    assert not tab.lifecycle.invalid_button.isEnabled()
    _select(tab, lead.id)
    assert tab.lifecycle.invalid_button.isEnabled()
    dialog = tab.lifecycle.mark_invalid_current()
    assert isinstance(dialog, MarkInvalidDialog)
    assert [dialog.reason.itemText(i) for i in range(dialog.reason.count())] == ["空号", "无意向", "重复", "同行", "其他"]
    assert not dialog.detail.isEnabled()  # 空号 takes no words
    dialog.reason.setCurrentIndex(dialog.reason.findData("other"))
    assert dialog.detail.isEnabled()
    dialog.detail.setText("公司总机")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.mark()
    stored = services.leads.get(actor, lead.id)
    assert (stored["status"], stored["invalid_reason"]) == ("invalid", "other:公司总机")
    row = tab.model.row_of(lead.id)
    assert row is not None and tab.model.index(row, tab.model.column_keys.index("status")).data() == "无效"
    _select(tab, lead.id)
    tab.lifecycle.reopen_button.click()
    assert services.leads.get(actor, lead.id)["status"] == "contacted"


def test_accept_makes_an_mql_sql_and_refuses_a_low_score(app: QApplication, qtbot: QtBot, services: Services,
                                                         actor: Actor, settings: Settings) -> None:
    hot = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "source": "referral",
                                        "intended_product": "华驰 A3",
                                        "intended_purchase_date": date.today() + timedelta(days=3),
                                        "company_size": 200})
    cold = services.leads.create(actor, {"name": "李娜", "phone": "13900001111", "source": "web"})
    assert hot["qualification"] == "mql" and cold["qualification"] is None
    tab = _lead_tab(qtbot, services, actor, settings)
    qualification = tab.model.column_keys.index("qualification")
    row = tab.model.row_of(hot.id)
    assert row is not None and tab.model.index(row, qualification).data() == "营销合格线索（MQL）"
    _select(tab, hot.id)
    tab.lifecycle.accept_button.click()
    row = tab.model.row_of(hot.id)
    assert row is not None and tab.model.index(row, qualification).data() == "销售合格线索（SQL）"
    _select(tab, cold.id)
    tab.lifecycle.accept_button.click()
    box = tab.findChild(QMessageBox, "userErrorBox")
    assert box is not None and "只有营销合格线索（MQL）才能接受" in box.text()
    box.close()
    assert services.leads.get(actor, cold.id)["qualification"] is None


def test_the_qualification_filter(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                  settings: Settings) -> None:
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "score": 90})
    services.leads.create(actor, {"name": "李娜", "phone": "13900001111", "score": 10})
    tab = _lead_tab(qtbot, services, actor, settings)
    combo = tab.qualification_filter
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "全部资格", "营销合格线索（MQL）", "销售合格线索（SQL）", "未达标"]
    combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.model.index(0, 0).data() == "张伟", timeout=2000)
    combo.setCurrentIndex(3)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and tab.model.index(0, 0).data() == "李娜", timeout=2000)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("invalid"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=2000)
    assert tab.model.query.filters == {"status": "invalid", "qualification": None}


# ---- the duplicate rules tab (查重规则) ----------------------------------------------------------------
def test_the_duplicate_rules_tab_edits_and_saves_the_rules(app: QApplication, qtbot: QtBot, services: Services,
                                                           actor: Actor) -> None:
    dialog = _dialog(qtbot, services, actor)
    assert dialog.tabs.tabText(3) == "查重规则"
    table = dialog.duplicate_table
    assert [table.item(row, 1).text() for row in range(table.rowCount())] == [
        "手机号相同", "统一社会信用代码相同", "同公司同名或名字相近", "同城同名"]
    assert {key: (box.isChecked(), dialog.duplicate_weights[key].value())
            for key, box in dialog.duplicate_boxes.items()} == {
        "phone": (True, 90), "uscc": (True, 95), "name_company": (True, 75), "name_city": (True, 60)}
    assert dialog.name_similarity.value() == 85 and dialog.name_similarity.suffix() == "%"
    dialog.tabs.setCurrentIndex(3)
    qtbot.mouseClick(dialog.duplicate_boxes["name_city"], Qt.MouseButton.LeftButton)
    assert not dialog.duplicate_boxes["name_city"].isChecked()
    assert not dialog.duplicate_weights["name_city"].isEnabled()  # an unused score is greyed out
    dialog.duplicate_weights["phone"].setValue(80)
    dialog.name_similarity.setValue(92)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    rules = duplicates.load_rules(services.db)
    assert (rules.enabled("name_city"), rules.weight("name_city")) == (False, 60)
    assert rules.weight("phone") == 80 and rules.name_similarity == 92 and rules.enabled("uscc")
    again = _dialog(qtbot, services, actor)
    assert not again.duplicate_boxes["name_city"].isChecked() and again.duplicate_weights["phone"].value() == 80
    assert again.name_similarity.value() == 92


def test_a_rejected_lead_rules_save_stores_no_duplicate_rule_and_keeps_its_edits(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor) -> None:
    dialog = _dialog(qtbot, services, actor)
    dialog.duplicate_boxes["uscc"].setChecked(False)
    dialog.duplicate_weights["name_company"].setValue(70)
    dialog.size_bands.add_band("50", "", "3")  # overlaps the band 10-100: the scoring is refused
    dialog.save()
    assert dialog.isVisible() and "公司规模区间：区间重叠" in dialog.errors_label.text()
    assert duplicates.load_rules(services.db).to_json() == duplicates.DEFAULT_RULES  # nothing stored
    assert not dialog.duplicate_boxes["uscc"].isChecked() and dialog.duplicate_weights["name_company"].value() == 70
    dialog.size_bands.table.setCurrentCell(4, 0)
    dialog.size_bands.remove_current()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    rules = duplicates.load_rules(services.db)
    assert not rules.enabled("uscc") and rules.weight("name_company") == 70


def test_refused_duplicate_rules_are_shown_on_their_tab_and_nothing_is_stored(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _dialog(qtbot, services, actor)
    dialog.threshold.setValue(75)
    # Values the service refuses (as a rules file edited by hand, or a newer client, could hold).
    refused = {"rules": {"phone": {"enabled": True, "weight": 0}}, "name_similarity": 30}
    monkeypatch.setattr(dialog, "duplicates_value", lambda: refused)
    dialog.save()
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 3
    text = dialog.errors_label.text()
    assert text.startswith("未保存任何内容，请更正：")
    assert "查重规则 · 手机号相同：分值须在 1 到 100 之间。" in text
    assert "相似姓名：相似度须在 50 到 100 之间。" in text
    assert lead_rules.load_scoring(services.db)["mql_threshold"] == 60  # the other tabs' edits are not stored
    assert duplicates.load_rules(services.db).to_json() == duplicates.DEFAULT_RULES
    assert dialog.threshold.value() == 75
