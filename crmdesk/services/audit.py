"""The audit log read back: a record's change history (who, when, old -> new, in words and masked as lists
mask them), the audit log viewer of administrators and managers, and `record_export` for files a view writes.

The log itself is written by the unit of work (every field of every synced row) and by the services that do
a sensitive act (merge, pool moves, approvals, exports, prints, reveals); it is append-only (migration 0009),
so nothing here updates or deletes a row. Pages are keyset pages on (at, id), newest first, never OFFSET.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session

from crmdesk.i18n import _, current_language, translate
from crmdesk.labels import QT_TRANSLATE_NOOP, code_label, entity_singular, field_title, has_code_labels
from crmdesk.models import (
    Activity,
    AuditEntry,
    Base,
    Contact,
    ContractAttachment,
    ContractTemplate,
    Customer,
    Installment,
    Lead,
    Money,
    Opportunity,
    OrderLine,
    PaymentAllocation,
    Pipeline,
    PriceList,
    Product,
    Quantity,
    Quote,
    QuoteLine,
    Stage,
    Team,
    Territory,
    User,
)
from crmdesk.models.base import UTCDateTime
from crmdesk.models.database import Database
from crmdesk.services.entities import visible_rows
from crmdesk.services.errors import NotFoundError, UserError, ValidationError
from crmdesk.services.money import format_yuan
from crmdesk.services.personal_data import MASKED_FIELDS, mask_value, masked_fields
from crmdesk.services.quotes import SYSTEM_ACTOR, format_bp, status_label
from crmdesk.services.uow import Actor, read_session, unit_of_work

HISTORY_PAGE = 50
MAX_PAGE = 500

# The services' names of the records that have a history, and their tables.
ENTITY_TABLES: dict[str, str] = {
    "lead": "leads", "customer": "customers", "contact": "contacts", "opportunity": "opportunities",
    "quote": "quotes", "contract": "contracts", "order": "orders", "payment_plan": "payment_plans",
    "payment": "payments", "activity": "activities", "test_drive": "test_drives", "lost_request": "lost_requests",
    "product": "products", "user": "users",
}
_TABLE_ENTITIES = {table: entity for entity, table in ENTITY_TABLES.items()}
_TABLE_ENTITIES.update({"quote_lines": "quote_line", "order_lines": "order_line", "installments": "installment",
                        "contract_attachments": "contract_attachment", "payment_allocations": "payment_allocation"})

# The child rows a record's history includes, because a user thinks of them as part of the record: a quote's
# lines, an order's lines, a plan's installments, a contract's attachments, a payment's allocations. A
# customer's contacts are records of their own (with their own history), and a deal's stage changes are
# already changes of its stage_id.
_CHILDREN: dict[str, tuple[tuple[str, Any], ...]] = {
    "quotes": (("quote_lines", QuoteLine.quote_id),),
    "orders": (("order_lines", OrderLine.order_id),),
    "payment_plans": (("installments", Installment.plan_id),),
    "contracts": (("contract_attachments", ContractAttachment.contract_id),),
    "payments": (("payment_allocations", PaymentAllocation.payment_id),),
}
# How a child row is named in its parent's history ("Quote line: 华驰 S5"), by the column that says which.
_CHILD_NAMES: dict[str, Any] = {
    "quote_lines": QuoteLine.description, "order_lines": OrderLine.description, "installments": Installment.note,
    "contract_attachments": ContractAttachment.filename,
}

# Columns that hold a user's id without a foreign key.
_USER_FIELDS = frozenset({"owner_id", "approved_by", "reviewed_by", "requested_by", "changed_by", "from_owner_id",
                          "user_id", "consultant_id", "manager_id", "undone_by", "created_by", "updated_by"})
# Columns (and audit fields) that hold the id of another row of the same table (merges, duplicates).
_SAME_TABLE_FIELDS = frozenset({"merged_id", "merged_into_id", "duplicate_of_id", "previous_version_id"})
# Derived columns a history leaves out: copies and search helpers the user never typed.
_NOT_SHOWN = frozenset({"search_body", "stage_position", "furthest_stage_id", "won_cycle_days", "lineage_id",
                        "opportunity_status", "customer_name", "body", "sha256", "is_current",
                        "tier_overridden", "probability_overridden"})
# The acts that are not a field's change; an entry of one of these makes the unit of work's plain
# "update" of the same field at the same moment redundant (a release's owner change is said once).
_CHANGES = frozenset({"create", "update", "delete"})
_SAME_MOMENT = timedelta(seconds=5)

_ACTION_LABELS = {
    "create": QT_TRANSLATE_NOOP("services", "Created"),
    "update": QT_TRANSLATE_NOOP("services", "Changed"),
    "delete": QT_TRANSLATE_NOOP("services", "Deleted"),
    "merge": QT_TRANSLATE_NOOP("services", "Merged"),
    "unmerge": QT_TRANSLATE_NOOP("services", "Merge undone"),
    "claim": QT_TRANSLATE_NOOP("services", "Claimed from the public pool"),
    "release": QT_TRANSLATE_NOOP("services", "Released to the public pool"),
    "reclaim": QT_TRANSLATE_NOOP("services", "Taken back to the public pool"),
    "assign": QT_TRANSLATE_NOOP("services", "Assigned"),
    "lost": QT_TRANSLATE_NOOP("services", "Lost: to the public pool"),
    "approve": QT_TRANSLATE_NOOP("services", "Approved"),
    "reject": QT_TRANSLATE_NOOP("services", "Rejected"),
    "reactivate": QT_TRANSLATE_NOOP("services", "Reactivated"),
    "export": QT_TRANSLATE_NOOP("services", "Exported"),
    "print": QT_TRANSLATE_NOOP("services", "Printed (PDF made)"),
    "reveal": QT_TRANSLATE_NOOP("services", "Personal data shown"),
    "import": QT_TRANSLATE_NOOP("services", "Imported"),
    "login": QT_TRANSLATE_NOOP("services", "Signed in"),
    "login_failed": QT_TRANSLATE_NOOP("services", "Sign-in failed"),
    "locked": QT_TRANSLATE_NOOP("services", "Account locked"),
    "unlock": QT_TRANSLATE_NOOP("services", "Account unlocked"),
    "token_created": QT_TRANSLATE_NOOP("services", "CLI token made"),
    "token_revoked": QT_TRANSLATE_NOOP("services", "CLI token revoked"),
}

# What a kind of row is called, for the kinds labels.entity_singular does not know (its context, "entity").
_KIND_LABELS = {
    "quotes": QT_TRANSLATE_NOOP("entity", "Quote"),
    "contracts": QT_TRANSLATE_NOOP("entity", "Contract"),
    "payment_plans": QT_TRANSLATE_NOOP("entity", "Payment plan"),
    "payments": QT_TRANSLATE_NOOP("entity", "Payment"),
    "activities": QT_TRANSLATE_NOOP("entity", "Follow-up"),
    "test_drives": QT_TRANSLATE_NOOP("entity", "Test drive"),
    "lost_requests": QT_TRANSLATE_NOOP("entity", "Lost request"),
    "products": QT_TRANSLATE_NOOP("entity", "Product"),
    "users": QT_TRANSLATE_NOOP("entity", "User"),
    "quote_lines": QT_TRANSLATE_NOOP("entity", "Quote line"),
    "order_lines": QT_TRANSLATE_NOOP("entity", "Order line"),
    "installments": QT_TRANSLATE_NOOP("entity", "Installment"),
    "contract_attachments": QT_TRANSLATE_NOOP("entity", "Attachment"),
    "payment_allocations": QT_TRANSLATE_NOOP("entity", "Allocation"),
    "pool_events": QT_TRANSLATE_NOOP("entity", "Pool move"),
    "quote_events": QT_TRANSLATE_NOOP("entity", "Quote step"),
    "opportunity_stage_changes": QT_TRANSLATE_NOOP("entity", "Stage change"),
    "stages": QT_TRANSLATE_NOOP("entity", "Stage"),
    "pipelines": QT_TRANSLATE_NOOP("entity", "Pipeline"),
    "teams": QT_TRANSLATE_NOOP("entity", "Team"),
    "territories": QT_TRANSLATE_NOOP("entity", "Territory"),
    "targets": QT_TRANSLATE_NOOP("entity", "Sales target"),
    "shared_settings": QT_TRANSLATE_NOOP("entity", "Setting"),
    "contract_templates": QT_TRANSLATE_NOOP("entity", "Contract template"),
    "price_lists": QT_TRANSLATE_NOOP("entity", "Price list"),
    "record_merges": QT_TRANSLATE_NOOP("entity", "Merge"),
    "rules_report": QT_TRANSLATE_NOOP("entity", "Showroom rules report"),
    "analytics": QT_TRANSLATE_NOOP("entity", "Analytics"),
    "receivables": QT_TRANSLATE_NOOP("entity", "Receivables"),
}

# Field titles labels.py has no word for (or, for quotes and contracts, a different one).
_FIELD_TITLES = {
    "version": QT_TRANSLATE_NOOP("services", "Version"),
    "previous_version_id": QT_TRANSLATE_NOOP("services", "Previous version"),
    "valid_until": QT_TRANSLATE_NOOP("services", "Valid until"),
    "terms": QT_TRANSLATE_NOOP("services", "Terms"),
    "subtotal": QT_TRANSLATE_NOOP("services", "Subtotal"),
    "discount_total": QT_TRANSLATE_NOOP("services", "Discount"),
    "tax_total": QT_TRANSLATE_NOOP("services", "Tax"),
    "max_discount_bp": QT_TRANSLATE_NOOP("services", "Largest discount"),
    "approval_status": QT_TRANSLATE_NOOP("services", "Approval"),
    "approved_by": QT_TRANSLATE_NOOP("services", "Decided by"),
    "approved_at": QT_TRANSLATE_NOOP("services", "Decided at"),
    "approval_comment": QT_TRANSLATE_NOOP("services", "Approval comment"),
    "price_list_id": QT_TRANSLATE_NOOP("services", "Price list"),
    "sent_at": QT_TRANSLATE_NOOP("services", "Sent at"),
    "position": QT_TRANSLATE_NOOP("services", "Line"),
    "product_id": QT_TRANSLATE_NOOP("services", "Product"),
    "description": QT_TRANSLATE_NOOP("services", "Description"),
    "quantity": QT_TRANSLATE_NOOP("services", "Quantity"),
    "unit": QT_TRANSLATE_NOOP("services", "Unit"),
    "unit_price": QT_TRANSLATE_NOOP("services", "Unit price"),
    "discount_bp": QT_TRANSLATE_NOOP("services", "Discount (%)"),
    "discount_amount": QT_TRANSLATE_NOOP("services", "Discount amount"),
    "tax_rate_bp": QT_TRANSLATE_NOOP("services", "VAT rate"),
    "line_total": QT_TRANSLATE_NOOP("services", "Line total"),
    "list_price": QT_TRANSLATE_NOOP("services", "List price"),
    "quote_id": QT_TRANSLATE_NOOP("services", "Quote"),
    "signed_on": QT_TRANSLATE_NOOP("services", "Signed on"),
    "starts_on": QT_TRANSLATE_NOOP("services", "Starts on"),
    "ends_on": QT_TRANSLATE_NOOP("services", "Ends on"),
    "template_id": QT_TRANSLATE_NOOP("services", "Template"),
    "template_version": QT_TRANSLATE_NOOP("services", "Template version"),
    "seller_name": QT_TRANSLATE_NOOP("services", "Seller"),
    "buyer_name": QT_TRANSLATE_NOOP("services", "Buyer"),
    "buyer_contact": QT_TRANSLATE_NOOP("services", "Buyer's contact"),
    "buyer_phone": QT_TRANSLATE_NOOP("services", "Buyer's phone"),
    "buyer_address": QT_TRANSLATE_NOOP("services", "Buyer's address"),
    "buyer_tax_id": QT_TRANSLATE_NOOP("services", "Buyer's credit code"),
    "finished_on": QT_TRANSLATE_NOOP("services", "Finished on"),
    "terminated_on": QT_TRANSLATE_NOOP("services", "Terminated on"),
    "termination_reason": QT_TRANSLATE_NOOP("services", "Why terminated"),
    "delivered_at": QT_TRANSLATE_NOOP("services", "Delivered at"),
    "confirmed_at": QT_TRANSLATE_NOOP("services", "Confirmed at"),
    "closed_at": QT_TRANSLATE_NOOP("services", "Closed at"),
    "cancelled_at": QT_TRANSLATE_NOOP("services", "Cancelled at"),
    "cancel_reason": QT_TRANSLATE_NOOP("services", "Why cancelled"),
    "vin": QT_TRANSLATE_NOOP("services", "VIN"),
    "basis": QT_TRANSLATE_NOOP("services", "Given by"),
    "sequence": QT_TRANSLATE_NOOP("services", "Installment"),
    "due_date": QT_TRANSLATE_NOOP("services", "Due on"),
    "paid_amount": QT_TRANSLATE_NOOP("services", "Paid"),
    "percent_bp": QT_TRANSLATE_NOOP("services", "Share"),
    "note": QT_TRANSLATE_NOOP("services", "Note"),
    "received_on": QT_TRANSLATE_NOOP("services", "Received on"),
    "method": QT_TRANSLATE_NOOP("services", "Method"),
    "reference": QT_TRANSLATE_NOOP("services", "Reference"),
    "payer": QT_TRANSLATE_NOOP("services", "Payer"),
    "installment_id": QT_TRANSLATE_NOOP("services", "Installment"),
    "payment_id": QT_TRANSLATE_NOOP("services", "Payment"),
    "plan_id": QT_TRANSLATE_NOOP("services", "Payment plan"),
    "order_id": QT_TRANSLATE_NOOP("services", "Order"),
    "filename": QT_TRANSLATE_NOOP("services", "File"),
    "content_type": QT_TRANSLATE_NOOP("services", "File type"),
    "size": QT_TRANSLATE_NOOP("services", "Size (bytes)"),
    "team_id": QT_TRANSLATE_NOOP("services", "Team"),
    "pool_entered_at": QT_TRANSLATE_NOOP("services", "In the public pool since"),
    "claimed_at": QT_TRANSLATE_NOOP("services", "Claimed at"),
    "pool_warned_at": QT_TRANSLATE_NOOP("services", "Warned at"),
    "dormant_at": QT_TRANSLATE_NOOP("services", "Dormant since"),
    "last_followup_at": QT_TRANSLATE_NOOP("services", "Last follow-up"),
    "converted_at": QT_TRANSLATE_NOOP("services", "Converted at"),
    "duplicate_of_id": QT_TRANSLATE_NOOP("services", "Duplicate of"),
    "merged_into_id": QT_TRANSLATE_NOOP("services", "Merged into"),
    "merged_id": QT_TRANSLATE_NOOP("services", "Merged record"),
    "assignment_rule": QT_TRANSLATE_NOOP("services", "Assignment rule"),
    "pipeline_id": QT_TRANSLATE_NOOP("services", "Pipeline"),
    "lost_at": QT_TRANSLATE_NOOP("services", "Lost on"),
    "deleted_at": QT_TRANSLATE_NOOP("services", "Deleted at"),
    "source_type": QT_TRANSLATE_NOOP("services", "Made from"),
    "source_id": QT_TRANSLATE_NOOP("services", "Made from record"),
    "subject": QT_TRANSLATE_NOOP("services", "Subject"),
    "outcome": QT_TRANSLATE_NOOP("services", "Outcome"),
    "next_step": QT_TRANSLATE_NOOP("services", "Next step"),
    "due_at": QT_TRANSLATE_NOOP("services", "Due at"),
    "done_at": QT_TRANSLATE_NOOP("services", "Done at"),
    "reason": QT_TRANSLATE_NOOP("services", "Reason"),
    "detail": QT_TRANSLATE_NOOP("services", "Detail"),
    "review_comment": QT_TRANSLATE_NOOP("services", "Manager's comment"),
    "role": QT_TRANSLATE_NOOP("services", "Role"),
    "active": QT_TRANSLATE_NOOP("services", "Active"),
    "password_hash": QT_TRANSLATE_NOOP("services", "Password"),
    "display_name": QT_TRANSLATE_NOOP("services", "Name"),
    "username": QT_TRANSLATE_NOOP("services", "User name"),
}
# Where labels.py's shared word is wrong for the table ("number" is the order's there, "title" a job title).
_TABLE_FIELD_TITLES = {
    ("quotes", "number"): QT_TRANSLATE_NOOP("services", "Quote number"),
    ("quotes", "status"): QT_TRANSLATE_NOOP("services", "Quote status"),
    ("contracts", "number"): QT_TRANSLATE_NOOP("services", "Contract number"),
    ("contracts", "title"): QT_TRANSLATE_NOOP("services", "Contract title"),
    ("contracts", "status"): QT_TRANSLATE_NOOP("services", "Contract status"),
    ("payment_plans", "total"): QT_TRANSLATE_NOOP("services", "Plan total"),
    ("installments", "status"): QT_TRANSLATE_NOOP("services", "Installment status"),
}
# Contract statuses as the contract dialogs word them (the same catalog entries).
_CONTRACT_STATUSES = {
    "draft": QT_TRANSLATE_NOOP("contracts", "Draft"),
    "signed": QT_TRANSLATE_NOOP("contracts", "Signed"),
    "in_force": QT_TRANSLATE_NOOP("contracts", "In force"),
    "finished": QT_TRANSLATE_NOOP("contracts", "Finished"),
    "terminated": QT_TRANSLATE_NOOP("contracts", "Terminated"),
}


@dataclass(frozen=True, order=True)
class HistoryCursor:
    """Where a page ended: the next page holds the entries before it (older ones)."""

    at: datetime
    id: str


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry as a user reads it: names for ids, labels for codes, money as money, times in local
    time, personal data masked for a reader who may not see it."""

    id: str
    at: datetime
    user_id: str | None
    user_name: str
    action: str
    action_label: str
    entity: str  # the service's name of the row's kind (customer, quote_line, ...), or the table's
    entity_id: str
    record: str  # what the row is: "Quote line: 华驰 S5" in a quote's history, "Customer 陈静" in the log
    field: str | None
    field_label: str
    old_value: str
    new_value: str

    @property
    def cursor(self) -> HistoryCursor:
        return HistoryCursor(self.at, self.id)


@dataclass(frozen=True)
class HistoryPage:
    entries: tuple[HistoryEntry, ...]
    next_cursor: HistoryCursor | None  # None: this was the last page


@dataclass(frozen=True)
class AuditFilter:
    """The audit log viewer's filters: None (or empty) leaves one out. `since` and `until` are local days,
    both included."""

    user_id: str | None = None
    action: str | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None


# ---- words ----------------------------------------------------------------------------------------
def action_label(action: str) -> str:
    source = _ACTION_LABELS.get(action)
    return translate("services", source) if source else action


def audit_actions() -> list[tuple[str, str]]:
    """(action, label) of every act the log records, for a filter."""
    return [(action, action_label(action)) for action in _ACTION_LABELS]


def kind_label(table: str) -> str:
    """What a row of `table` is called: 客户, 报价单, 报价行 ... (the table's name when nothing is known)."""
    entity = _TABLE_ENTITIES.get(table, table)
    singular = entity_singular(entity)
    if singular != entity:
        return singular
    source = _KIND_LABELS.get(table) or _KIND_LABELS.get(ENTITY_TABLES.get(table, ""))
    return translate("entity", source) if source else table


def audit_entities() -> list[tuple[str, str]]:
    """(entity, label) of the kinds of record the log viewer filters by."""
    return [(entity, kind_label(table)) for entity, table in ENTITY_TABLES.items()]


def field_label(table: str, field_name: str | None) -> str:
    if not field_name:
        return ""
    own = _TABLE_FIELD_TITLES.get((table, field_name))
    if own:
        return translate("services", own)
    title = field_title(_TABLE_ENTITIES.get(table, table), field_name)
    if title != field_name:
        return title
    source = _FIELD_TITLES.get(field_name)
    return translate("services", source) if source else field_name


def _column(table: str, field_name: str) -> Any:
    columns = Base.metadata.tables.get(table)
    return columns.c.get(field_name) if columns is not None else None


def _target_table(table: str, field_name: str) -> str | None:
    """The table whose row a value of `field_name` names (users for owner_id, stages for stage_id, ...)."""
    if field_name in _USER_FIELDS:
        return "users"
    if field_name in _SAME_TABLE_FIELDS:
        return table
    column = _column(table, field_name)
    if column is not None and column.foreign_keys:
        return str(next(iter(column.foreign_keys)).column.table.name)
    if field_name == "template_id":
        return "contract_templates"
    return None


def _is_personal(field_name: str) -> bool:
    """Fields personal_data.mask_value masks: phone-like ones and ID numbers (buyer_phone, driver_id_number)."""
    return any(name in field_name for name in MASKED_FIELDS)


def _name_column(table: str) -> Any:
    english = current_language() == "en"
    return {
        "users": User.display_name, "customers": Customer.name, "contacts": Contact.name, "leads": Lead.name,
        "opportunities": Opportunity.name, "teams": Team.name, "territories": Territory.name,
        "price_lists": PriceList.name, "contract_templates": ContractTemplate.name,
        "stages": Stage.name_en if english else Stage.name_zh,
        "pipelines": Pipeline.name_en if english else Pipeline.name_zh,
        "products": Product.name_zh, "activities": Activity.subject,
    }.get(table)


def _names(session: Session, wanted: Mapping[str, set[str]]) -> dict[tuple[str, str], str]:
    """(table, id) -> the row's name, one query per table; rows deleted since keep their name."""
    names: dict[tuple[str, str], str] = {}
    for table, ids in wanted.items():
        ids = {value for value in ids if value}
        if not ids:
            continue
        model = _model(table)
        if table == "quotes":
            rows: Iterable[Any] = session.execute(select(Quote.id, Quote.number, Quote.version).where(
                Quote.id.in_(ids)))
            names.update({(table, row.id): f"{row.number} V{row.version}" for row in rows})
            continue
        column = _name_column(table)
        if column is None and model is not None and hasattr(model, "number"):
            column = model.number
        if column is None or model is None:
            continue
        names.update({(table, key): str(value) for key, value in session.execute(
            select(model.id, column).where(model.id.in_(ids))) if value})
    return names


@cache
def _model(table: str) -> Any:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None


def _local_time(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class _Shower:
    """Turns the stored texts of one page of entries into what a user reads."""

    def __init__(self, session: Session, db: Database, actor: Actor, rows: list[AuditEntry]) -> None:
        wanted: dict[str, set[str]] = {}
        for row in rows:
            if row.user_id:
                wanted.setdefault("users", set()).add(row.user_id)
            target = _target_table(row.entity_type, row.field) if row.field else None
            if target is not None:
                wanted.setdefault(target, set()).update(v for v in (row.old_value, row.new_value) if v)
        self.names = _names(session, wanted)
        personal = {row.field for row in rows if row.field and _is_personal(row.field)}
        self.masked = frozenset(masked_fields(db, actor, sorted(personal)))

    def user(self, user_id: str | None) -> str:
        if not user_id or user_id == SYSTEM_ACTOR.user_id:
            return _("System")
        return self.names.get(("users", user_id)) or _("Unknown user")

    def value(self, row: AuditEntry, text: str | None) -> str:
        if text is None or text == "":
            return ""
        table, name = row.entity_type, row.field or ""
        if row.action == "export" or not name:
            return text
        if name in self.masked:
            return str(mask_value(name, text))
        target = _target_table(table, name)
        if target is not None:
            if target == "users" and text == SYSTEM_ACTOR.user_id:
                return _("System")
            return self.names.get((target, text), text)
        column = _column(table, name)
        kind = column.type if column is not None else None
        if isinstance(kind, Money):
            amount = _decimal(text)
            return format_yuan(amount) if amount is not None else text
        if isinstance(kind, UTCDateTime):
            return _local_time(text)
        if isinstance(kind, Boolean):
            return _("Yes") if text in ("True", "1", "true") else _("No")
        if isinstance(kind, Quantity):
            number = _decimal(text)
            return f"{number.normalize():f}" if number is not None else text
        if name.endswith("_bp"):
            number = _decimal(text)
            return format_bp(int(number)) if number is not None else text
        if table == "quotes" and name in ("status", "approval_status"):
            return status_label("pending_approval" if text == "pending" else text)
        if table == "contracts" and name == "status":
            source = _CONTRACT_STATUSES.get(text)
            return translate("contracts", source) if source else text
        entity = _TABLE_ENTITIES.get(table, table)
        if has_code_labels(entity, name):
            return code_label(entity, name, text)
        return text

    def field(self, row: AuditEntry) -> str:
        if row.action == "export":
            return (row.field or "").upper()
        if row.action == "delete":
            return ""
        return field_label(row.entity_type, row.field)


def _drop_repeated_changes(rows: list[AuditEntry]) -> list[AuditEntry]:
    """Leave out a plain "update" that an act beside it already says (a release and its owner change)."""
    acts = [(row.entity_type, row.entity_id, row.field, row.old_value, row.new_value, row.at)
            for row in rows if row.action not in _CHANGES and row.field]
    if not acts:
        return rows

    def repeated(row: AuditEntry) -> bool:
        return row.action == "update" and any(
            (table, entity_id, name, old, new) == (row.entity_type, row.entity_id, row.field, row.old_value,
                                                   row.new_value) and abs(at - row.at) <= _SAME_MOMENT
            for table, entity_id, name, old, new, at in acts)

    return [row for row in rows if not repeated(row)]


def _entries(session: Session, db: Database, actor: Actor, rows: list[AuditEntry],
             records: Mapping[tuple[str, str], str]) -> tuple[HistoryEntry, ...]:
    shower = _Shower(session, db, actor, rows)
    entries = []
    for row in _drop_repeated_changes(rows):
        if row.field in _NOT_SHOWN and row.action in _CHANGES:
            continue
        old, new = shower.value(row, row.old_value), shower.value(row, row.new_value)
        if row.action == "update" and old == new:
            continue  # a change no reader can see (a planned time moved by seconds)
        entries.append(HistoryEntry(
            id=row.id, at=row.at, user_id=row.user_id, user_name=shower.user(row.user_id), action=row.action,
            action_label=action_label(row.action), entity=_TABLE_ENTITIES.get(row.entity_type, row.entity_type),
            entity_id=row.entity_id, record=records.get((row.entity_type, row.entity_id), ""), field=row.field,
            field_label=shower.field(row), old_value=old, new_value=new))
    return tuple(entries)


def _before(cursor: HistoryCursor | None) -> ColumnElement[bool]:
    if cursor is None:
        return true()
    return or_(AuditEntry.at < cursor.at, and_(AuditEntry.at == cursor.at, AuditEntry.id < cursor.id))


def _read_page(session: Session, conditions: list[ColumnElement[bool]], before: HistoryCursor | None,
               limit: int) -> tuple[list[AuditEntry], HistoryCursor | None]:
    rows = list(session.scalars(
        select(AuditEntry).where(*conditions, _before(before))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, HistoryCursor(rows[-1].at, rows[-1].id) if more and rows else None


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_PAGE))


# ---- a record's history -------------------------------------------------------------------------------
def _child_parts(session: Session, rows: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """How each child row on the page is named in its parent's history: "Quote line: 华驰 S5"."""
    parts: dict[tuple[str, str], str] = {}
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.entity_type in _CHILD_NAMES or row.entity_type == "payment_allocations":
            wanted.setdefault(row.entity_type, set()).add(row.entity_id)
    for table, ids in wanted.items():
        label = kind_label(table)
        column = _CHILD_NAMES.get(table)
        named: dict[str, str] = {}
        if column is not None:
            model = _model(table)
            named = {key: str(value) for key, value in session.execute(
                select(model.id, column).where(model.id.in_(ids))) if value}
        elif table == "payment_allocations":
            named = {key: format_yuan(value) for key, value in session.execute(
                select(PaymentAllocation.id, PaymentAllocation.amount).where(PaymentAllocation.id.in_(ids)))}
        for key in ids:
            parts[(table, key)] = f"{label}: {named[key]}" if key in named else label
    return parts


def record_history(db: Database, actor: Actor, entity: str, record_id: str, *,
                   before: HistoryCursor | None = None, limit: int = HISTORY_PAGE) -> HistoryPage:
    """One page of a record's history, newest first, older than `before` (None: from the newest): its own
    entries and those of its child rows (a quote's lines, an order's lines, a plan's installments, a
    contract's attachments, a payment's allocations). Only for a record `actor` may see (deleted ones
    too: a merged record keeps its history); NotFoundError otherwise."""
    table = ENTITY_TABLES.get(entity)
    if table is None:
        raise ValidationError({"entity": _("Unknown kind of record: {entity}.", entity=entity)})
    model = _model(table)
    if table == "users" and actor.role != "admin" and record_id != actor.user_id:
        raise NotFoundError(entity, record_id)  # sign-ins and roles are the administrators' to read
    with read_session(db) as session:
        if session.scalar(select(model.id).where(model.id == record_id, visible_rows(actor, model))) is None:
            raise NotFoundError(entity, record_id)
        rows_of = [and_(AuditEntry.entity_type == table, AuditEntry.entity_id == record_id)]
        for child_table, parent_column in _CHILDREN.get(table, ()):
            child = parent_column.class_
            rows_of.append(and_(AuditEntry.entity_type == child_table, AuditEntry.entity_id.in_(
                select(child.id).where(parent_column == record_id).scalar_subquery())))
        rows, cursor = _read_page(session, [or_(*rows_of)], before, _limit(limit))
        entries = _entries(session, db, actor, rows, _child_parts(session, rows))
    return HistoryPage(entries, cursor)


# ---- the audit log viewer -------------------------------------------------------------------------------
def may_read_audit_log(actor: Actor) -> bool:
    return actor.role in ("admin", "manager")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def _who_in_scope(actor: Actor) -> ColumnElement[bool]:
    """Whose acts `actor` reads: everyone's with scope "all"; a team manager's own team's (and the system's)."""
    if actor.scope == "all":
        return true()
    if actor.scope == "team":
        same_team = User.team_id == actor.team_id if actor.team_id else User.team_id.is_(None)
        return or_(AuditEntry.user_id.in_(select(User.id).where(same_team).scalar_subquery()),
                   AuditEntry.user_id == actor.user_id, AuditEntry.user_id.is_(None),
                   AuditEntry.user_id == SYSTEM_ACTOR.user_id)
    return AuditEntry.user_id == actor.user_id


def _filter_conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.user_id:
        conditions.append(AuditEntry.user_id == flt.user_id)
    if flt.action:
        conditions.append(AuditEntry.action == flt.action)
    if flt.entity:
        table = ENTITY_TABLES.get(flt.entity)
        if table is None:
            raise ValidationError({"entity": _("Unknown kind of record: {entity}.", entity=flt.entity)})
        # Exports name the list by the service's word ("lead"), everything else by the table.
        conditions.append(AuditEntry.entity_type.in_((table, flt.entity)))
    if flt.since is not None and flt.until is not None and flt.since > flt.until:
        raise ValidationError({"until": _("The end of the period is before its start.")})
    if flt.since is not None:
        conditions.append(AuditEntry.at >= _day_start(flt.since))
    if flt.until is not None:
        conditions.append(AuditEntry.at < _day_start(flt.until + timedelta(days=1)))
    return conditions


def _record_labels(session: Session, rows: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """What each row on the page concerns: "客户 陈静", "报价单 QT-… V2", or the kind alone."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.entity_id and row.entity_id != "-":
            wanted.setdefault(ENTITY_TABLES.get(row.entity_type, row.entity_type), set()).add(row.entity_id)
    names = _names(session, wanted)
    labels: dict[tuple[str, str], str] = {}
    for row in rows:
        table = ENTITY_TABLES.get(row.entity_type, row.entity_type)
        name = names.get((table, row.entity_id))
        labels[(row.entity_type, row.entity_id)] = f"{kind_label(table)} {name}" if name else kind_label(table)
    return labels


def audit_log_page(db: Database, actor: Actor, flt: AuditFilter = AuditFilter(), *,
                   before: HistoryCursor | None = None, limit: int = 100) -> HistoryPage:
    """One page of the whole audit log, newest first, as `flt` filters it: who did what, to what, when.
    Administrators and managers only (a team manager reads the acts of the team's users)."""
    if not may_read_audit_log(actor):
        raise UserError(_("Only administrators and managers can read the audit log."))
    conditions = [*_filter_conditions(flt), _who_in_scope(actor)]
    with read_session(db) as session:
        rows, cursor = _read_page(session, conditions, before, _limit(limit))
        entries = _entries(session, db, actor, rows, _record_labels(session, rows))
    return HistoryPage(entries, cursor)


# ---- exports written by views ---------------------------------------------------------------------------
def record_export(db: Database, actor: Actor, what: str, rows: int, path: Path | str) -> None:
    """Audit a file a view wrote (an analytics table, the receivables): what it was, its format, how many
    rows, the file's name; the same entry list and report exports make."""
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or "-"
    with unit_of_work(db, actor) as session:
        session.add(AuditEntry(user_id=actor.user_id, action="export", entity_type=what, entity_id="-",
                               field=fmt, new_value=f"{rows} rows -> {target.name}"))


__all__ = [
    "ENTITY_TABLES", "HISTORY_PAGE", "AuditFilter", "HistoryCursor", "HistoryEntry", "HistoryPage", "action_label",
    "audit_actions", "audit_entities", "audit_log_page", "field_label", "kind_label", "may_read_audit_log",
    "record_export", "record_history",
]
