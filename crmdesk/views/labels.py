"""Kept while views move over to crmdesk.labels (plain Python, shared with exports and reports)."""

from crmdesk.labels import (  # noqa: F401
    ENTITY_KEYS,
    code_label,
    code_labels,
    codes_of,
    entity_name,
    entity_singular,
    field_title,
    has_code_labels,
)
