"""The public pool tab (公海): pool customers paged from SQL, claim, a manager's assignment, the owner's
reclaim warnings, the pool and tier rules dialog, the release dialog of the customers list, and the
hourly pool maintenance run off the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
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
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import QT_TRANSLATE_NOOP
from crmdesk.services import pool
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.maintenance import run_hourly_maintenance
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_users
from crmdesk.settings import Settings
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_datetime
from crmdesk.views.record_tab import search_box
from crmdesk.views.table_model import RecordTableModel

MAINTENANCE_FIRST_MS = 5_000  # shortly after the window opens
MAINTENANCE_EVERY_MS = 60 * 60 * 1000  # then hourly
ROLES_WITH_CAPS = ("consultant", "field_rep", "manager", "finance", "admin")
_ERROR_STYLE = "QLabel#poolRulesErrors { color: #c5221f; }"


_ROLE_NAMES = {
    "consultant": QT_TRANSLATE_NOOP("PoolRoles", "Sales consultant"),
    "field_rep": QT_TRANSLATE_NOOP("PoolRoles", "Field rep"),
    "manager": QT_TRANSLATE_NOOP("PoolRoles", "Sales manager"),
    "finance": QT_TRANSLATE_NOOP("PoolRoles", "Finance"),
    "admin": QT_TRANSLATE_NOOP("PoolRoles", "Administrator"),
}


def role_name(role: str) -> str:
    source = _ROLE_NAMES.get(role)
    return QCoreApplication.translate("PoolRoles", source) if source else role


class PoolTableModel(RecordTableModel):
    """The pool's rows: the customers list model with the pool's two own column titles."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            key = self.columns[section].key
            if key == "pool_entered_at":
                return self.tr("In the pool since")
            if key == "former_owner":
                return self.tr("Former owner")
        return super().headerData(section, orientation, role)


def _refusal_lines(refused: Sequence[pool.Refusal]) -> str:
    return "\n".join(f"• {r.name or r.customer_id}: {r.reason}" for r in refused)


def _message(parent: QWidget, title: str, text: str, detail: str = "") -> QMessageBox:
    """A window-modal, non-blocking message: nothing the user has open is held up."""
    icon = QMessageBox.Icon.Warning if detail else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("poolMessage")
    if detail:
        box.setInformativeText(detail)
        box.setStyleSheet("QLabel { min-width: 380px; }")  # reasons read on one line, not in a column
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class AssignDialog(QDialog):
    """分配给…: pick the user who gets the selected customers."""

    def __init__(self, services: Services, actor: Actor, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle(self.tr("Assign customers"))
        self.user_box = QComboBox(self)
        self.user_box.setObjectName("assignUser")
        for user in list_users(services.db, actor):
            if user["active"]:
                self.user_box.addItem(f"{user['display_name']}（{role_name(user['role'])}）", user.id)
        self.user_box.setMinimumWidth(240)
        form = QFormLayout()
        form.addRow(self.tr("Assign to:"), self.user_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("{count} customers selected.").format(count=count), self))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen_user_id(self) -> str | None:
        data = self.user_box.currentData()
        return str(data) if data else None


class ReleaseDialog(QDialog):
    """释放到公海…: the reason is required; the service's refusals are shown after."""

    released = Signal(object)  # the ReleaseResult

    def __init__(self, services: Services, actor: Actor, customer_ids: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("releaseDialog")
        self.services, self.actor, self.customer_ids = services, actor, list(customer_ids)
        self.result_: pool.ReleaseResult | None = None
        self.setWindowTitle(self.tr("Release to the public pool"))
        self.reason_box = QLineEdit(self)
        self.reason_box.setObjectName("releaseReason")
        self.reason_box.setMaxLength(200)
        self.reason_box.setPlaceholderText(self.tr("e.g. bought elsewhere, no purchase plan this year"))
        self.reason_box.setMinimumWidth(320)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("releaseError")
        self.error_label.setStyleSheet("color: #c5221f;")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(self.tr("Reason:"), self.reason_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Release"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The customer goes to the public pool, where any rep may claim it. "
                                        "You cannot claim it back for a few days."), self))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            result = pool.release_to_public_pool(self.services.db, self.actor, self.customer_ids,
                                                 self.reason_box.text())
        except ValidationError as error:  # the reason: shown beside the box, the text kept
            self.error_label.setText(error.errors.get("reason", error.message))
            self.error_label.show()
            self.reason_box.setFocus()
            return
        except UserError as error:
            show_user_error(self, error)
            return
        self.result_ = result
        if result.refused:
            _message(self.parentWidget() or self, self.tr("Release to the public pool"),
                     self.tr("{count} customers released.").format(count=len(result.released)),
                     _refusal_lines(result.refused))
        self.released.emit(result)
        super().accept()


def open_release_dialog(parent: QWidget, services: Services, actor: Actor, customer_ids: Sequence[str],
                        on_released: Any = None) -> ReleaseDialog:
    """The customers list's row action: ask for the reason, release, then call `on_released(result)`."""
    dialog = ReleaseDialog(services, actor, customer_ids, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_released is not None:
        dialog.released.connect(on_released)
    dialog.open()
    return dialog


class _LimitBox(QSpinBox):
    """A whole number, or none (no cap, never): the lowest value, shown as the special text."""

    def __init__(self, none_text: str, maximum: int, parent: QWidget | None = None, minimum: int = 0) -> None:
        super().__init__(parent)
        self.setRange(minimum - 1, maximum)
        self.setSpecialValueText(none_text)
        self._none = minimum - 1

    def set_limit(self, value: int | None) -> None:
        self.setValue(self._none if value is None else int(value))

    def limit(self) -> int | None:
        return None if self.value() == self._none else self.value()


class PoolRulesDialog(QDialog):
    """The public pool rules (caps, daily limit, cooldown, reclaim days per tier, warning) and the tier
    rules, for managers; 立即重新分级 applies the tier rules now."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("poolRulesDialog")
        self.services, self.actor = services, actor
        self.setWindowTitle(self.tr("Public pool and tier rules"))
        self.setStyleSheet(_ERROR_STYLE)
        rules = pool.load_pool_rules(services.db, actor)
        tiers = pool.load_tier_rules(services.db, actor)

        caps_box = QGroupBox(self.tr("Most customers a user may own, by role"), self)
        caps_form = QFormLayout(caps_box)
        self.cap_boxes: dict[str, _LimitBox] = {}
        for role in ROLES_WITH_CAPS:
            box = _LimitBox(self.tr("No cap"), 1_000_000, caps_box)
            box.setObjectName(f"cap_{role}")
            box.set_limit(rules["caps"].get(role))
            self.cap_boxes[role] = box
            caps_form.addRow(role_name(role), box)

        claims_box = QGroupBox(self.tr("Claiming and reclaiming"), self)
        claims = QFormLayout(claims_box)
        self.daily_box = _LimitBox(self.tr("No limit"), 10_000, claims_box)
        self.daily_box.setObjectName("dailyLimit")
        self.daily_box.set_limit(rules["daily_claim_limit"])
        claims.addRow(self.tr("Claims per user per day:"), self.daily_box)
        self.cooldown_box = QSpinBox(claims_box)
        self.cooldown_box.setObjectName("cooldownDays")
        self.cooldown_box.setRange(0, 3650)
        self.cooldown_box.setSuffix(self.tr(" days"))
        self.cooldown_box.setValue(int(rules["reclaim_cooldown_days"]))
        claims.addRow(self.tr("A rep who gave a customer up may claim it again after:"), self.cooldown_box)
        self.days_boxes: dict[str, _LimitBox] = {}
        tier_names = {"A": self.tr("Tier A"), "B": self.tr("Tier B"), "C": self.tr("Tier C"),
                      "none": self.tr("No tier")}
        for tier in pool.TIER_KEYS:
            box = _LimitBox(self.tr("Never"), 3650, claims_box, minimum=1)
            box.setObjectName(f"reclaimDays_{tier}")
            box.setSuffix(self.tr(" days"))
            box.set_limit(rules["reclaim_days"].get(tier))
            self.days_boxes[tier] = box
            claims.addRow(self.tr("{tier}: back to the pool after no follow-up for").format(tier=tier_names[tier]),
                          box)
        self.warning_box = QSpinBox(claims_box)
        self.warning_box.setObjectName("warningDays")
        self.warning_box.setRange(0, 365)
        self.warning_box.setSuffix(self.tr(" days"))
        self.warning_box.setValue(int(rules["warning_days"]))
        claims.addRow(self.tr("Warn the owner before:"), self.warning_box)
        self.buyers_box = QCheckBox(self.tr("Buyers (a won deal) go back to the pool too"), claims_box)
        self.buyers_box.setObjectName("reclaimBuyers")
        self.buyers_box.setChecked(bool(rules["reclaim_buyers"]))
        claims.addRow(self.buyers_box)

        tier_box = QGroupBox(self.tr("Customer tiers"), self)
        tier_form = QFormLayout(tier_box)
        self.basis_box = QComboBox(tier_box)
        self.basis_box.setObjectName("tierBasis")
        self.basis_box.addItem(self.tr("Value: won deals' amounts"), "value")
        self.basis_box.addItem(self.tr("Potential: open deals' amount × probability"), "potential")
        self.basis_box.setCurrentIndex(max(0, self.basis_box.findData(tiers["basis"])))
        tier_form.addRow(self.tr("Tier by:"), self.basis_box)
        self.a_box = QLineEdit(str(tiers["a_min"]).removesuffix(".00"), tier_box)
        self.a_box.setObjectName("tierAMin")
        self.b_box = QLineEdit(str(tiers["b_min"]).removesuffix(".00"), tier_box)
        self.b_box.setObjectName("tierBMin")
        tier_form.addRow(self.tr("A from (yuan):"), self.a_box)
        tier_form.addRow(self.tr("B from (yuan, below: C):"), self.b_box)
        self.apply_button = QPushButton(self.tr("Save and re-tier now"), tier_box)
        self.apply_button.setObjectName("applyTiersButton")
        self.apply_button.setToolTip(self.tr("Tiers set by hand in a customer's form are kept."))
        self.apply_button.clicked.connect(self.apply_tiers)
        self.tier_result = QLabel(tier_box)
        self.tier_result.setObjectName("tierResult")
        self._tiering = BackgroundCaller()
        self._tiering.finished.connect(self._tiers_applied)
        row = QHBoxLayout()
        row.addWidget(self.apply_button)
        row.addWidget(self.tier_result, 1)
        tier_form.addRow(row)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("poolRulesErrors")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        grid = QGridLayout()
        grid.addWidget(caps_box, 0, 0)
        grid.addWidget(claims_box, 0, 1, 2, 1)
        grid.addWidget(tier_box, 1, 0)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def pool_rules(self) -> dict[str, Any]:
        return {"caps": {role: box.limit() for role, box in self.cap_boxes.items()},
                "daily_claim_limit": self.daily_box.limit(),
                "reclaim_cooldown_days": self.cooldown_box.value(),
                "reclaim_days": {tier: box.limit() for tier, box in self.days_boxes.items()},
                "warning_days": self.warning_box.value(), "reclaim_buyers": self.buyers_box.isChecked()}

    def tier_rules(self) -> dict[str, Any]:
        return {"basis": self.basis_box.currentData(), "a_min": self.a_box.text().strip(),
                "b_min": self.b_box.text().strip()}

    def _save(self) -> bool:
        try:
            pool.check_pool_rules(self.pool_rules())  # both checked before either is stored
            pool.check_tier_rules(self.tier_rules())
            pool.save_pool_rules(self.services.db, self.actor, self.pool_rules())
            pool.save_tier_rules(self.services.db, self.actor, self.tier_rules())
        except ValidationError as error:
            self.error_label.setText("\n".join(error.errors.values()))
            self.error_label.show()
            return False
        except UserError as error:
            show_user_error(self, error)
            return False
        self.error_label.hide()
        return True

    def apply_tiers(self) -> None:
        """Save, then re-tier the whole book off the GUI thread (a million customers take seconds)."""
        if not self._save():
            return
        self.apply_button.setEnabled(False)
        self.tier_result.setText(self.tr("Re-tiering…"))
        db, actor = self.services.db, self.actor
        self._tiering.start(lambda: pool.apply_tier_rules(db, actor))

    def _tiers_applied(self, _ticket: int, changed: Any, error: BaseException | None) -> None:
        self.apply_button.setEnabled(True)
        if isinstance(error, UserError):
            self.tier_result.clear()
            show_user_error(self, error)
            return
        if error is not None:
            raise error
        self.tier_result.setText(self.tr("{count} customers changed tier.").format(count=changed))

    def accept(self) -> None:
        if self._save():
            super().accept()


class PoolPage(QWidget):
    """公海: the customers nobody owns, claimed with a button; managers assign them."""

    records_changed = Signal(str)
    status_changed = Signal()  # what status_text() says changed: the window re-reads it

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("poolPage")
        self.services, self.actor, self.settings = services, actor, settings
        self.service = pool.PoolCustomerList(services.db)
        self.model: PoolTableModel | None = None
        self.last_message: QMessageBox | None = None  # the result shown last (tests read it)
        self.dialog: QDialog | None = None  # the assign or rules dialog open now
        manager = pool.is_manager(actor)

        self.search_box, self._search_timer = search_box(self, "poolSearch", self.apply_search)

        self.claim_button = QPushButton(self.tr("Claim"), self)
        self.claim_button.setObjectName("claimButton")
        self.claim_button.setToolTip(self.tr("Take the selected customers as yours"))
        self.claim_button.clicked.connect(self.claim_selected)
        self.assign_button = QPushButton(self.tr("Assign to…"), self)
        self.assign_button.setObjectName("assignButton")
        self.assign_button.clicked.connect(self.assign_selected)
        self.assign_button.setVisible(manager)
        self.rules_button = QPushButton(self.tr("Rules…"), self)
        self.rules_button.setObjectName("poolRulesButton")
        self.rules_button.setToolTip(self.tr("Caps, daily claim limit, reclaim days and customer tiers"))
        self.rules_button.clicked.connect(self.open_rules)
        self.rules_button.setVisible(manager)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("poolSummary")

        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 2)
        bar.addWidget(self.summary_label, 3)
        bar.addStretch(1)
        bar.addWidget(self.claim_button)
        bar.addWidget(self.assign_button)
        bar.addWidget(self.rules_button)

        self.view = QTableView(self)
        self.view.setObjectName("poolTable")
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.view.doubleClicked.connect(lambda _index: self.claim_selected())

        warnings_box = QGroupBox(self.tr("My customers about to go back to the pool"), self)
        warnings_box.setObjectName("poolWarningsBox")
        self.warnings_list = QListWidget(warnings_box)
        self.warnings_list.setObjectName("poolWarnings")
        warnings_layout = QVBoxLayout(warnings_box)
        warnings_layout.addWidget(self.warnings_list)
        self.warnings_box = warnings_box

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(warnings_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    # ---- the list ------------------------------------------------------------------------
    def activate(self) -> None:
        if self.model is None:
            self.model = PoolTableModel(self.service, self.actor, self.service.pool_query(), parent=self)
            self.view.setModel(self.model)
            self.model.loaded.connect(lambda _total: self._update_summary())
            header = self.view.horizontalHeader()
            for column, width in enumerate((180, 60, 100, 130, 150)):
                header.resizeSection(column, width)
            self._update_summary()
            self._show_warnings()

    def refresh(self) -> None:
        if self.model is not None:
            self.model.refresh()
            self._update_summary()
            self._show_warnings()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def apply_search(self) -> None:
        self._search_timer.stop()
        if self.model is not None:
            self.model.set_search(self.search_box.text())

    def _sort_by(self, column: int) -> None:
        if self.model is None or self.model.column_keys[column] in self.service.unsortable:
            return
        current = self.model.query
        key = self.model.column_keys[column]
        descending = not current.descending if current.sort_key == key else False
        self.model.sort(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)

    def selected_ids(self) -> list[str]:
        if self.model is None:
            return []
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [rid for rid in (self.model.record_id(row) for row in rows) if rid]

    def status_text(self) -> str:
        total = self.model.total if self.model is not None else pool.count_pool(self.services.db, self.actor)
        return self.tr("{count} customers in the public pool").format(count=format_count(total))

    def _update_summary(self) -> None:
        status = pool.claim_status(self.services.db, self.actor)
        no_limit = self.tr("none")
        self.summary_label.setText(self.tr("Claimed today {claimed} / limit {limit}; you own {owned} / cap {cap}").format(
            claimed=status.claimed_today, limit=no_limit if status.daily_limit is None else status.daily_limit,
            owned=status.owned, cap=no_limit if status.cap is None else status.cap))
        self.status_changed.emit()

    def _show_warnings(self) -> None:
        self.warnings_list.clear()
        warnings = pool.pool_warnings_for(self.services.db, self.actor)
        for warning in warnings:
            tier = (self.tr("tier {tier}").format(tier=warning.tier) if warning.tier else self.tr("no tier"))
            text = self.tr("{name} ({tier}): back to the pool in {days} days ({date}); follow it up in time").format(
                name=warning.name, tier=tier, days=warning.days_left, date=format_datetime(warning.due_at))
            item = QListWidgetItem(text, self.warnings_list)
            item.setData(Qt.ItemDataRole.UserRole, warning.customer_id)
        if not warnings:
            QListWidgetItem(self.tr("None: every customer you own was followed up in time."), self.warnings_list)

    # ---- actions -------------------------------------------------------------------------
    def _after_change(self) -> None:
        self.refresh()
        self.records_changed.emit("pool")

    def claim_selected(self) -> pool.ClaimResult | None:
        ids = self.selected_ids()
        if not ids:
            self.last_message = _message(self, self.tr("Claim"), self.tr("Select the customers to claim first."))
            return None
        try:
            result = pool.claim_from_public_pool(self.services.db, self.actor, ids)
        except UserError as error:
            self.last_message = show_user_error(self, error)
            return None
        text = self.tr("{count} customers claimed: they are yours now.").format(count=len(result.claimed))
        if result.refused:
            self.last_message = _message(self, self.tr("Claim"), text, self.tr("Not claimed:") + "\n" +
                                         _refusal_lines(result.refused))
        else:
            self.last_message = _message(self, self.tr("Claim"), text)
        self._after_change()
        return result

    def assign_selected(self) -> AssignDialog | None:
        ids = self.selected_ids()
        if not ids:
            self.last_message = _message(self, self.tr("Assign"), self.tr("Select the customers to assign first."))
            return None
        dialog = AssignDialog(self.services, self.actor, len(ids), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._assign(ids, dialog.chosen_user_id()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _assign(self, ids: list[str], user_id: str | None) -> None:
        if not user_id:
            return
        try:
            result = pool.assign_customers(self.services.db, self.actor, ids, user_id)
        except UserError as error:
            self.last_message = show_user_error(self, error)
            return
        text = self.tr("{count} customers assigned to {name}.").format(count=len(result.assigned),
                                                                       name=result.owner_name)
        details = []
        if result.over_cap:
            details.append(self.tr("{name} now owns {owned} customers, over the cap of {cap}.").format(
                name=result.owner_name, owned=result.owned, cap=result.cap))
        if result.refused:
            details.append(_refusal_lines(result.refused))
        self.last_message = _message(self, self.tr("Assign"), text, "\n".join(details))
        self._after_change()

    def open_rules(self) -> PoolRulesDialog:
        dialog = PoolRulesDialog(self.services, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._after_change())
        self.dialog = dialog
        dialog.open()
        return dialog


class PoolMaintenance(QObject):
    """Runs the pool maintenance (warnings, automatic reclaim) off the GUI thread: once shortly after the
    window opens, then hourly. `finished(result)` comes back on the GUI thread."""

    finished = Signal(object)  # the MaintenanceResult

    def __init__(self, services: Services, actor: Actor, parent: QObject | None = None,
                 first_ms: int = MAINTENANCE_FIRST_MS, every_ms: int = MAINTENANCE_EVERY_MS) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._done)
        self._running = False
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self.run)
        QTimer.singleShot(first_ms, self, self.run)
        self.timer.start()

    def run(self) -> None:
        if self._running:
            return
        self._running = True
        db, actor = self.services.db, self.actor
        self._caller.start(lambda: run_hourly_maintenance(db, actor))

    def _done(self, _ticket: int, result: Any, error: BaseException | None) -> None:
        self._running = False
        if error is not None:
            if isinstance(error, UserError):
                return  # e.g. the file is busy: the next hour tries again
            raise error
        if result is not None:  # None: put off, the file was busy (run_hourly_maintenance)
            self.finished.emit(result)



def add_release_action(tab: Any, menu: Any, record_id: str) -> None:
    """释放到公海… in the customers list's row menu: the selected customers (or this one), with a reason."""
    model = tab._model
    selected = [model.record_id(index.row()) for index in tab.view.selectionModel().selectedRows()] \
        if model is not None else []
    ids = [i for i in selected if i] if record_id in selected else [record_id]
    row = model.row_of(record_id) if model is not None else None
    owned = row is None or model.raw_value(row, "owner_id") is not None
    action = menu.addAction(QCoreApplication.translate("PoolRowActions", "Release to the public pool…"))
    action.setObjectName("releaseToPoolAction")
    action.setEnabled(owned)
    if not owned:
        action.setToolTip(QCoreApplication.translate("PoolRowActions", "The customer is in the public pool already."))

    def released(_result: object) -> None:
        if tab._model is not None:
            tab._model.refresh()
        tab.records_changed.emit("customer")

    action.triggered.connect(lambda: setattr(tab, "release_dialog", open_release_dialog(
        tab, tab.services, tab.actor, ids, released)))
