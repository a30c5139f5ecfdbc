"""The one way a user-fixable error reaches the screen, and the one way a question is asked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from crmdesk.services.errors import UserError, ValidationError


@runtime_checkable
class FieldErrorTarget(Protocol):
    """A form that can mark its own fields; returns the errors it has no field for."""

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]: ...


def show_user_error(parent: QWidget | None, error: UserError) -> QMessageBox | None:
    """Show a problem the user can fix, in their language and without a traceback.

    A form that asked for it marks the fields a ValidationError names (and keeps what was typed);
    whatever no field takes is shown in a message box. The box is window-modal but not blocking,
    so nothing the user had open is lost. Returns the box shown, if any.
    """
    text = error.message
    if isinstance(error, ValidationError) and isinstance(parent, FieldErrorTarget):
        rest = parent.mark_field_errors(error.errors)
        if not rest:
            return None
        text = "\n".join(rest.values())
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("errors", "Cannot do that"),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("userErrorBox")
    box.open()
    return box


def ask_to_confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """A yes/no question (No is the default, so Enter never deletes by accident)."""
    answer = QMessageBox.question(
        parent, title, question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
