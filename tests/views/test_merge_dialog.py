"""The merge dialog (合并): records side by side, a choice per field, what will move, Merge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crmdesk.models import Activity, Lead
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.merge import COMBINE, list_merges
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work
from crmdesk.views.merge_dialog import MergeDialog


@pytest.fixture
def pair(services: Services, actor: Actor) -> tuple[str, str]:
    old = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "city": "杭州市",
                                        "notes": "展厅来访"}).id
    new = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "city": "上海市",
                                        "email": "zw@example.com", "notes": "电话咨询"}).id
    return old, new


def click_choice(qtbot: QtBot, button: QRadioButton) -> None:
    """Click the round indicator, as a user does."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def open_merge(qtbot: QtBot, services: Services, actor: Actor, refs: list[RecordRef],
               kept: RecordRef | None = None) -> MergeDialog:
    dialog = MergeDialog(services, actor, refs, kept=kept)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_fields_side_by_side_with_the_newest_value_chosen(app: QApplication, qtbot: QtBot, services: Services,
                                                          actor: Actor, pair: tuple[str, str]) -> None:
    old, new = pair
    dialog = open_merge(qtbot, services, actor, [RecordRef("lead", old), RecordRef("lead", new)])
    assert dialog.kept().id == old
    # Identical values are shown once, without a choice.
    same = dialog.findChild(QLabel, "same_phone")
    assert same is not None and same.text() == "13812345678"
    assert ("phone", old) not in dialog.choice_buttons and ("name", old) not in dialog.choice_buttons
    # Differing ones: the newer record's value is chosen.
    assert dialog.choice_buttons[("city", new)].isChecked()
    assert dialog.choice_buttons[("city", old)].text() == "杭州市"
    assert dialog.choice_buttons[("email", new)].isChecked()
    assert dialog.choice_buttons[("email", old)].text() == "（空）"
    assert ("notes", COMBINE) in dialog.choice_buttons
    assert dialog.choices() == {"city": new, "email": new, "notes": new}
    assert "其他记录没有关联数据" in dialog.summary.text()


def test_choosing_fields_and_merging_writes_the_database(app: QApplication, qtbot: QtBot, services: Services,
                                                        actor: Actor, pair: tuple[str, str]) -> None:
    old, new = pair
    with unit_of_work(services.db, actor) as session:
        session.add_all([Activity(subject="首次到店", lead_id=new), Activity(subject="回访", lead_id=new)])
    dialog = open_merge(qtbot, services, actor, [RecordRef("lead", old), RecordRef("lead", new)])
    assert dialog.summary.text().startswith("将移到保留的记录：2 条跟进")
    click_choice(qtbot, dialog.choice_buttons[("city", old)])
    click_choice(qtbot, dialog.choice_buttons[("notes", COMBINE)])
    with qtbot.waitSignal(dialog.merged) as merged:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert merged.args[0].kept == RecordRef("lead", old)
    lead = services.leads.get(actor, old)
    assert (lead["city"], lead["email"], lead["notes"]) == ("杭州市", "zw@example.com", "展厅来访\n\n电话咨询")
    with read_session(services.db) as session:
        assert len(list(session.scalars(select(Activity).where(Activity.lead_id == old)))) == 2
        assert session.get(Lead, new).merged_into_id == old  # type: ignore[union-attr]
    assert [m.merged.id for m in list_merges(services.db, actor)] == [new]
    assert not dialog.isVisible()


def test_a_lead_is_folded_into_the_customer_not_the_other_way(app: QApplication, qtbot: QtBot, services: Services,
                                                              actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "陈静", "phone": "13600003333", "email": "cj@example.com"}).id
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "tier": "B"}).id
    dialog = open_merge(qtbot, services, actor, [RecordRef("lead", lead), RecordRef("customer", customer)],
                        kept=RecordRef("lead", lead))
    assert dialog.kept_box.count() == 1 and dialog.kept() == RecordRef("customer", customer)
    assert dialog.kept_box.currentText().startswith("客户 陈静")
    # A field only the customer has is shown, not offered for blanking.
    tier = dialog.findChild(QLabel, "same_tier")
    assert tier is not None and tier.text() == "B 类"
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert services.customers.get(actor, customer)["email"] == "cj@example.com"


def test_a_refused_merge_is_explained_and_the_dialog_stays(app: QApplication, qtbot: QtBot, services: Services,
                                                           actor: Actor) -> None:
    kept = services.customers.create(actor, {"name": "周杰", "phone": "13955556666"}).id
    other = services.customers.create(actor, {"name": "周杰", "phone": "13955556666", "status": "lost",
                                              "lost_reason": "已在别处购车"}).id
    dialog = open_merge(qtbot, services, actor, [RecordRef("customer", kept), RecordRef("customer", other)])
    click_choice(qtbot, dialog.choice_buttons[("status", other)])  # lost ...
    click_choice(qtbot, dialog.choice_buttons[("lost_reason", kept)])  # ... for no reason
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    box = dialog.findChild(QMessageBox, "userErrorBox")
    assert box is not None and box.isVisible()
    assert dialog.isVisible() and dialog.merge_result is None
    assert services.customers.get(actor, kept)["status"] == "active"
    assert services.customers.get(actor, other)["status"] == "lost"
