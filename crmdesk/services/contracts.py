"""Contracts (合同): made from an accepted quote or an opportunity, their templates, status and attachments.

A contract keeps its link (quote_id, opportunity_id, source_type/source_id), the parties as printed,
its amount and dates, and the text it was made from: the template's version (template_id names the
contract_templates row, template_version its number) and the rendered body. Statuses:
draft -> signed -> in_force -> finished, or terminated (with a reason) from any of the first three.
While a draft, edits re-render the body; from signing on, the body is what was signed and stays.

Templates are text with {placeholders} (PLACEHOLDERS); saving one adds a version and old versions
stay. Two defaults (vehicle sales, project sales) are built in and stored as version 1 under fixed
ids the first time a contract uses them, so every desk stores the same row.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crmdesk.i18n import SERVICES_CONTEXT, _, translate
from crmdesk.labels import QT_TRANSLATE_NOOP
from crmdesk.models import (
    AuditEntry,
    Contact,
    Contract,
    ContractAttachment,
    ContractTemplate,
    Customer,
    Installment,
    Opportunity,
    PaymentPlan,
    Pipeline,
    Product,
    Quote,
    QuoteLine,
)
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services.document_data import (
    CompanyProfile,
    ContractDocument,
    DocumentLine,
    InstallmentLine,
    PartyBlock,
)
from crmdesk.services.entities import Record, visible_rows
from crmdesk.services.errors import ConflictError, NotFoundError, UserError, ValidationError
from crmdesk.services.fields import FieldSpec, collect_clean_values, unstorable
from crmdesk.services.money import amount_in_words, format_yuan, round_fen
from crmdesk.services.numbers import next_number
from crmdesk.services.uow import Actor, read_session, unit_of_work

CONTRACT_STATUSES = ("draft", "signed", "in_force", "finished", "terminated")
TRANSITIONS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "draft": ("signed", "terminated"),
    "signed": ("in_force", "terminated"),
    "in_force": ("finished", "terminated"),
    "finished": (),
    "terminated": (),
})
OPEN_STATUSES = ("draft", "signed", "in_force")  # a quote with a contract in one of these has its contract
TEMPLATE_EDITOR_ROLES = ("manager", "admin")
MAX_REASON = 2000
MAX_TEMPLATE_BODY = 100_000
LIST_LIMIT = 500

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # a scanned contract of a few pages at 300 dpi
# What a signed scan may be: the type read from the file's first bytes, and the names it may carry.
ATTACHMENT_TYPES: Mapping[str, tuple[bytes, tuple[str, ...]]] = MappingProxyType({
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/tiff": (b"II*\x00", (".tif", ".tiff")),
})
_TIFF_BIG_ENDIAN = b"MM\x00*"

VEHICLE_TEMPLATE = "vehicle_sale"
PROJECT_TEMPLATE = "project_sale"

# placeholder -> what it is filled with (English source, translated when listed)
PLACEHOLDERS: Mapping[str, str] = MappingProxyType({
    "contract_number": QT_TRANSLATE_NOOP("services", "the contract's number (CT-...)"),
    "contract_title": QT_TRANSLATE_NOOP("services", "the contract's title"),
    "customer_name": QT_TRANSLATE_NOOP("services", "the buyer's name"),
    "customer_contact": QT_TRANSLATE_NOOP("services", "the buyer's contact person"),
    "customer_phone": QT_TRANSLATE_NOOP("services", "the buyer's phone"),
    "customer_address": QT_TRANSLATE_NOOP("services", "the buyer's address"),
    "customer_tax_id": QT_TRANSLATE_NOOP("services", "the buyer's unified social credit code (companies)"),
    "company_name": QT_TRANSLATE_NOOP("services", "our company's name (company profile)"),
    "company_address": QT_TRANSLATE_NOOP("services", "our company's address"),
    "company_phone": QT_TRANSLATE_NOOP("services", "our company's phone"),
    "company_tax_id": QT_TRANSLATE_NOOP("services", "our company's unified social credit code"),
    "company_bank_name": QT_TRANSLATE_NOOP("services", "our bank"),
    "company_bank_account": QT_TRANSLATE_NOOP("services", "our bank account number"),
    "amount": QT_TRANSLATE_NOOP("services", "the contract amount, e.g. ¥100,000.01"),
    "amount_in_words": QT_TRANSLATE_NOOP("services", "the amount in Chinese capital numerals"),
    "signed_on": QT_TRANSLATE_NOOP("services", "the signing date (blank to fill in by hand until signed)"),
    "starts_on": QT_TRANSLATE_NOOP("services", "the start date"),
    "ends_on": QT_TRANSLATE_NOOP("services", "the end date"),
    "quote_number": QT_TRANSLATE_NOOP("services", "the quote's number"),
    "quote_version": QT_TRANSLATE_NOOP("services", "the quote's version, e.g. V2"),
    "lines": QT_TRANSLATE_NOOP("services", "the quote's lines, one per line"),
    "terms": QT_TRANSLATE_NOOP("services", "the contract's own terms"),
    "today": QT_TRANSLATE_NOOP("services", "the date the text is made"),
})

# 甲方 is the seller (our company) and 乙方 the buyer, as on the printed contract's party and signature
# boxes (services.documents), which also print both parties' addresses and phones: the text names them.
_VEHICLE_BODY = """甲方（卖方）{company_name}与乙方（买方）{customer_name}依据《中华人民共和国民法典》等法律法规，在平等、自愿、协商一致的基础上，就乙方向甲方购买车辆事宜订立本合同（合同编号：{contract_number}；依据报价单 {quote_number} {quote_version}）。

第一条　车辆、数量及价款
{lines}
合同总价款（含增值税）：{amount}（人民币大写：{amount_in_words}）。

第二条　付款方式
乙方按双方约定的付款计划将车款付至甲方账户。开户行：{company_bank_name}；账号：{company_bank_account}。

第三条　交付
甲方收到全部车款后，于约定日期在甲方经营场所向乙方交付车辆及随车文件（车辆合格证、购车发票、三包凭证、使用说明书）。乙方应当场验收；车架号（VIN）以交付车辆为准，记入交车单。

第四条　质量与售后
车辆质量符合国家标准及生产厂家的技术标准。甲方依照《家用汽车产品修理更换退货责任规定》及厂家保修政策提供三包及售后服务。

第五条　违约责任
任何一方违反本合同约定的，应赔偿对方因此遭受的损失。

第六条　争议解决
因本合同发生的争议，双方协商解决；协商不成的，任何一方可向甲方所在地人民法院提起诉讼。

第七条　其他约定
{terms}

本合同一式两份，甲乙双方各执一份，自双方签字并盖章之日起生效。
签订日期：{signed_on}
"""

_PROJECT_BODY = """甲方（供应方）{company_name}与乙方（采购方）{customer_name}依据《中华人民共和国民法典》等法律法规，经友好协商，就“{contract_title}”项目订立本合同（合同编号：{contract_number}；依据报价单 {quote_number} {quote_version}）。

第一条　项目内容及价款
{lines}
合同总价款（含增值税）：{amount}（人民币大写：{amount_in_words}）。

第二条　实施期限
自 {starts_on} 起至 {ends_on} 止。

第三条　付款方式
乙方按双方约定的付款计划将款项付至甲方账户。开户行：{company_bank_name}；账号：{company_bank_account}。甲方在每期款项到账前开具等额增值税发票。

第四条　验收
甲方完成交付后书面通知乙方验收，乙方应在收到通知后十个工作日内完成验收，逾期未提出书面异议的视为验收合格。

第五条　保密与知识产权
双方对履行本合同获知的对方商业秘密负有保密义务。甲方交付成果的知识产权归属按双方另行约定；未约定的，乙方享有在本项目范围内的使用权。

第六条　违约责任
任何一方违反本合同约定的，应赔偿对方因此遭受的损失。

第七条　争议解决
因本合同发生的争议，双方协商解决；协商不成的，任何一方可向甲方所在地人民法院提起诉讼。

第八条　其他约定
{terms}

本合同一式两份，甲乙双方各执一份，自双方签字并盖章之日起生效。
签订日期：{signed_on}
"""

# code -> (fixed id of version 1, name, body): the same row on every desk, so a sync never doubles it.
DEFAULT_TEMPLATES: Mapping[str, tuple[str, str, str]] = MappingProxyType({
    VEHICLE_TEMPLATE: ("01900000-0000-7000-8000-0000000c0001", "整车销售合同", _VEHICLE_BODY),
    PROJECT_TEMPLATE: ("01900000-0000-7000-8000-0000000c0002", "项目销售合同", _PROJECT_BODY),
})

_CODE_CHARACTERS = frozenset(string.ascii_lowercase + string.digits + "_")


class NotAllowedError(UserError):
    """The actor's role may not do this (edit the contract templates)."""


# ---- templates ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContractTemplateInfo:
    """One version of a template. `stored` is False for a built-in default no contract has used yet."""

    id: str
    code: str
    version: int
    name: str
    body: str
    created_at: datetime | None
    stored: bool = True


def placeholders() -> list[tuple[str, str]]:
    """(placeholder, what it is filled with) for the template editor, in the current language."""
    return [(f"{{{name}}}", translate(SERVICES_CONTEXT, description)) for name, description in PLACEHOLDERS.items()]


def check_template_body(body: str) -> str:
    """The body, if every placeholder in it is known; ValidationError({"body": ...}) naming the first
    unknown one (or the broken brace) otherwise. Literal braces are written {{ and }}."""
    text = body if isinstance(body, str) else ""
    if not text.strip():
        raise ValidationError({"body": _("The template has no text.")})
    if len(text) > MAX_TEMPLATE_BODY:
        raise ValidationError({"body": _("At most {count} characters.", count=MAX_TEMPLATE_BODY)})
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        raise ValidationError({"body": _("A brace is not closed or not doubled; write {open} and {close} for a "
                                         "literal brace ({detail}).", open="{{", close="}}", detail=error)}) from error
    for _literal, field_name, format_spec, conversion in parts:
        if field_name is None:
            continue
        if field_name not in PLACEHOLDERS:
            raise ValidationError({"body": _("Unknown placeholder {name}; the known ones are: {known}.",
                                             name=f"{{{field_name}}}",
                                             known=", ".join(f"{{{name}}}" for name in PLACEHOLDERS))})
        if format_spec or conversion:
            raise ValidationError({"body": _("Write the placeholder {name} without a format.",
                                             name=f"{{{field_name}}}")})
    return text


def render_template(body: str, values: Mapping[str, str]) -> str:
    """The body with every placeholder filled (ValidationError for an unknown one)."""
    check_template_body(body)
    return string.Formatter().vformat(body, (), {name: values.get(name, "") for name in PLACEHOLDERS})


def _stored_templates(session: Session, code: str | None = None) -> list[ContractTemplate]:
    statement = select(ContractTemplate).where(ContractTemplate.deleted_at.is_(None))
    if code is not None:
        statement = statement.where(ContractTemplate.code == code)
    return list(session.scalars(statement.order_by(ContractTemplate.code, ContractTemplate.version)))


def _info(row: ContractTemplate) -> ContractTemplateInfo:
    return ContractTemplateInfo(row.id, row.code, row.version, row.name, row.body, row.created_at)


def _default_info(code: str) -> ContractTemplateInfo:
    template_id, name, body = DEFAULT_TEMPLATES[code]
    return ContractTemplateInfo(template_id, code, 1, name, body, None, stored=False)


def _current_templates(session: Session) -> dict[str, ContractTemplateInfo]:
    current: dict[str, ContractTemplateInfo] = {code: _default_info(code) for code in DEFAULT_TEMPLATES}
    for row in _stored_templates(session):  # ordered by version: the last one of a code is its current one
        current[row.code] = _info(row)
    return current


def list_templates(db: Database) -> list[ContractTemplateInfo]:
    """Every template in its current version (the built-in defaults included), by code."""
    with read_session(db) as session:
        return sorted(_current_templates(session).values(), key=lambda info: info.code)


def template_versions(db: Database, code: str) -> list[ContractTemplateInfo]:
    """Every version of one template, oldest first (a default not yet stored: its version 1)."""
    with read_session(db) as session:
        versions = [_info(row) for row in _stored_templates(session, code)]
    if not versions and code in DEFAULT_TEMPLATES:
        return [_default_info(code)]
    if not versions:
        raise NotFoundError("contract_template", code)
    return versions


def save_template(db: Database, actor: Actor, code: str, name: str, body: str) -> ContractTemplateInfo:
    """Store a new version of template `code` (a new code starts at version 1); managers and admins.
    An unknown placeholder is a ValidationError naming it."""
    if actor.role not in TEMPLATE_EDITOR_ROLES:
        raise NotAllowedError(_("Only a manager can change the contract templates."))
    code = (code or "").strip()
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not code or len(code) > 40 or not set(code) <= _CODE_CHARACTERS:
        errors["code"] = _("Give a code of lower-case letters, digits and _ (at most 40).")
    if not name or len(name) > 100:
        errors["name"] = _("Give a name of at most 100 characters.")
    elif unstorable(name):
        errors["name"] = _("Contains characters that cannot be stored.")
    if isinstance(body, str) and unstorable(body):
        errors["body"] = _("Contains characters that cannot be stored.")
    try:
        check_template_body(body)
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    with unit_of_work(db, actor) as session:
        rows = _stored_templates(session, code)
        if not rows and code in DEFAULT_TEMPLATES:
            rows = [_store_default(session, code)]
        version = rows[-1].version + 1 if rows else 1
        row = ContractTemplate(code=code, version=version, name=name, body=body)
        session.add(row)
        session.flush()
        return _info(row)


def _store_default(session: Session, code: str) -> ContractTemplate:
    template_id, name, body = DEFAULT_TEMPLATES[code]
    row = session.get(ContractTemplate, template_id)
    if row is None:
        row = ContractTemplate(id=template_id, code=code, version=1, name=name, body=body)
        session.add(row)
        session.flush()
    return row


def _template_for_use(session: Session, code: str) -> ContractTemplate:
    """The current version of `code` as a stored row (a default is stored on its first use)."""
    rows = _stored_templates(session, code)
    if rows:
        return rows[-1]
    if code in DEFAULT_TEMPLATES:
        return _store_default(session, code)
    raise ValidationError({"template": _("There is no contract template “{code}”.", code=code)})


# ---- reading -----------------------------------------------------------------------------------
def _contract_record(contract: Contract, extra: Mapping[str, Any] | None = None) -> Record:
    values: dict[str, Any] = {column.key: getattr(contract, column.key) for column in Contract.__table__.columns}
    values.update(extra or {})
    return Record("contract", contract.id, MappingProxyType(values))


def _load(session: Session, actor: Actor, contract_id: str) -> Contract:
    contract = session.scalars(select(Contract).where(
        Contract.id == contract_id, Contract.deleted_at.is_(None), visible_rows(actor, Contract))).first()
    if contract is None:
        raise NotFoundError("contract", contract_id)
    return contract


def resolve_contract(db: Database, actor: Actor, reference: str) -> str:
    """The id of the contract with this id or number (CLI and search)."""
    with read_session(db) as session:
        contract_id = session.scalar(select(Contract.id).where(
            or_(Contract.id == reference, Contract.number == reference), Contract.deleted_at.is_(None),
            visible_rows(actor, Contract)))
    if contract_id is None:
        raise NotFoundError("contract", reference)
    return str(contract_id)


def resolve_quote(db: Database, actor: Actor, reference: str) -> str:
    """The id of a quote version from its id, or from its number: the accepted version, else the current one."""
    with read_session(db) as session:
        quote_id = session.scalar(select(Quote.id).where(
            or_(Quote.id == reference, Quote.number == reference), Quote.deleted_at.is_(None),
            visible_rows(actor, Quote)).order_by((Quote.status == "accepted").desc(), Quote.is_current.desc(),
                                                Quote.version.desc()).limit(1))
    if quote_id is None:
        raise NotFoundError("quote", reference)
    return str(quote_id)


def get_contract(db: Database, actor: Actor, contract_id: str) -> Record:
    """One contract with customer_name, quote_number, quote_version and attachment_count."""
    with read_session(db) as session:
        contract = _load(session, actor, contract_id)
        return _contract_record(contract, _extra(session, contract))


def _extra(session: Session, contract: Contract) -> dict[str, Any]:
    customer = session.get(Customer, contract.customer_id)
    quote = session.get(Quote, contract.quote_id) if contract.quote_id else None
    attachments = session.scalar(select(func.count()).select_from(ContractAttachment).where(
        ContractAttachment.contract_id == contract.id, ContractAttachment.deleted_at.is_(None)))
    return {"customer_name": customer.name if customer is not None else "",
            "quote_number": quote.number if quote is not None else None,
            "quote_version": quote.version if quote is not None else None,
            "attachment_count": int(attachments or 0)}


def list_contracts(db: Database, actor: Actor, *, status: str | None = None, customer_id: str | None = None,
                   offset: int = 0, limit: int = 50) -> list[Record]:
    """Contracts newest first, each with customer_name (body left out: read one with get_contract)."""
    statement = (select(Contract, Customer.name).join(Customer, Customer.id == Contract.customer_id)
                 .where(Contract.deleted_at.is_(None), visible_rows(actor, Contract)))
    if status is not None:
        statement = statement.where(Contract.status == status)
    if customer_id is not None:
        statement = statement.where(Contract.customer_id == customer_id)
    statement = statement.order_by(Contract.created_at.desc(), Contract.id.desc()).offset(max(offset, 0)).limit(
        min(max(limit, 0), LIST_LIMIT))
    with read_session(db) as session:
        rows = []
        for contract, customer_name in session.execute(statement):
            record = _contract_record(contract, {"customer_name": customer_name})
            values = dict(record.values)
            values.pop("body", None)
            rows.append(Record("contract", contract.id, MappingProxyType(values)))
        return rows


# ---- rendering ---------------------------------------------------------------------------------
def _date_text(day: date | None) -> str:
    """Dates as a Chinese contract writes them (the templates are Chinese, whatever the window's language)."""
    if day is None:
        return "____年__月__日"
    return f"{day.year}年{day.month}月{day.day}日"


def _quantity_text(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"  # 2.000 -> 2, 1.500 -> 1.5


@dataclass(frozen=True)
class _Line:
    position: int
    code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    tax_rate_bp: int
    line_total: Decimal
    product_id: str | None
    is_vehicle: bool


def quote_lines(session: Session, quote_id: str) -> list[_Line]:
    """A quote's live lines in order, with their product's code, unit and whether it is a vehicle."""
    statement = (select(QuoteLine, Product.code, Product.unit, Product.is_vehicle)
                 .outerjoin(Product, Product.id == QuoteLine.product_id)
                 .where(QuoteLine.quote_id == quote_id, QuoteLine.deleted_at.is_(None))
                 .order_by(QuoteLine.position, QuoteLine.id))
    return [_Line(line.position, code or "", line.description, line.quantity, line.unit or unit or "",
                  line.unit_price, line.tax_rate_bp, line.line_total, line.product_id, bool(is_vehicle))
            for line, code, unit, is_vehicle in session.execute(statement)]


def _lines_text(lines: Sequence[_Line], title: str, amount: Decimal) -> str:
    if not lines:
        return f"1. {title}　{format_yuan(amount)}"
    return "\n".join(
        f"{index}. {line.description}　{_quantity_text(line.quantity)}{line.unit} × {format_yuan(line.unit_price)}"
        f" = {format_yuan(line.line_total)}"
        for index, line in enumerate(lines, start=1))


def _primary_contact(session: Session, customer: Customer, contact_id: str | None) -> Contact | None:
    if contact_id:
        contact = session.get(Contact, contact_id)
        if contact is not None and contact.deleted_at is None:
            return contact
    return session.scalars(select(Contact).where(Contact.customer_id == customer.id, Contact.deleted_at.is_(None))
                           .order_by(Contact.is_primary.desc(), Contact.created_at).limit(1)).first()


def _fill_parties(session: Session, contract: Contract, customer: Customer, contact_id: str | None,
                  company: CompanyProfile) -> None:
    contact = _primary_contact(session, customer, contact_id)
    contract.seller_name = company.name[:200]
    contract.buyer_name = customer.name
    contract.buyer_contact = contact.name if contact is not None else (customer.name if customer.kind != "company"
                                                                       else None)
    contract.buyer_phone = (contact.phone if contact is not None and contact.phone else customer.phone)
    contract.buyer_address = customer.address
    contract.buyer_tax_id = customer.uscc if customer.kind == "company" else None


def _render(session: Session, contract: Contract, company: CompanyProfile) -> str:
    template = session.get(ContractTemplate, contract.template_id) if contract.template_id else None
    if template is None:
        raise ConflictError(_("The contract's template is missing; make the contract again."))
    quote = session.get(Quote, contract.quote_id) if contract.quote_id else None
    lines = quote_lines(session, quote.id) if quote is not None else []
    values = {
        "contract_number": contract.number, "contract_title": contract.title,
        "customer_name": contract.buyer_name or "", "customer_contact": contract.buyer_contact or "",
        "customer_phone": contract.buyer_phone or "", "customer_address": contract.buyer_address or "",
        "customer_tax_id": contract.buyer_tax_id or "",
        "company_name": company.name, "company_address": company.address, "company_phone": company.phone,
        "company_tax_id": company.tax_id, "company_bank_name": company.bank_name,
        "company_bank_account": company.bank_account,
        "amount": format_yuan(contract.amount), "amount_in_words": amount_in_words(contract.amount),
        "signed_on": _date_text(contract.signed_on), "starts_on": _date_text(contract.starts_on),
        "ends_on": _date_text(contract.ends_on),
        "quote_number": quote.number if quote is not None else "",
        "quote_version": f"V{quote.version}" if quote is not None else "",
        "lines": _lines_text(lines, contract.title, contract.amount),
        "terms": contract.terms or "", "today": _date_text(date.today()),
    }
    return render_template(template.body, values)


def fill_contract_text(session: Session, contract: Contract, company: CompanyProfile) -> None:
    """Give a contract written without the service (the demo's bulk rows) what the service gives one: the
    template by its lines or deal, the parties from the customer and the company profile, the rendered body.
    The caller's session commits (or not); nothing here is audited beyond what that session does."""
    lines = quote_lines(session, contract.quote_id) if contract.quote_id else []
    template = _template_for_use(session, _default_template_code(session, contract.opportunity_id, lines))
    contract.template_id, contract.template_version = template.id, template.version
    _fill_parties(session, contract, _live_customer(session, contract.customer_id), None, company)
    contract.body = _render(session, contract, company)


def _load_company(db: Database) -> CompanyProfile:
    from crmdesk.services.documents import load_company_profile

    return load_company_profile(db)


# ---- making contracts --------------------------------------------------------------------------
_CONTRACT_FIELDS = (
    FieldSpec("title", max_length=200),
    FieldSpec("terms", "longtext", max_length=20000),
    FieldSpec("amount", "money"),
    FieldSpec("starts_on", "date"),
    FieldSpec("ends_on", "date"),
    FieldSpec("template", max_length=40),
)


def _clean_fields(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    cleaned, field_errors = collect_clean_values(_CONTRACT_FIELDS, values, partial=True)
    errors.update(field_errors)
    if cleaned.get("title") == "":
        cleaned.pop("title")
    return cleaned


def _check_dates(starts_on: date | None, ends_on: date | None, errors: dict[str, str]) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        errors.setdefault("ends_on", _("The end cannot be before the start."))


def _default_template_code(session: Session, opportunity_id: str | None, lines: Sequence[_Line]) -> str:
    if any(line.is_vehicle for line in lines):
        return VEHICLE_TEMPLATE
    opportunity = session.get(Opportunity, opportunity_id) if opportunity_id else None
    if opportunity is not None:
        pipeline = session.get(Pipeline, opportunity.pipeline_id)
        if opportunity.kind == "project" or (pipeline is not None and pipeline.kind == "project"):
            return PROJECT_TEMPLATE
        if pipeline is not None and pipeline.kind == "vehicle":
            return VEHICLE_TEMPLATE
    return PROJECT_TEMPLATE if lines else VEHICLE_TEMPLATE


def _live_customer(session: Session, customer_id: str) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise ValidationError({"customer_id": _("Choose an existing customer.")})
    return customer


def _new_contract(session: Session, actor: Actor, company: CompanyProfile, *, customer: Customer,
                  cleaned: dict[str, Any], amount: Decimal, quote: Quote | None, opportunity_id: str | None,
                  source: tuple[str, str], owner_id: str | None, contact_id: str | None,
                  lines: Sequence[_Line]) -> Contract:
    code = cleaned.get("template") or _default_template_code(session, opportunity_id, lines)
    template = _template_for_use(session, code)
    contract = Contract(
        number=next_number(session, "CT"),
        title=cleaned.get("title") or f"{template.name}（{customer.name}）"[:200],
        quote_id=quote.id if quote is not None else None, opportunity_id=opportunity_id,
        customer_id=customer.id, status="draft", amount=round_fen(amount),
        starts_on=cleaned.get("starts_on"), ends_on=cleaned.get("ends_on"),
        terms=cleaned.get("terms") if "terms" in cleaned else (quote.terms if quote is not None else None),
        template_id=template.id, template_version=template.version, owner_id=owner_id or actor.user_id,
        source_type=source[0], source_id=source[1],
    )
    _fill_parties(session, contract, customer, contact_id, company)
    contract.body = _render(session, contract, company)
    session.add(contract)
    session.flush()
    return contract


def create_contract_from_quote(db: Database, actor: Actor, quote_id: str,
                               values: Mapping[str, Any] | None = None) -> Record:
    """A draft contract from an accepted quote version: its customer, amount (the quote's total), lines
    and terms, linked to the quote (quote_id, source) and its opportunity. `values` may give title,
    terms, starts_on, ends_on and template (a template code; by default the vehicle template when a line
    is a vehicle, else by the deal's pipeline). One open contract per quote."""
    errors: dict[str, str] = {}
    cleaned = _clean_fields(values or {}, errors)
    cleaned.pop("amount", None)  # the quote's total is the contract's amount
    _check_dates(cleaned.get("starts_on"), cleaned.get("ends_on"), errors)
    if errors:
        raise ValidationError(errors)
    company = _load_company(db)
    with unit_of_work(db, actor) as session:
        quote = session.scalars(select(Quote).where(Quote.id == quote_id, Quote.deleted_at.is_(None),
                                                    visible_rows(actor, Quote))).first()
        if quote is None:
            raise NotFoundError("quote", quote_id)
        if quote.status != "accepted":
            raise ConflictError(_("Only an accepted quote can become a contract (this one is {status}).",
                                  status=quote.status))
        existing = session.scalar(select(Contract.number).where(
            Contract.quote_id == quote.id, Contract.status.in_(OPEN_STATUSES), Contract.deleted_at.is_(None)))
        if existing is not None:
            raise ConflictError(_("Quote {quote} already has contract {contract}.", quote=quote.number,
                                  contract=existing))
        customer = _live_customer(session, quote.customer_id)
        contract = _new_contract(session, actor, company, customer=customer, cleaned=cleaned, amount=quote.total,
                                 quote=quote, opportunity_id=quote.opportunity_id, source=("quote", quote.id),
                                 owner_id=quote.owner_id, contact_id=quote.contact_id,
                                 lines=quote_lines(session, quote.id))
        return _contract_record(contract, _extra(session, contract))


def create_contract_from_opportunity(db: Database, actor: Actor, opportunity_id: str,
                                     values: Mapping[str, Any] | None = None) -> Record:
    """A draft contract straight from an opportunity (no quote): its customer and amount (the deal's,
    unless `values` gives amount), linked to it. `values` as for create_contract_from_quote, plus amount."""
    errors: dict[str, str] = {}
    cleaned = _clean_fields(values or {}, errors)
    _check_dates(cleaned.get("starts_on"), cleaned.get("ends_on"), errors)
    if errors:
        raise ValidationError(errors)
    company = _load_company(db)
    with unit_of_work(db, actor) as session:
        opportunity = session.scalars(select(Opportunity).where(
            Opportunity.id == opportunity_id, Opportunity.deleted_at.is_(None),
            visible_rows(actor, Opportunity))).first()
        if opportunity is None:
            raise NotFoundError("opportunity", opportunity_id)
        if opportunity.status == "lost":
            raise ConflictError(_("A lost opportunity cannot become a contract."))
        amount = cleaned.get("amount")
        amount = opportunity.amount if amount is None else amount
        if amount <= 0:
            raise ValidationError({"amount": _("Give the contract's amount.")})
        customer = _live_customer(session, opportunity.customer_id)
        contract = _new_contract(session, actor, company, customer=customer, cleaned=cleaned, amount=amount,
                                 quote=None, opportunity_id=opportunity.id, source=("opportunity", opportunity.id),
                                 owner_id=opportunity.owner_id, contact_id=None, lines=())
        return _contract_record(contract, _extra(session, contract))


def update_contract(db: Database, actor: Actor, contract_id: str, changes: Mapping[str, Any]) -> Record:
    """Edit a draft contract (title, terms, amount unless it comes from a quote, starts_on, ends_on,
    template: a code, whose current version is then used); the body is rendered again."""
    errors: dict[str, str] = {}
    cleaned = _clean_fields(changes, errors)
    if errors:
        raise ValidationError(errors)
    company = _load_company(db)
    with unit_of_work(db, actor) as session:
        contract = _load(session, actor, contract_id)
        if contract.status != "draft":
            raise ConflictError(_("Only a draft contract can be changed; a signed one is terminated and made "
                                  "again."))
        if "amount" in cleaned and contract.quote_id is not None and cleaned["amount"] != contract.amount:
            errors["amount"] = _("The amount of a contract made from a quote is the quote's total.")
        if "amount" in cleaned and (cleaned["amount"] is None or cleaned["amount"] <= 0):
            errors["amount"] = _("Give the contract's amount.")
        _check_dates(cleaned.get("starts_on", contract.starts_on), cleaned.get("ends_on", contract.ends_on), errors)
        if errors:
            raise ValidationError(errors)
        code = cleaned.pop("template", None)
        if code:
            template = _template_for_use(session, code)
            contract.template_id, contract.template_version = template.id, template.version
        for key, value in cleaned.items():
            if key == "title" and not value:
                continue
            setattr(contract, key, round_fen(value) if key == "amount" else value)
        contract.body = _render(session, contract, company)
        session.flush()
        return _contract_record(contract, _extra(session, contract))


# ---- status --------------------------------------------------------------------------------------
def _move(contract: Contract, target: str) -> None:
    if target not in TRANSITIONS.get(contract.status, ()):
        raise ConflictError(_("A contract that is {status} cannot become {target}.", status=contract.status,
                              target=target))
    contract.status = target


def sign_contract(db: Database, actor: Actor, contract_id: str, signed_on: date | str | None = None) -> Record:
    """draft -> signed on `signed_on` (today by default); the body is rendered a last time with the date."""
    day = _day(signed_on, "signed_on") or date.today()
    company = _load_company(db)
    with unit_of_work(db, actor) as session:
        contract = _load(session, actor, contract_id)
        _move(contract, "signed")
        contract.signed_on = day
        contract.body = _render(session, contract, company)
        session.flush()
        return _contract_record(contract, _extra(session, contract))


def put_contract_in_force(db: Database, actor: Actor, contract_id: str,
                          starts_on: date | str | None = None) -> Record:
    """signed -> in_force from `starts_on` (by default the start already given, else the signing day)."""
    day = _day(starts_on, "starts_on")
    with unit_of_work(db, actor) as session:
        contract = _load(session, actor, contract_id)
        _move(contract, "in_force")
        contract.starts_on = day or contract.starts_on or contract.signed_on or date.today()
        if contract.ends_on is not None and contract.ends_on < contract.starts_on:
            raise ValidationError({"starts_on": _("The start cannot be after the end ({end}).",
                                                  end=contract.ends_on.isoformat())})
        session.flush()
        return _contract_record(contract, _extra(session, contract))


def finish_contract(db: Database, actor: Actor, contract_id: str, finished_on: date | str | None = None) -> Record:
    """in_force -> finished (both sides did what they agreed)."""
    day = _day(finished_on, "finished_on") or date.today()
    with unit_of_work(db, actor) as session:
        contract = _load(session, actor, contract_id)
        _move(contract, "finished")
        contract.finished_on = day
        session.flush()
        return _contract_record(contract, _extra(session, contract))


def terminate_contract(db: Database, actor: Actor, contract_id: str, reason: str,
                       terminated_on: date | str | None = None) -> Record:
    """draft, signed or in_force -> terminated, with the reason (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the contract is terminated.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("At most {count} characters.", count=MAX_REASON)})
    day = _day(terminated_on, "terminated_on") or date.today()
    with unit_of_work(db, actor) as session:
        contract = _load(session, actor, contract_id)
        _move(contract, "terminated")
        contract.terminated_on, contract.termination_reason = day, reason
        session.flush()
        return _contract_record(contract, _extra(session, contract))


def _day(value: date | str | None, field: str) -> date | None:
    if value is None or value == "":
        return None
    cleaned, errors = collect_clean_values((FieldSpec(field, "date"),), {field: value})
    if errors:
        raise ValidationError(errors)
    return cleaned[field]


# ---- attachments ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    contract_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    note: str | None
    created_at: datetime
    created_by: str | None


def _attachment_info(row: ContractAttachment) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.contract_id, row.filename, row.content_type, row.size, row.sha256, row.note,
                          row.created_at, row.created_by)


def _content_type(filename: str, data: bytes) -> str:
    """The file's type read from its first bytes; ValidationError if it is not one a scan may be, or if
    its name says otherwise."""
    head = data[:16]
    found = next((kind for kind, (magic, _names) in ATTACHMENT_TYPES.items() if head.startswith(magic)), None)
    if found is None and head.startswith(_TIFF_BIG_ENDIAN):
        found = "image/tiff"
    if found is None:
        raise ValidationError({"file": _("Attach a PDF, JPEG, PNG or TIFF file (the signed scan).")})
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ATTACHMENT_TYPES[found][1]:
        raise ValidationError({"file": _("The file {name} is a {kind} file; its name should end in {suffix}.",
                                         name=filename, kind=found.split("/")[-1].upper(),
                                         suffix=ATTACHMENT_TYPES[found][1][0])})
    return found


def add_attachment(db: Database, actor: Actor, contract_id: str, filename: str, data: bytes,
                   note: str | None = None) -> AttachmentInfo:
    """Keep a file (the signed scan: PDF, JPEG, PNG or TIFF, at most ATTACHMENT_MAX_BYTES) with a contract."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > 200:
        raise ValidationError({"file": _("Give the file a name of at most 200 characters.")})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is {size} MB; at most {limit} MB can be attached.",
                                         size=f"{len(data) / 1024 / 1024:.1f}",
                                         limit=ATTACHMENT_MAX_BYTES // 1024 // 1024)})
    content_type = _content_type(name, data)
    note = (note or "").strip() or None
    if note is not None and len(note) > 200:
        raise ValidationError({"note": _("At most {count} characters.", count=200)})
    with unit_of_work(db, actor) as session:
        contract = _load(session, actor, contract_id)
        row = ContractAttachment(contract_id=contract.id, filename=name, content_type=content_type, size=len(data),
                                 sha256=hashlib.sha256(data).hexdigest(), data=bytes(data), note=note)
        session.add(row)
        session.flush()
        return _attachment_info(row)


def list_attachments(db: Database, actor: Actor, contract_id: str) -> list[AttachmentInfo]:
    """A contract's attachments, oldest first (without their bytes)."""
    with read_session(db) as session:
        contract = _load(session, actor, contract_id)
        rows = session.scalars(select(ContractAttachment).where(
            ContractAttachment.contract_id == contract.id, ContractAttachment.deleted_at.is_(None))
            .order_by(ContractAttachment.created_at, ContractAttachment.id))
        return [_attachment_info(row) for row in rows]


def _attachment(session: Session, actor: Actor, attachment_id: str) -> ContractAttachment:
    row = session.get(ContractAttachment, attachment_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError("contract_attachment", attachment_id)
    _load(session, actor, row.contract_id)  # the actor may see its contract
    return row


def attachment_data(db: Database, actor: Actor, attachment_id: str) -> tuple[AttachmentInfo, bytes]:
    """An attachment and its bytes (to open or save it)."""
    with read_session(db) as session:
        row = _attachment(session, actor, attachment_id)
        return _attachment_info(row), bytes(row.data)


def remove_attachment(db: Database, actor: Actor, attachment_id: str) -> None:
    """Take an attachment off its contract (a tombstone, audited, so the removal syncs)."""
    with unit_of_work(db, actor) as session:
        _attachment(session, actor, attachment_id).deleted_at = utcnow()


# ---- the printed contract ------------------------------------------------------------------------
def contract_document(db: Database, actor: Actor, contract_id: str) -> ContractDocument:
    """What the contract PDF is drawn from: letterhead, parties, the rendered body, amount, the quote's
    lines and the payment plan's installments."""
    company = _load_company(db)
    with unit_of_work(db, actor) as session:
        contract = _load(session, actor, contract_id)
        # A PDF is what the customer signs: who made one is audited ("print").
        session.add(AuditEntry(at=utcnow(), user_id=actor.user_id, action="print", entity_type="contracts",
                               entity_id=contract.id, new_value=contract.number))
        quote = session.get(Quote, contract.quote_id) if contract.quote_id else None
        lines = quote_lines(session, quote.id) if quote is not None else []
        plan_id = session.scalar(select(PaymentPlan.id).where(
            PaymentPlan.contract_id == contract.id, PaymentPlan.deleted_at.is_(None))
            .order_by(PaymentPlan.created_at.desc()).limit(1))
        installments = list(session.scalars(select(Installment).where(
            Installment.plan_id == plan_id, Installment.deleted_at.is_(None))
            .order_by(Installment.sequence, Installment.due_date))) if plan_id else []
        return ContractDocument(
            number=contract.number, title=contract.title, company=company,
            customer=PartyBlock(name=contract.buyer_name or "", contact=contract.buyer_contact or "",
                                phone=contract.buyer_phone or "", address=contract.buyer_address or "",
                                tax_id=contract.buyer_tax_id or ""),
            body=contract.body or "", amount=contract.amount, signed_on=contract.signed_on,
            starts_on=contract.starts_on, ends_on=contract.ends_on,
            quote_number=quote.number if quote is not None else "",
            quote_version=quote.version if quote is not None else None,
            template_version=contract.template_version,
            lines=tuple(_document_line(index, line) for index, line in enumerate(lines, start=1)),
            installments=tuple(InstallmentLine(item.sequence, item.due_date, item.amount, item.note or "")
                               for item in installments),
        )


def _document_line(index: int, line: _Line) -> DocumentLine:
    # Prices include VAT (含税价): the discount is what the quantity at the unit price exceeds the total by.
    gross = round_fen(line.quantity * line.unit_price)
    return DocumentLine(position=index, description=line.description, quantity=line.quantity, unit=line.unit,
                        unit_price=line.unit_price, discount=max(gross - line.line_total, Decimal("0.00")),
                        tax_rate_bp=line.tax_rate_bp, line_total=line.line_total, code=line.code)
