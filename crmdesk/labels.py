"""What the user reads for code names: entity names, field titles and the labels of coded values.

Plain Python (no Qt), so lists, exports, reports and PDFs all use the same words as the window; the
texts are English sources translated through the one catalog (crmdesk.i18n).
"""

from __future__ import annotations

from crmdesk.i18n import translate


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks a source text for the catalog (Qt Linguist's lupdate and our translation test find it)."""
    return source


ENTITY_KEYS = ("lead", "customer", "opportunity", "order")

_ENTITY_NAMES = {
    "lead": QT_TRANSLATE_NOOP("entities", "Leads"),
    "customer": QT_TRANSLATE_NOOP("entities", "Customers"),
    "opportunity": QT_TRANSLATE_NOOP("entities", "Opportunities"),
    "order": QT_TRANSLATE_NOOP("entities", "Orders"),
    "contact": QT_TRANSLATE_NOOP("entities", "Contacts"),
}

_ENTITY_SINGULAR = {
    "lead": QT_TRANSLATE_NOOP("entity", "Lead"),
    "customer": QT_TRANSLATE_NOOP("entity", "Customer"),
    "opportunity": QT_TRANSLATE_NOOP("entity", "Opportunity"),
    "order": QT_TRANSLATE_NOOP("entity", "Order"),
    "contact": QT_TRANSLATE_NOOP("entity", "Contact"),
}

# Field titles shared by every entity; _ENTITY_FIELD_TITLES overrides where one word means more.
_FIELD_TITLES = {
    "name": QT_TRANSLATE_NOOP("fields", "Name"),
    "gender": QT_TRANSLATE_NOOP("fields", "Gender"),
    "phone": QT_TRANSLATE_NOOP("fields", "Phone"),
    "email": QT_TRANSLATE_NOOP("fields", "E-mail"),
    "company": QT_TRANSLATE_NOOP("fields", "Company"),
    "title": QT_TRANSLATE_NOOP("fields", "Job title"),
    "source": QT_TRANSLATE_NOOP("fields", "Source"),
    "campaign": QT_TRANSLATE_NOOP("fields", "Campaign"),
    "ad_keyword": QT_TRANSLATE_NOOP("fields", "Ad keyword"),
    "status": QT_TRANSLATE_NOOP("fields", "Status"),
    "invalid_reason": QT_TRANSLATE_NOOP("fields", "Why invalid"),
    "score": QT_TRANSLATE_NOOP("fields", "Score"),
    "owner_id": QT_TRANSLATE_NOOP("fields", "Owner"),
    "intended_product": QT_TRANSLATE_NOOP("fields", "Intended product"),
    "intended_purchase_date": QT_TRANSLATE_NOOP("fields", "Intended purchase date"),
    "province": QT_TRANSLATE_NOOP("fields", "Province"),
    "city": QT_TRANSLATE_NOOP("fields", "City"),
    "residential_area": QT_TRANSLATE_NOOP("fields", "Residential area"),
    "visitors_count": QT_TRANSLATE_NOOP("fields", "Visitors"),
    "notes": QT_TRANSLATE_NOOP("fields", "Notes"),
    "external_id": QT_TRANSLATE_NOOP("fields", "External ID"),
    "created_at": QT_TRANSLATE_NOOP("fields", "Created"),
    "updated_at": QT_TRANSLATE_NOOP("fields", "Updated"),
    "kind": QT_TRANSLATE_NOOP("fields", "Type"),
    "id_number": QT_TRANSLATE_NOOP("fields", "Resident ID number"),
    "uscc": QT_TRANSLATE_NOOP("fields", "Unified social credit code"),
    "birthday": QT_TRANSLATE_NOOP("fields", "Birthday"),
    "industry": QT_TRANSLATE_NOOP("fields", "Industry"),
    "address": QT_TRANSLATE_NOOP("fields", "Address"),
    "tier": QT_TRANSLATE_NOOP("fields", "Customer tier"),
    "intent_grade": QT_TRANSLATE_NOOP("fields", "Intent grade"),
    "lost_reason": QT_TRANSLATE_NOOP("fields", "Why lost"),
    "won_reason": QT_TRANSLATE_NOOP("fields", "Why won"),
    "next_followup_at": QT_TRANSLATE_NOOP("fields", "Next follow-up"),
    "customer_id": QT_TRANSLATE_NOOP("fields", "Customer"),
    "customer_name": QT_TRANSLATE_NOOP("fields", "Customer"),
    "contact_id": QT_TRANSLATE_NOOP("fields", "Contact"),
    "is_primary": QT_TRANSLATE_NOOP("fields", "Primary contact"),
    "stage_id": QT_TRANSLATE_NOOP("fields", "Stage"),
    "amount": QT_TRANSLATE_NOOP("fields", "Amount"),
    "probability": QT_TRANSLATE_NOOP("fields", "Probability (%)"),
    "expected_close_date": QT_TRANSLATE_NOOP("fields", "Expected close date"),
    "forecast_category": QT_TRANSLATE_NOOP("fields", "Forecast category"),
    "forecast_category_manager": QT_TRANSLATE_NOOP("fields", "Forecast category (manager)"),
    "product_interest": QT_TRANSLATE_NOOP("fields", "Products of interest"),
    "won_at": QT_TRANSLATE_NOOP("fields", "Won on"),
    "won_amount": QT_TRANSLATE_NOOP("fields", "Won amount"),
    "number": QT_TRANSLATE_NOOP("fields", "Order number"),
    "order_date": QT_TRANSLATE_NOOP("fields", "Order date"),
    "delivery_date": QT_TRANSLATE_NOOP("fields", "Delivery date"),
    "total": QT_TRANSLATE_NOOP("fields", "Total"),
    "contract_id": QT_TRANSLATE_NOOP("fields", "Contract"),
    "opportunity_id": QT_TRANSLATE_NOOP("fields", "Opportunity"),
    "pipeline": QT_TRANSLATE_NOOP("fields", "Pipeline"),
    "company_size": QT_TRANSLATE_NOOP("fields", "Company size (employees)"),
    "budget": QT_TRANSLATE_NOOP("fields", "Budget"),
    "territory_id": QT_TRANSLATE_NOOP("fields", "Territory"),
    "qualification": QT_TRANSLATE_NOOP("fields", "Qualification"),
    "mql_at": QT_TRANSLATE_NOOP("fields", "MQL since"),
    "accepted_at": QT_TRANSLATE_NOOP("fields", "Accepted by sales"),
}

_ENTITY_FIELD_TITLES = {
    "customer": {
        "name": QT_TRANSLATE_NOOP("fields", "Customer name"),
        "kind": QT_TRANSLATE_NOOP("fields", "Customer type"),
        "status": QT_TRANSLATE_NOOP("fields", "Customer status"),
    },
    "opportunity": {
        "name": QT_TRANSLATE_NOOP("fields", "Opportunity name"),
        "kind": QT_TRANSLATE_NOOP("fields", "Opportunity type"),
    },
    "lead": {
        "status": QT_TRANSLATE_NOOP("fields", "Lead status"),
    },
    "order": {
        "status": QT_TRANSLATE_NOOP("fields", "Order status"),
    },
}

# Coded values by family ("entity.field" or "field"); each family is its own translation context
# because one English word ("Lost") means different Chinese words in different families.
_CODE_LABELS: dict[str, dict[str, object]] = {
    "gender": {
        "M": QT_TRANSLATE_NOOP("codes.gender", "Male"),
        "F": QT_TRANSLATE_NOOP("codes.gender", "Female"),
    },
    "lead.source": {
        "walk_in": QT_TRANSLATE_NOOP("codes.lead.source", "Walk-in"),
        "phone": QT_TRANSLATE_NOOP("codes.lead.source", "Phone call"),
        "web": QT_TRANSLATE_NOOP("codes.lead.source", "Web"),
        "campaign": QT_TRANSLATE_NOOP("codes.lead.source", "Campaign"),
        "referral": QT_TRANSLATE_NOOP("codes.lead.source", "Referral"),
        "ad_keyword": QT_TRANSLATE_NOOP("codes.lead.source", "Ad keyword"),
        "trade_show": QT_TRANSLATE_NOOP("codes.lead.source", "Trade show"),
        "other": QT_TRANSLATE_NOOP("codes.lead.source", "Other"),
    },
    "lead.status": {
        "new": QT_TRANSLATE_NOOP("codes.lead.status", "New"),
        "contacted": QT_TRANSLATE_NOOP("codes.lead.status", "Contacted"),
        "qualified": QT_TRANSLATE_NOOP("codes.lead.status", "Qualified"),
        "converted": QT_TRANSLATE_NOOP("codes.lead.status", "Converted"),
        "invalid": QT_TRANSLATE_NOOP("codes.lead.status", "Invalid"),
    },
    "lead.qualification": {
        "mql": QT_TRANSLATE_NOOP("codes.lead.qualification", "MQL (marketing qualified)"),
        "sql": QT_TRANSLATE_NOOP("codes.lead.qualification", "SQL (accepted by sales)"),
    },
    "customer.kind": {
        "person": QT_TRANSLATE_NOOP("codes.customer.kind", "Person"),
        "company": QT_TRANSLATE_NOOP("codes.customer.kind", "Company"),
    },
    "customer.status": {
        "active": QT_TRANSLATE_NOOP("codes.customer.status", "Active"),
        "dormant": QT_TRANSLATE_NOOP("codes.customer.status", "Dormant"),
        "lost": QT_TRANSLATE_NOOP("codes.customer.status", "Lost"),
    },
    "tier": {
        "A": QT_TRANSLATE_NOOP("codes.tier", "Tier A"),
        "B": QT_TRANSLATE_NOOP("codes.tier", "Tier B"),
        "C": QT_TRANSLATE_NOOP("codes.tier", "Tier C"),
    },
    "intent_grade": {
        "H": QT_TRANSLATE_NOOP("codes.intent_grade", "H (buys within 7 days)"),
        "A": QT_TRANSLATE_NOOP("codes.intent_grade", "A (within 15 days)"),
        "B": QT_TRANSLATE_NOOP("codes.intent_grade", "B (within 30 days)"),
        "C": QT_TRANSLATE_NOOP("codes.intent_grade", "C (later)"),
        "O": QT_TRANSLATE_NOOP("codes.intent_grade", "O (ordered)"),
    },
    "opportunity.status": {
        "open": QT_TRANSLATE_NOOP("codes.opportunity.status", "Open"),
        "won": QT_TRANSLATE_NOOP("codes.opportunity.status", "Won"),
        "lost": QT_TRANSLATE_NOOP("codes.opportunity.status", "Lost"),
    },
    "opportunity.kind": {
        "standard": QT_TRANSLATE_NOOP("codes.opportunity.kind", "Standard"),
        "project": QT_TRANSLATE_NOOP("codes.opportunity.kind", "Project"),
    },
    "forecast_category": {
        "commit": QT_TRANSLATE_NOOP("codes.forecast_category", "Commit"),
        "best_case": QT_TRANSLATE_NOOP("codes.forecast_category", "Best case"),
        "pipeline": QT_TRANSLATE_NOOP("codes.forecast_category", "Pipeline"),
        "omitted": QT_TRANSLATE_NOOP("codes.forecast_category", "Omitted"),
    },
    "order.status": {
        "draft": QT_TRANSLATE_NOOP("codes.order.status", "Draft"),
        "confirmed": QT_TRANSLATE_NOOP("codes.order.status", "Confirmed"),
        "delivered": QT_TRANSLATE_NOOP("codes.order.status", "Delivered"),
        "closed": QT_TRANSLATE_NOOP("codes.order.status", "Closed"),
        "cancelled": QT_TRANSLATE_NOOP("codes.order.status", "Cancelled"),
    },
    "pipeline": {
        "vehicle": QT_TRANSLATE_NOOP("codes.pipeline", "Vehicle sales"),
        "project": QT_TRANSLATE_NOOP("codes.pipeline", "Project sales"),
    },
    "test_drive.status": {  # test drives (crmdesk.services.test_drives)
        "booked": QT_TRANSLATE_NOOP("codes.test_drive.status", "Booked"),
        "out": QT_TRANSLATE_NOOP("codes.test_drive.status", "Out"),
        "returned": QT_TRANSLATE_NOOP("codes.test_drive.status", "Returned"),
        "cancelled": QT_TRANSLATE_NOOP("codes.test_drive.status", "Cancelled"),
    },
    "lost_request.status": {  # lost requests (crmdesk.services.lost)
        "pending": QT_TRANSLATE_NOOP("codes.lost_request.status", "Pending"),
        "approved": QT_TRANSLATE_NOOP("codes.lost_request.status", "Approved"),
        "rejected": QT_TRANSLATE_NOOP("codes.lost_request.status", "Rejected"),
    },
    "activity.kind": {  # activities and follow-ups (crmdesk.services.followups)
        "call": QT_TRANSLATE_NOOP("codes.activity.kind", "Call"),
        "visit": QT_TRANSLATE_NOOP("codes.activity.kind", "Visit"),
        "message": QT_TRANSLATE_NOOP("codes.activity.kind", "Text message"),
        "wechat": QT_TRANSLATE_NOOP("codes.activity.kind", "WeChat"),
        "meeting": QT_TRANSLATE_NOOP("codes.activity.kind", "Meeting"),
    },
    "activity.status": {
        "planned": QT_TRANSLATE_NOOP("codes.activity.status", "Planned"),
        "done": QT_TRANSLATE_NOOP("codes.activity.status", "Done"),
        "cancelled": QT_TRANSLATE_NOOP("codes.activity.status", "Cancelled"),
    },
}


def entity_name(entity: str) -> str:
    """The plural name of a kind of record, as a tab shows it: 线索, 客户, ..."""
    source = _ENTITY_NAMES.get(entity)
    return translate("entities", str(source)) if source else entity


def entity_singular(entity: str) -> str:
    source = _ENTITY_SINGULAR.get(entity)
    return translate("entity", str(source)) if source else entity


def field_title(entity: str, field: str) -> str:
    source = _ENTITY_FIELD_TITLES.get(entity, {}).get(field) or _FIELD_TITLES.get(field)
    return translate("fields", str(source)) if source else field


# Fields that take another field's codes: the manager's forecast category is one of the rep's.
_SAME_CODES = {"forecast_category_manager": "forecast_category"}


def _family(entity: str, field: str) -> str | None:
    for family in (f"{entity}.{field}", field, _SAME_CODES.get(field, "")):
        if family in _CODE_LABELS:
            return family
    return None


def has_code_labels(entity: str, field: str) -> bool:
    return _family(entity, field) is not None


def codes_of(entity: str, field: str) -> tuple[str, ...]:
    """Every code a field of an entity can hold, as far as labels are known (for list filters)."""
    family = _family(entity, field)
    return tuple(_CODE_LABELS[family]) if family else ()


def code_label(entity: str, field: str, code: object, language: str | None = None) -> str:
    """A coded value's label (已转化 for lead.status 'converted') in `language` (default: the current one);
    unknown codes show as they are."""
    if code is None or code == "":
        return ""
    family = _family(entity, field)
    if family is None:
        return str(code)
    source = _CODE_LABELS[family].get(str(code))
    return translate(f"codes.{family}", str(source), language) if source else str(code)


def code_labels(entity: str, field: str, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, label) for each code, in the given order: what a choice box offers."""
    return [(code, code_label(entity, field, code)) for code in codes]
