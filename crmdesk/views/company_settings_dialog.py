"""工具 › 公司与折扣设置…: the letterhead every quote and contract prints (name, address, phone, credit code,
bank, logo) and each role's largest discount before a manager must approve (seed 001's discount policy)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import documents, quotes
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.team_settings import load_setting
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error

_INVALID = "border: 1px solid #d93025; background: #fdecea;"


class CompanySettingsDialog(QDialog):
    """Two tabs: 公司信息 (managers save it) and 折扣权限 (administrators save it); each saves on its own."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companySettingsDialog")
        self.setWindowTitle(self.tr("Company and discounts"))
        self.services, self.actor = services, actor
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._company_tab(), self.tr("Company letterhead"))
        self.tabs.addTab(self._discount_tab(), self.tr("Discount limits"))
        self.status = QLabel(self)
        self.status.setObjectName("settingsStatus")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(620, 520)

    # ---- the letterhead ----
    def _company_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        titles = {"name": self.tr("Company name"), "address": self.tr("Address"), "phone": self.tr("Phone"),
                  "tax_id": self.tr("Unified social credit code"), "bank_name": self.tr("Bank"),
                  "bank_account": self.tr("Bank account")}
        stored = load_setting(self.services.db, documents.COMPANY_SETTING, None)
        profile = documents.load_company_profile(self.services.db)
        for key, title in titles.items():
            edit = QLineEdit(tab)
            edit.setObjectName(f"company_{key}")
            edit.setMaxLength(documents.PROFILE_TEXT_FIELDS[key])
            edit.setText(str(getattr(profile, key)) if stored is not None else "")
            edit.textEdited.connect(lambda _text, edit=edit: (edit.setStyleSheet(""), edit.setToolTip("")))
            form.addRow(title, edit)
            self.fields[key] = edit
        self.fields["name"].setPlaceholderText(self.tr("as printed at the top of quotes and contracts"))
        self.logo: bytes | None = profile.logo_png if stored is not None else None
        self.logo_preview = QLabel(tab)
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(160, 60)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #ccc; background: white;")
        choose = QPushButton(self.tr("Choose…"), tab)
        choose.clicked.connect(lambda: self.choose_logo())
        clear = QPushButton(self.tr("No logo"), tab)
        clear.clicked.connect(lambda: self.set_logo(None))
        logo_row = QHBoxLayout()
        for widget in (self.logo_preview, choose, clear):
            logo_row.addWidget(widget)
        logo_row.addStretch(1)
        form.addRow(self.tr("Logo"), logo_row)
        save = QPushButton(self.tr("Save letterhead"), tab)
        save.setObjectName("saveCompanyButton")
        save.clicked.connect(self.save_company)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        self.set_logo(self.logo)
        return tab

    def set_logo(self, data: bytes | None) -> None:
        self.logo = data
        if data is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("(none)"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        self.logo_preview.setPixmap(pixmap.scaled(self.logo_preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation))

    def choose_logo(self, path: str | None = None) -> None:
        if path is None:
            path, _chosen = QFileDialog.getOpenFileName(self, self.tr("Choose the logo"), "",
                                                        self.tr("Images (*.png *.jpg *.jpeg)"))
            if not path:
                return
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            show_user_error(self, UserError(self.tr("Cannot read {path}: {detail}").format(
                path=path, detail=error.strerror or error)))
            return
        self.set_logo(data)  # checked (type, size) when saved, with the other fields

    def company_values(self) -> dict[str, str]:
        values = {key: edit.text().strip() for key, edit in self.fields.items()}
        values["logo"] = base64.b64encode(self.logo).decode("ascii") if self.logo else ""
        return values

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        rest: dict[str, str] = {}
        for key, message in errors.items():
            edit = self.fields.get(key)
            if edit is None:
                rest[key] = message
                continue
            edit.setStyleSheet(_INVALID)
            edit.setToolTip(message)
        if errors:
            first = next((self.fields[key] for key in errors if key in self.fields), None)
            if first is not None:
                first.setFocus()
        return rest

    def save_company(self) -> bool:
        """Store the letterhead; refused fields are marked and keep what was typed."""
        try:
            documents.save_company_profile(self.services.db, self.actor, self.company_values())
        except ValidationError as error:
            rest = self.mark_field_errors(error.errors)
            shown = [self.fields[key].toolTip() for key in error.errors if key in self.fields] + list(rest.values())
            self.status.setText("；".join(shown))
            self.status.setStyleSheet("color: #d93025;")
            return False
        except UserError as error:
            show_user_error(self, error)
            return False
        self.status.setStyleSheet("color: #188038;")
        self.status.setText(self.tr("The letterhead is saved; new PDFs print it."))
        return True

    # ---- the discount policy ----
    def _role_titles(self) -> dict[str, str]:
        return {"consultant": self.tr("Consultant"), "field_rep": self.tr("Field rep"),
                "manager": self.tr("Manager"), "finance": self.tr("Finance"), "admin": self.tr("Administrator")}

    def _discount_tab(self) -> QWidget:
        tab = QWidget(self)
        note = QLabel(self.tr("A quote whose largest discount is above the maker's limit goes to a manager for "
                              "approval. Leave a limit empty for no limit."), tab)
        note.setWordWrap(True)
        self.policy_table = QTableWidget(tab)
        self.policy_table.setObjectName("policyTable")
        self.policy_table.setColumnCount(2)
        self.policy_table.setHorizontalHeaderLabels([self.tr("Role"), self.tr("Largest discount (%)")])
        self.policy_table.verticalHeader().hide()
        self.policy_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        policy = quotes.load_discount_policy(self.services.db)
        roles = self._role_titles()
        self.policy_table.setRowCount(len(roles))
        for row, (role, title) in enumerate(roles.items()):
            name = QTableWidgetItem(title)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, role)
            self.policy_table.setItem(row, 0, name)
            limit = policy.get(role)
            value = QTableWidgetItem("" if limit is None else f"{Decimal(limit) / 100:g}")
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.policy_table.setItem(row, 1, value)
        save = QPushButton(self.tr("Save limits"), tab)
        save.setObjectName("savePolicyButton")
        save.setEnabled(self.actor.role == "admin")
        if self.actor.role != "admin":
            save.setToolTip(self.tr("Only an administrator changes the discount limits."))
        save.clicked.connect(self.save_policy)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.policy_table, 1)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        return tab

    def policy_values(self) -> dict[str, int | None]:
        """{role: basis points or None}; a cell that is not a percentage between 0 and 100 is refused."""
        policy: dict[str, int | None] = {}
        bad: list[str] = []
        for row in range(self.policy_table.rowCount()):
            name, cell = self.policy_table.item(row, 0), self.policy_table.item(row, 1)
            assert name is not None
            text = (cell.text() if cell else "").strip().rstrip("%％")
            if not text:
                policy[name.data(Qt.ItemDataRole.UserRole)] = None
                continue
            try:
                percent = Decimal(text)
            except InvalidOperation:
                percent = Decimal(-1)
            if not percent.is_finite() or not 0 <= percent <= 100:
                bad.append(name.text())
                continue
            policy[name.data(Qt.ItemDataRole.UserRole)] = int(percent * 100)
        if bad:
            raise UserError(self.tr("A limit is a percentage from 0 to 100 (or empty for none): {roles}.").format(
                roles="、".join(bad)))
        return policy

    def save_policy(self) -> bool:
        try:
            quotes.save_discount_policy(self.services.db, self.actor, self.policy_values())
        except UserError as error:
            show_user_error(self, error)
            return False
        self.status.setStyleSheet("color: #188038;")
        self.status.setText(self.tr("The discount limits are saved."))
        return True


__all__ = ["CompanySettingsDialog"]
