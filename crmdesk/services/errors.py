"""Errors a user can fix, raised by services and shown by the views in the user's language.

Anything else that escapes a service is a bug and goes to the crash hook.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmdesk.i18n import _


class UserError(Exception):
    """A problem the user can fix; `message` is already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """One or more fields are wrong. `errors` maps field name -> translated message for each."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(_("Please correct the marked fields."))

    def __str__(self) -> str:  # for logs and the CLI: the summary and every field's message
        return "\n".join([self.message, *(f"{field}: {text}" for field, text in self.errors.items())])


class NotFoundError(UserError):
    def __init__(self, entity: str, entity_id: str) -> None:
        super().__init__(_("The record no longer exists (it may have been deleted)."))
        self.entity = entity
        self.entity_id = entity_id


class ConflictError(UserError):
    """The action clashes with the record's state (converted twice, claimed by someone else, ...)."""
