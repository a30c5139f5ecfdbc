"""The lead rules settings page (scoring, assignment, invalid reasons, duplicate rules) and the lead tab's
lifecycle actions (mark invalid with a reason, reopen, accept an MQL as SQL)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label
from crmdesk.services import duplicates, lead_rules
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.leads import LEAD_SOURCES, InvalidReason, invalid_reasons
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error

if TYPE_CHECKING:
    from crmdesk.views.record_tab import RecordTab

_ERROR_STYLE = "QLabel#rulesErrors { color: #c5221f; }"


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,，、;；]", text) if part.strip()]


def _table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return table


def _cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


class BandTable(QWidget):
    """Bands (from, below, points) with add and remove; text cells, checked by the service on save."""

    def __init__(self, name: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = _table(self, [self.tr("From ({unit})").format(unit=unit),
                                   self.tr("Below ({unit})").format(unit=unit),
                                   self.tr("Points")], name)
        self.table.setMinimumHeight(140)
        self.table.setToolTip(self.tr("Leave “below” empty for a band with no upper limit."))
        add = QPushButton(self.tr("Add band"), self)
        add.setObjectName(f"{name}_add")
        remove = QPushButton(self.tr("Remove band"), self)
        remove.setObjectName(f"{name}_remove")
        add.clicked.connect(lambda: self.add_band("", "", "0"))
        remove.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_band(self, low: object, high: object, points: object) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate((low, high, points)):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def load(self, bands: list[Mapping[str, Any]]) -> None:
        self.table.setRowCount(0)
        for band in bands:
            self.add_band(band.get("min"), band.get("max"), band.get("points"))

    def bands(self) -> list[dict[str, Any]]:
        return [{"min": _cell_text(self.table, row, 0), "max": _cell_text(self.table, row, 1) or None,
                 "points": _cell_text(self.table, row, 2)} for row in range(self.table.rowCount())]


def _spin(parent: QWidget, name: str, minimum: int, maximum: int, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setObjectName(name)
    spin.setRange(minimum, maximum)
    spin.setValue(value)
    if suffix:
        spin.setSuffix(suffix)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


class RuleEditorDialog(QDialog):
    """One assignment rule: its name, conditions and target. `rule()` is the edited rule (unchecked)."""

    def __init__(self, rule: Mapping[str, Any], targets: lead_rules.AssignmentTargets,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditorDialog")
        self.setWindowTitle(self.tr("Assignment rule"))
        conditions = {**lead_rules.EMPTY_CONDITIONS, **(rule.get("conditions") or {})}
        target = rule.get("target") or {"kind": "user"}
        several = self.tr("several: separate with commas")
        self.name_edit = QLineEdit(str(rule.get("name") or ""), self)
        self.name_edit.setObjectName("rule_name")
        self.enabled_box = QCheckBox(self.tr("Rule is on"), self)
        self.enabled_box.setObjectName("rule_enabled")
        self.enabled_box.setChecked(bool(rule.get("enabled", True)))
        self.lists: dict[str, QLineEdit] = {}
        for key in ("provinces", "cities", "industries", "products"):
            edit = QLineEdit("，".join(conditions[key]), self)
            edit.setObjectName(f"rule_{key}")
            edit.setPlaceholderText(several)
            self.lists[key] = edit
        self.territories = QListWidget(self)
        self.territories.setObjectName("rule_territories")
        self.territories.setMaximumHeight(96)
        for choice in targets.territories:
            item = QListWidgetItem(choice.name, self.territories)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.id in conditions["territory_ids"]
                               else Qt.CheckState.Unchecked)
        self.size_min = QLineEdit("" if conditions["size_min"] is None else str(conditions["size_min"]), self)
        self.size_min.setObjectName("rule_size_min")
        self.size_max = QLineEdit("" if conditions["size_max"] is None else str(conditions["size_max"]), self)
        self.size_max.setObjectName("rule_size_max")
        for edit in (self.size_min, self.size_max):
            edit.setPlaceholderText(self.tr("any"))
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        size = QHBoxLayout()
        size.addWidget(self.size_min)
        size.addWidget(QLabel("–", self))
        size.addWidget(self.size_max)
        size.addWidget(QLabel(self.tr("employees"), self))

        self.kind = QComboBox(self)
        self.kind.setObjectName("rule_target_kind")
        for code, label in (("user", self.tr("A user")), ("team", self.tr("A team, in turns (round robin)")),
                            ("pool", self.tr("The public pool (no owner)"))):
            self.kind.addItem(label, code)
        self.user = QComboBox(self)
        self.user.setObjectName("rule_user")
        for choice in targets.users:
            self.user.addItem(choice.name, choice.id)
        self.team = QComboBox(self)
        self.team.setObjectName("rule_team")
        for choice in targets.teams:
            self.team.addItem(choice.name, choice.id)
        self.kind.currentIndexChanged.connect(self._show_target)
        self.kind.setCurrentIndex(max(self.kind.findData(target.get("kind")), 0))
        if target.get("user_id"):
            self.user.setCurrentIndex(max(self.user.findData(target["user_id"]), 0))
        if target.get("team_id"):
            self.team.setCurrentIndex(max(self.team.findData(target["team_id"]), 0))
        target_row = QHBoxLayout()
        target_row.addWidget(self.kind)
        target_row.addWidget(self.user, 1)
        target_row.addWidget(self.team, 1)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow("", self.enabled_box)
        hint = QLabel(self.tr("A lead matches when it meets every condition given; empty conditions match "
                              "every lead."), self)
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(self.tr("Provinces"), self.lists["provinces"])
        form.addRow(self.tr("Cities"), self.lists["cities"])
        form.addRow(self.tr("Territories"), self.territories)
        form.addRow(self.tr("Industries"), self.lists["industries"])
        form.addRow(self.tr("Company size"), size)
        form.addRow(self.tr("Intended product contains"), self.lists["products"])
        form.addRow(self.tr("Give the lead to"), target_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._show_target()
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())

    def _show_target(self) -> None:
        kind = self.kind.currentData()
        self.user.setVisible(kind == "user")
        self.team.setVisible(kind == "team")

    def rule(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        target: dict[str, Any] = {"kind": kind}
        if kind == "user":
            target["user_id"] = self.user.currentData()
        elif kind == "team":
            target["team_id"] = self.team.currentData()
        territories = [str(self.territories.item(i).data(Qt.ItemDataRole.UserRole))
                       for i in range(self.territories.count())
                       if self.territories.item(i).checkState() == Qt.CheckState.Checked]
        conditions: dict[str, Any] = {key: _split(edit.text()) for key, edit in self.lists.items()}
        conditions.update(territory_ids=territories, size_min=self.size_min.text().strip() or None,
                          size_max=self.size_max.text().strip() or None)
        return {"name": self.name_edit.text().strip(), "enabled": self.enabled_box.isChecked(),
                "conditions": conditions, "target": target}


class LeadRulesDialog(QDialog):
    """Scoring points, the MQL threshold, the ordered assignment rules and the invalid reasons, saved
    together through the service; a rejected save keeps everything typed and says what is wrong."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadRulesDialog")
        self.setWindowTitle(self.tr("Lead rules: scoring, assignment, duplicates"))
        self.setStyleSheet(_ERROR_STYLE)
        self.services, self.actor = services, actor
        db = services.db
        scoring = lead_rules.load_scoring(db)
        assignment = lead_rules.load_assignment(db)
        self.targets = lead_rules.assignment_targets(db)
        self.user_names = {choice.id: choice.name for choice in self.targets.users}
        self.team_names = {choice.id: choice.name for choice in self.targets.teams}
        self.territory_names = {choice.id: choice.name for choice in self.targets.territories}
        self.rules: list[dict[str, Any]] = [dict(rule) for rule in assignment.get("rules", [])]
        self.rule_editor: RuleEditorDialog | None = None

        self.errors_label = QLabel(self)
        self.errors_label.setObjectName("rulesErrors")
        self.errors_label.setWordWrap(True)
        self.errors_label.hide()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("rulesTabs")
        self.tabs.addTab(self._scoring_page(scoring), self.tr("Scoring"))
        self.tabs.addTab(self._assignment_page(assignment), self.tr("Assignment"))
        self.tabs.addTab(self._reasons_page(invalid_reasons(db)), self.tr("Invalid reasons"))
        self.tabs.addTab(self._duplicates_page(duplicates.load_rules(db)), self.tr("Duplicate rules"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 760)

    # ---- scoring ----------------------------------------------------------------------------
    def _scoring_page(self, scoring: Mapping[str, Any]) -> QWidget:
        page = QWidget(self)
        self.source_table = _table(page, [self.tr("Lead source"), self.tr("Points")], "sourcePoints")
        points = scoring.get("source_points") or {}
        self.source_spins: dict[str, QSpinBox] = {}
        self.source_table.setRowCount(len(LEAD_SOURCES))
        for row, code in enumerate(LEAD_SOURCES):
            item = QTableWidgetItem(code_label("lead", "source", code))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.source_table.setItem(row, 0, item)
            spin = _spin(self.source_table, f"source_{code}", -100, 100, int(points.get(code, 0)))
            self.source_spins[code] = spin
            self.source_table.setCellWidget(row, 1, spin)
        self.source_table.setMinimumHeight(self.source_table.verticalHeader().length() +
                                           self.source_table.horizontalHeader().height() + 4)
        sources = QGroupBox(self.tr("Points by source"), page)
        QVBoxLayout(sources).addWidget(self.source_table)

        self.size_bands = BandTable("sizeBands", self.tr("employees"), page)
        self.size_bands.load(scoring.get("size_bands") or [])
        sizes = QGroupBox(self.tr("Points by company size"), page)
        QVBoxLayout(sizes).addWidget(self.size_bands)
        self.budget_bands = BandTable("budgetBands", self.tr("yuan"), page)
        self.budget_bands.load(scoring.get("budget_bands") or [])
        budgets = QGroupBox(self.tr("Points by budget"), page)
        QVBoxLayout(budgets).addWidget(self.budget_bands)

        intent = scoring.get("intent") or {}
        engagement = scoring.get("engagement") or {}
        days = self.tr(" days")
        self.purchase_days = _spin(page, "purchaseWithinDays", 0, 3650, int(intent.get("purchase_within_days", 0)), days)
        self.purchase_points = _spin(page, "purchasePoints", -100, 100, int(intent.get("purchase_points", 0)))
        self.product_points = _spin(page, "productPoints", -100, 100, int(intent.get("product_points", 0)))
        self.engagement_days = _spin(page, "engagementDays", 1, 3650, int(engagement.get("days", 30)), days)
        self.activity_points = _spin(page, "activityPoints", 0, 100, int(engagement.get("points_per_activity", 0)))
        self.engagement_max = _spin(page, "engagementMax", 0, 100, int(engagement.get("max_points", 0)))
        self.threshold = _spin(page, "mqlThreshold", 1, 100, int(scoring.get("mql_threshold", 60)))
        other = QGroupBox(self.tr("Intent, engagement and the MQL threshold"), page)
        grid = QGridLayout(other)
        rows: list[tuple[str, QWidget, str, QWidget]] = [
            (self.tr("Intended purchase within"), self.purchase_days, self.tr("points"), self.purchase_points),
            (self.tr("Intended product given"), QLabel("", other), self.tr("points"), self.product_points),
            (self.tr("Done activities in the last"), self.engagement_days, self.tr("points each"),
             self.activity_points),
            (self.tr("Engagement at most"), QLabel("", other), self.tr("points"), self.engagement_max),
            (self.tr("A lead becomes MQL from a score of"), self.threshold, "", QLabel("", other)),
        ]
        for row, (title, first, unit, second) in enumerate(rows):
            grid.addWidget(QLabel(title, other), row, 0)
            grid.addWidget(first, row, 1)
            grid.addWidget(QLabel(unit, other), row, 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(second, row, 3)
        note = QLabel(self.tr("The score is the sum of the points, kept between 0 and 100. A band counts from its "
                              "first value up to, not including, its limit; an empty limit: no upper end."), other)
        note.setWordWrap(True)
        grid.addWidget(note, len(rows), 0, 1, 4)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(sources)
        left.addWidget(other)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(sizes)
        right.addWidget(budgets)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        inner = QWidget(page)
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(columns)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        return page

    def scoring_value(self) -> dict[str, Any]:
        return {
            "source_points": {code: spin.value() for code, spin in self.source_spins.items()},
            "size_bands": self.size_bands.bands(),
            "budget_bands": self.budget_bands.bands(),
            "intent": {"purchase_within_days": self.purchase_days.value(), "purchase_points": self.purchase_points.value(),
                       "product_points": self.product_points.value()},
            "engagement": {"days": self.engagement_days.value(), "points_per_activity": self.activity_points.value(),
                           "max_points": self.engagement_max.value()},
            "mql_threshold": self.threshold.value(),
        }

    # ---- assignment -------------------------------------------------------------------------
    def _assignment_page(self, assignment: Mapping[str, Any]) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr("Rules are tried from the top for each new or imported lead without an owner; the "
                               "first that matches and has room gets it."), page)
        intro.setWordWrap(True)
        self.rules_table = _table(page, [self.tr("On"), self.tr("Rule"), self.tr("Conditions"),
                                         self.tr("Given to")], "rulesTable")
        self.rules_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.rules_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.rules_table.doubleClicked.connect(lambda _index: self.edit_rule())
        buttons = QVBoxLayout()
        self.rule_buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("add", self.tr("Add…"), self.add_rule), ("edit", self.tr("Edit…"), self.edit_rule),
                                ("remove", self.tr("Remove"), self.remove_rule),
                                ("up", self.tr("Move up"), lambda: self.move_rule(-1)),
                                ("down", self.tr("Move down"), lambda: self.move_rule(1))):
            button = QPushButton(text, page)
            button.setObjectName(f"rule_{key}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.rule_buttons[key] = button
        buttons.addStretch(1)
        rules_row = QHBoxLayout()
        rules_row.addWidget(self.rules_table, 1)
        rules_row.addLayout(buttons)

        capacity = assignment.get("capacity") or {}
        default_cap = capacity.get("default")
        self.default_cap = QLineEdit("" if default_cap is None else str(default_cap), page)
        self.default_cap.setObjectName("defaultCap")
        self.default_cap.setPlaceholderText(self.tr("no limit"))
        self.default_cap.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.cap_table = _table(page, [self.tr("Sales rep"), self.tr("Most open leads (empty: as above)")],
                                "capTable")
        per_user = capacity.get("per_user") or {}
        self.cap_table.setRowCount(len(self.targets.users))
        for row, choice in enumerate(self.targets.users):
            name = QTableWidgetItem(choice.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, choice.id)
            self.cap_table.setItem(row, 0, name)
            cap = QTableWidgetItem(str(per_user[choice.id]) if choice.id in per_user else "")
            cap.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.cap_table.setItem(row, 1, cap)
        self.cap_table.setMaximumHeight(160)
        caps = QGroupBox(self.tr("Capacity: a rep with this many open leads is skipped"), page)
        caps_layout = QFormLayout(caps)
        caps_layout.addRow(self.tr("Every rep at most"), self.default_cap)
        caps_layout.addRow(self.cap_table)

        fallback = assignment.get("fallback") or {"kind": "creator"}
        self.fallback_kind = QComboBox(page)
        self.fallback_kind.setObjectName("fallbackKind")
        for code, label in (("creator", self.tr("Whoever enters or imports the lead")),
                            ("user", self.tr("A fixed user")), ("pool", self.tr("The public pool (no owner)"))):
            self.fallback_kind.addItem(label, code)
        self.fallback_user = QComboBox(page)
        self.fallback_user.setObjectName("fallbackUser")
        for choice in self.targets.users:
            self.fallback_user.addItem(choice.name, choice.id)
        self.fallback_kind.currentIndexChanged.connect(
            lambda _i: self.fallback_user.setVisible(self.fallback_kind.currentData() == "user"))
        self.fallback_kind.setCurrentIndex(max(self.fallback_kind.findData(fallback.get("kind")), 0))
        if fallback.get("user_id"):
            self.fallback_user.setCurrentIndex(max(self.fallback_user.findData(fallback["user_id"]), 0))
        self.fallback_user.setVisible(self.fallback_kind.currentData() == "user")
        fallback_box = QGroupBox(self.tr("When no rule matches"), page)
        fallback_row = QHBoxLayout(fallback_box)
        fallback_row.addWidget(self.fallback_kind)
        fallback_row.addWidget(self.fallback_user, 1)

        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(rules_row, 1)
        layout.addWidget(fallback_box)
        layout.addWidget(caps)
        self._show_rules()
        return page

    def _conditions_text(self, conditions: Mapping[str, Any]) -> str:
        parts = []
        for key, title in (("provinces", self.tr("Province")), ("cities", self.tr("City")),
                           ("industries", self.tr("Industry")), ("products", self.tr("Product contains"))):
            if conditions.get(key):
                parts.append(f"{title}：{'、'.join(conditions[key])}")
        if conditions.get("territory_ids"):
            names = [self.territory_names.get(t, t) for t in conditions["territory_ids"]]
            parts.append(f"{self.tr('Territory')}：{'、'.join(names)}")
        low, high = conditions.get("size_min"), conditions.get("size_max")
        if low not in (None, "") or high not in (None, ""):
            parts.append(self.tr("Size {low}–{high} employees").format(low=low if low not in (None, "") else 0,
                                                                        high=high if high not in (None, "") else "∞"))
        return "；".join(parts) or self.tr("Every lead")

    def _target_text(self, target: Mapping[str, Any]) -> str:
        kind = target.get("kind")
        if kind == "user":
            return self.tr("User: {name}").format(name=self.user_names.get(target.get("user_id") or "", "?"))
        if kind == "team":
            return self.tr("Team in turns: {name}").format(name=self.team_names.get(target.get("team_id") or "", "?"))
        return self.tr("Public pool")

    def _show_rules(self, select: int | None = None) -> None:
        self.rules_table.setRowCount(len(self.rules))
        for row, rule in enumerate(self.rules):
            texts = ["✓" if rule.get("enabled", True) else "", str(rule.get("name") or ""),
                     self._conditions_text(rule.get("conditions") or {}), self._target_text(rule.get("target") or {})]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.rules_table.setItem(row, column, item)
        if select is not None and 0 <= select < len(self.rules):
            self.rules_table.selectRow(select)

    def _open_editor(self, rule: Mapping[str, Any], done: Any) -> RuleEditorDialog:
        editor = RuleEditorDialog(rule, self.targets, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.accepted.connect(lambda: done(editor.rule()))
        editor.finished.connect(lambda _result: setattr(self, "rule_editor", None))
        self.rule_editor = editor
        editor.open()
        return editor

    def add_rule(self) -> RuleEditorDialog:
        default_name = self.tr("Rule {number}").format(number=len(self.rules) + 1)
        first_user = self.targets.users[0].id if self.targets.users else None

        def added(rule: dict[str, Any]) -> None:
            self.rules.append(rule)
            self._show_rules(len(self.rules) - 1)

        return self._open_editor({"name": default_name, "target": {"kind": "user", "user_id": first_user}}, added)

    def edit_rule(self) -> RuleEditorDialog | None:
        row = self.rules_table.currentRow()
        if not 0 <= row < len(self.rules):
            return None

        def edited(rule: dict[str, Any]) -> None:
            self.rules[row] = rule
            self._show_rules(row)

        return self._open_editor(self.rules[row], edited)

    def remove_rule(self) -> None:
        row = self.rules_table.currentRow()
        if 0 <= row < len(self.rules):
            del self.rules[row]
            self._show_rules(min(row, len(self.rules) - 1))

    def move_rule(self, step: int) -> None:
        row = self.rules_table.currentRow()
        other = row + step
        if 0 <= row < len(self.rules) and 0 <= other < len(self.rules):
            self.rules[row], self.rules[other] = self.rules[other], self.rules[row]
            self._show_rules(other)

    def assignment_value(self) -> dict[str, Any]:
        per_user: dict[str, str] = {}
        for row in range(self.cap_table.rowCount()):
            user, cap = self.cap_table.item(row, 0), _cell_text(self.cap_table, row, 1)
            if user is not None and cap:
                per_user[str(user.data(Qt.ItemDataRole.UserRole))] = cap
        fallback: dict[str, Any] = {"kind": self.fallback_kind.currentData()}
        if fallback["kind"] == "user":
            fallback["user_id"] = self.fallback_user.currentData()
        return {"rules": [dict(rule) for rule in self.rules],
                "capacity": {"default": self.default_cap.text().strip() or None, "per_user": per_user},
                "fallback": fallback}

    # ---- invalid reasons --------------------------------------------------------------------
    def _reasons_page(self, reasons: list[InvalidReason]) -> QWidget:
        page = QWidget(self)
        self.reasons_table = _table(page, [self.tr("Code"), self.tr("Label"), self.tr("Own words allowed")],
                                    "reasonsTable")
        for reason in reasons:
            self._add_reason(reason.code, reason.label, reason.free_text)
        add = QPushButton(self.tr("Add reason"), page)
        add.setObjectName("reason_add")
        add.clicked.connect(lambda: self._add_reason("", "", False))
        remove = QPushButton(self.tr("Remove reason"), page)
        remove.setObjectName("reason_remove")
        remove.clicked.connect(lambda: self.reasons_table.removeRow(self.reasons_table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        intro = QLabel(self.tr("The reasons offered when a lead is marked invalid."), page)
        layout.addWidget(intro)
        layout.addWidget(self.reasons_table, 1)
        layout.addLayout(buttons)
        return page

    def _add_reason(self, code: str, label: str, free_text: bool) -> None:
        row = self.reasons_table.rowCount()
        self.reasons_table.insertRow(row)
        self.reasons_table.setItem(row, 0, QTableWidgetItem(code))
        self.reasons_table.setItem(row, 1, QTableWidgetItem(label))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if free_text else Qt.CheckState.Unchecked)
        self.reasons_table.setItem(row, 2, check)

    def reasons_value(self) -> list[dict[str, Any]]:
        table = self.reasons_table
        values = []
        for row in range(table.rowCount()):
            check = table.item(row, 2)
            values.append({"code": _cell_text(table, row, 0), "label": _cell_text(table, row, 1),
                           "free_text": check is not None and check.checkState() == Qt.CheckState.Checked})
        return values

    # ---- duplicate rules --------------------------------------------------------------------
    def _duplicates_page(self, rules: duplicates.DuplicateRules) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr("Which records count as likely duplicates, and the score each rule gives a "
                               "pair it finds. A pair found by several rules scores higher; groups are listed best "
                               "score first."), page)
        intro.setWordWrap(True)
        self.duplicate_table = _table(page, [self.tr("On"), self.tr("Rule"), self.tr("Score (1–100)")],
                                      "duplicateRulesTable")
        header = self.duplicate_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.duplicate_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.duplicate_boxes: dict[str, QCheckBox] = {}
        self.duplicate_weights: dict[str, QSpinBox] = {}
        self.duplicate_table.setRowCount(len(duplicates.RULE_KEYS))
        for row, key in enumerate(duplicates.RULE_KEYS):
            setting = rules.rules[key]
            box = QCheckBox(self.duplicate_table)
            box.setObjectName(f"duplicate_{key}_enabled")
            box.setChecked(setting.enabled)
            cell = QWidget(self.duplicate_table)
            cell_layout = QHBoxLayout(cell)
            cell_layout.setContentsMargins(6, 0, 6, 0)
            cell_layout.addWidget(box)
            self.duplicate_table.setCellWidget(row, 0, cell)
            name = QTableWidgetItem(duplicates.rule_label(key))
            self.duplicate_table.setItem(row, 1, name)
            weight = _spin(self.duplicate_table, f"duplicate_{key}_weight", 1, 100, setting.weight)
            weight.setMinimumWidth(90)
            box.toggled.connect(weight.setEnabled)
            weight.setEnabled(setting.enabled)
            self.duplicate_table.setCellWidget(row, 2, weight)
            self.duplicate_boxes[key], self.duplicate_weights[key] = box, weight
        self.duplicate_table.setFixedHeight(self.duplicate_table.verticalHeader().length() +
                                            self.duplicate_table.horizontalHeader().sizeHint().height() + 4)
        self.name_similarity = _spin(page, "nameSimilarity", 50, 100, rules.name_similarity, "%")
        similarity = QGroupBox(self.tr("Similar names"), page)
        similarity_form = QFormLayout(similarity)
        self.name_similarity.setMinimumWidth(90)
        similarity_row = QHBoxLayout()
        similarity_row.addWidget(self.name_similarity)
        similarity_row.addStretch(1)
        similarity_form.addRow(self.tr("Names spelled at least this much alike count as one"), similarity_row)
        note = QLabel(self.tr("Used by the two name rules. Names that sound the same (same pinyin, e.g. {first} and "
                              "{second}) always count; 100%: no other spelling differences.").format(
                                  first="张伟", second="张玮"), similarity)
        note.setWordWrap(True)
        similarity_form.addRow(note)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.duplicate_table)
        layout.addWidget(similarity)
        layout.addStretch(1)
        return page

    def duplicates_value(self) -> dict[str, Any]:
        return {"rules": {key: {"enabled": self.duplicate_boxes[key].isChecked(),
                                "weight": self.duplicate_weights[key].value()} for key in duplicates.RULE_KEYS},
                "name_similarity": self.name_similarity.value()}

    # ---- saving -----------------------------------------------------------------------------
    def _where(self, key: str) -> tuple[int, str]:
        """(tab index, where in the page) for an error key of save_lead_rules ("duplicates.…": of the
        duplicate rules)."""
        row = re.search(r"\[(\d+)\]", key)
        number = int(row.group(1)) + 1 if row else 0
        if key.startswith("duplicates."):
            rule = key.split(".")[1]
            if rule in duplicates.RULE_KEYS:
                return 3, self.tr("Duplicate rule · {rule}").format(rule=duplicates.rule_label(rule))
            if rule == "name_similarity":
                return 3, self.tr("Similar names")
            return 3, self.tr("Duplicate rules")
        if key.startswith("scoring.source_points."):
            return 0, self.tr("Points by source · {source}").format(
                source=code_label("lead", "source", key.rsplit(".", 1)[1]))
        if key.startswith("scoring.size_bands"):
            return 0, (self.tr("Company size, row {number}").format(number=number) if row
                       else self.tr("Company size bands"))
        if key.startswith("scoring.budget_bands"):
            return 0, (self.tr("Budget, row {number}").format(number=number) if row else self.tr("Budget bands"))
        if key.startswith("scoring."):
            return 0, self.tr("Intent, engagement and threshold")
        if key.startswith("assignment.rules"):
            return 1, (self.tr("Assignment rule {number}").format(number=number) if row
                       else self.tr("Assignment rules"))
        if key.startswith("assignment.capacity"):
            return 1, self.tr("Capacity")
        if key.startswith("assignment."):
            return 1, self.tr("When no rule matches")
        return 2, (self.tr("Invalid reason, row {number}").format(number=number) if row else self.tr("Invalid reasons"))

    def show_errors(self, errors: Mapping[str, str]) -> None:
        lines = []
        first_tab: int | None = None
        for key, message in errors.items():
            tab, where = self._where(key)
            first_tab = tab if first_tab is None else first_tab
            lines.append(f"• {where}：{message}")
        self.errors_label.setText(self.tr("Nothing was saved. Please correct:") + "\n" + "\n".join(lines))
        self.errors_label.show()
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)

    def save(self) -> None:
        """Every tab checked before anything is stored: the duplicate rules first (a pure check), then the lead
        rules in their one unit of work, then the duplicate rules, already known good."""
        self.errors_label.hide()
        duplicate_rules = self.duplicates_value()
        try:
            duplicates.check_rules(duplicate_rules)
        except ValidationError as error:
            self.show_errors({f"duplicates.{key}": text for key, text in error.errors.items()})
            return
        try:
            lead_rules.save_lead_rules(self.services.db, self.actor, scoring=self.scoring_value(),
                                       assignment=self.assignment_value(), invalid_reasons=self.reasons_value())
            duplicates.save_rules(self.services.db, self.actor, duplicate_rules)
        except ValidationError as error:
            self.show_errors(error.errors)
            return
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()


class MarkInvalidDialog(QDialog):
    """Choose why a lead is invalid from the team's list; a reason that allows it takes the user's words."""

    def __init__(self, services: Services, actor: Actor, lead_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markInvalidDialog")
        self.services, self.actor, self.lead_id = services, actor, lead_id
        lead = services.leads.get(actor, lead_id)
        self.setWindowTitle(self.tr("Mark invalid: {name}").format(name=lead["name"]))
        self.reasons = invalid_reasons(services.db)
        self.reason = QComboBox(self)
        self.reason.setObjectName("invalidReason")
        for reason in self.reasons:
            self.reason.addItem(reason.label, reason.code)
        self.detail = QLineEdit(self)
        self.detail.setObjectName("invalidDetail")
        self.detail.setMaxLength(150)
        self.detail.setPlaceholderText(self.tr("Your own words (only for a reason that allows them)"))
        self.reason.currentIndexChanged.connect(self._on_reason)
        self.error = QLabel(self)
        self.error.setObjectName("invalidError")
        self.error.setStyleSheet("color: #c5221f;")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Details"), self.detail)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        mark = self.buttons.addButton(self.tr("Mark invalid"), QDialogButtonBox.ButtonRole.AcceptRole)
        mark.setObjectName("confirmInvalidButton")
        self.buttons.accepted.connect(self.mark)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._on_reason()
        self.resize(max(self.sizeHint().width(), 420), self.sizeHint().height())

    def _on_reason(self) -> None:
        index = self.reason.currentIndex()
        allowed = 0 <= index < len(self.reasons) and self.reasons[index].free_text
        self.detail.setEnabled(allowed)
        if not allowed:
            self.detail.clear()

    def mark(self) -> None:
        self.error.hide()
        try:
            self.services.leads.mark_invalid(self.actor, self.lead_id, str(self.reason.currentData()),
                                             self.detail.text() or None)
        except ValidationError as error:
            self.error.setText("\n".join(error.errors.values()) or error.message)
            self.error.show()
            return
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()


class LeadLifecycleActions(QObject):
    """The lead tab's buttons for the lifecycle: mark invalid…, reopen, accept (SQL)."""

    def __init__(self, tab: RecordTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.dialog: MarkInvalidDialog | None = None
        self.invalid_button = QPushButton(self.tr("Mark invalid…"), tab)
        self.invalid_button.setObjectName("markInvalidButton")
        self.invalid_button.setToolTip(self.tr("The lead is no use: say why (wrong number, not interested, …)"))
        self.reopen_button = QPushButton(self.tr("Reopen"), tab)
        self.reopen_button.setObjectName("reopenButton")
        self.reopen_button.setToolTip(self.tr("Put an invalid lead back in work"))
        self.accept_button = QPushButton(self.tr("Accept (SQL)"), tab)
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.setToolTip(self.tr("Sales accepts the marketing qualified lead: it becomes an SQL"))
        self.invalid_button.clicked.connect(self.mark_invalid_current)
        self.reopen_button.clicked.connect(self.reopen_current)
        self.accept_button.clicked.connect(self.accept_current)

    @property
    def buttons(self) -> tuple[QPushButton, ...]:
        return (self.invalid_button, self.reopen_button, self.accept_button)

    def set_enabled(self, enabled: bool) -> None:
        for button in self.buttons:
            button.setEnabled(enabled)

    def _changed(self, lead_id: str) -> None:
        self.tab.show_record(lead_id)
        self.tab.records_changed.emit("lead")

    def mark_invalid_current(self) -> MarkInvalidDialog | None:
        lead_id = self.tab.current_id()
        if lead_id is None:
            return None
        try:
            dialog = MarkInvalidDialog(self.tab.services, self.tab.actor, lead_id, self.tab)
        except UserError as error:
            show_user_error(self.tab, error)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._changed(lead_id))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def reopen_current(self) -> None:
        self._run(lambda actor, lead_id: self.tab.services.leads.reopen(actor, lead_id))

    def accept_current(self) -> None:
        self._run(lambda actor, lead_id: self.tab.services.leads.accept_lead(actor, lead_id))

    def _run(self, action: Any) -> None:
        lead_id = self.tab.current_id()
        if lead_id is None:
            return
        try:
            action(self.tab.actor, lead_id)
        except UserError as error:
            show_user_error(self.tab, error)
            return
        self._changed(lead_id)
