"""The catalog: products (vehicles with model, trim and colour), price lists, the price of a product on a
list, and the product picker's search (code, Chinese or English name, pinyin and its initials).

Prices are retail prices with VAT included (含税价), as Chinese price lists quote them; `tax_rate_bp` is
the VAT rate in basis points (1300 = 13 %), used to show the tax a price contains.

The price of a product on a list: the list's own price if the list holds the product and is valid on
the day, else the default list's price (when it is valid on the day), else the product's list price.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import PriceList, PriceListItem, Product
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services.entities import EntityService, ListColumn, ListQuery, Record, visible_rows
from crmdesk.services.errors import NotFoundError, UserError, ValidationError
from crmdesk.services.fields import FieldSpec, collect_clean_values, strip_unstorable
from crmdesk.services.money import round_fen
from crmdesk.services.text import name_pinyin
from crmdesk.services.uow import Actor, read_session, unit_of_work

CATALOG_EDITOR_ROLES = ("manager", "admin")
MAX_TAX_RATE_BP = 10000
SEARCH_LIMIT = 50
VAT_RATES_BP = (0, 100, 300, 500, 600, 900, 1300)  # the rates in use; others are accepted, not suggested

PRODUCT_FIELDS = (
    FieldSpec("code", required=True, max_length=64),
    FieldSpec("name_zh", required=True, max_length=200),
    FieldSpec("name_en", max_length=200),
    FieldSpec("unit", max_length=20),
    FieldSpec("list_price", "money", required=True),
    FieldSpec("tax_rate_bp", "int", minimum=0, maximum=MAX_TAX_RATE_BP),
    FieldSpec("category", max_length=100),
    FieldSpec("is_vehicle", "bool"),
    FieldSpec("model", max_length=100),
    FieldSpec("trim", max_length=100),
    FieldSpec("colour", max_length=50),
    FieldSpec("active", "bool"),
)


def may_edit_catalog(actor: Actor) -> bool:
    return actor.role in CATALOG_EDITOR_ROLES


def _require_editor(actor: Actor) -> None:
    if not may_edit_catalog(actor):
        raise UserError(_("Only a manager can change the catalog and the price lists."))


def _pinyin_of(name: str) -> tuple[str | None, str | None]:
    full, initials = name_pinyin(name, person=False)
    return full or None, initials or None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_terms(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", strip_unstorable(text or "")).strip().lower()
    # A word longer than any product field cannot match one: cut, so LIKE's pattern stays small.
    return [term[:201] for term in re.split(r"\s+", text) if term][:5]


def _term_condition(term: str) -> ColumnElement[bool]:
    """One typed word matches a product by code, name (Chinese or English), model, trim, or pinyin."""
    like_any = f"%{_like_escape(term)}%"
    conditions: list[ColumnElement[bool]] = [
        func.lower(Product.code).like(like_any, escape="\\"),
        Product.name_zh.like(like_any, escape="\\"),
        func.lower(Product.name_en).like(like_any, escape="\\"),
        func.lower(Product.model).like(like_any, escape="\\"),
        func.lower(Product.trim).like(like_any, escape="\\"),
    ]
    letters = re.sub(r"[^a-z0-9]", "", term)
    if letters and letters == term:  # pinyin is typed as plain letters: 三年延保 by yanbao or snyb (or yb)
        conditions += [Product.name_pinyin.like(f"%{letters}%"), Product.name_initials.like(f"%{letters}%")]
    return or_(*conditions)


def _search_condition(text: str) -> ColumnElement[bool] | None:
    terms = _search_terms(text)
    return and_(*(_term_condition(term) for term in terms)) if terms else None


class ProductService(EntityService):
    """Products: create and edit (managers), list with search and filters (everyone)."""

    model = Product
    entity = "product"
    fields = PRODUCT_FIELDS
    columns = (
        ListColumn("code", "code"),
        ListColumn("name_zh"),
        ListColumn("name_en"),
        ListColumn("category"),
        ListColumn("unit"),
        ListColumn("list_price", "money"),
        ListColumn("tax_rate_bp", "int"),
        ListColumn("is_vehicle", "bool"),
        ListColumn("model"),
        ListColumn("trim"),
        ListColumn("colour"),
        ListColumn("active", "bool"),
    )
    filterable = ("category", "is_vehicle", "active")
    default_sort = ("code", False)
    owner_defaults_to_actor = False  # products have no owner
    masked = ()

    def _where(self, actor: Actor, query: ListQuery) -> list[ColumnElement[bool]] | None:
        conditions = super()._where(actor, ListQuery(query.sort_key, query.descending, "", query.filters))
        if conditions is not None and query.search.strip():
            condition = _search_condition(query.search)
            if condition is not None:
                conditions.append(condition)
        return conditions

    def _check(self, session: Session, actor: Actor, values: dict[str, Any], obj: Any | None,
               errors: dict[str, str]) -> None:
        if "code" in values:
            values["code"] = values["code"].strip()
            clash = session.scalar(select(Product.id).where(
                func.lower(Product.code) == values["code"].lower(), Product.id != (obj.id if obj else "")))
            if clash is not None:
                errors.setdefault("code", _("Another product already has the code {code}.", code=values["code"]))
        for key, default in (("unit", "台"), ("tax_rate_bp", 1300), ("is_vehicle", False), ("active", True)):
            if key in values and values[key] is None:
                values[key] = default if obj is None else getattr(obj, key)
        is_vehicle = values.get("is_vehicle", obj.is_vehicle if obj is not None else False)
        model = values.get("model", obj.model if obj is not None else None)
        if is_vehicle and not model:
            errors.setdefault("model", _("A vehicle needs its model."))
        if "name_zh" in values:
            values["name_pinyin"], values["name_initials"] = _pinyin_of(values["name_zh"])
        if values.get("list_price") is not None:
            values["list_price"] = round_fen(values["list_price"])

    def create(self, actor: Actor, values: Mapping[str, Any]) -> Record:
        _require_editor(actor)
        return super().create(actor, values)

    def update(self, actor: Actor, entity_id: str, changes: Mapping[str, Any]) -> Record:
        _require_editor(actor)
        return super().update(actor, entity_id, changes)

    def delete(self, actor: Actor, entity_id: str) -> None:
        """Products are not deleted (old quotes and orders name them): they are made inactive."""
        self.update(actor, entity_id, {"active": False})

    def delete_many(self, actor: Actor, entity_ids: Sequence[str]) -> int:
        for entity_id in entity_ids:
            self.delete(actor, entity_id)
        return len(entity_ids)


# ---- the picker ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductHit:
    """A product as the picker shows it; `price` is its price on the list asked for (tax included)."""

    id: str
    code: str
    name_zh: str
    name_en: str | None
    unit: str
    list_price: Decimal
    price: Decimal
    tax_rate_bp: int
    category: str | None
    is_vehicle: bool
    model: str | None
    trim: str | None
    colour: str | None
    active: bool

    @property
    def label(self) -> str:
        """What a line shows: the name, and for a car its trim and colour."""
        extras = [part for part in (self.trim, self.colour) if part and part not in self.name_zh]
        return " ".join([self.name_zh, *extras])


def search_products(db: Database, actor: Actor, text: str, limit: int = 20, *, price_list_id: str | None = None,
                    include_inactive: bool = False, on: date | None = None) -> list[ProductHit]:
    """Products matching every word of `text` (anywhere in the code, the Chinese or English name, the model
    or trim, the name's pinyin or its initials: 三年延保 by "yanbao" or "snyb"), best first: the exact code,
    then codes, names and pinyin starting with the text, then the rest by code. Empty text: the first by code."""
    limit = max(1, min(limit, SEARCH_LIMIT))
    conditions: list[ColumnElement[bool]] = [Product.deleted_at.is_(None), visible_rows(actor, Product)]
    if not include_inactive:
        conditions.append(Product.active.is_(True))
    condition = _search_condition(text)
    if condition is not None:
        conditions.append(condition)
    terms = _search_terms(text)
    first = terms[0] if terms else ""
    start = f"{_like_escape(first)}%"
    rank = case(
        (func.lower(Product.code) == first, 0),
        (func.lower(Product.code).like(start, escape="\\"), 1),
        (or_(Product.name_zh.like(start, escape="\\"), Product.name_pinyin.like(start, escape="\\"),
             Product.name_initials.like(start, escape="\\")), 2),
        else_=3,
    ) if first else None
    order = [rank, Product.code] if rank is not None else [Product.code]
    statement = select(Product).where(*conditions).order_by(*order).limit(limit)
    with read_session(db) as session:
        products = list(session.scalars(statement))
        prices = prices_on_list(session, [p.id for p in products], price_list_id, on or date.today())
        return [_hit(product, prices.get(product.id, product.list_price)) for product in products]


def _hit(product: Product, price: Decimal) -> ProductHit:
    return ProductHit(product.id, product.code, product.name_zh, product.name_en, product.unit or "",
                      product.list_price, price, product.tax_rate_bp, product.category, product.is_vehicle,
                      product.model, product.trim, product.colour, product.active)


def get_product(db: Database, actor: Actor, product_id: str, *, price_list_id: str | None = None) -> ProductHit:
    with read_session(db) as session:
        product = load_product(session, product_id)
        return _hit(product, price_for(session, product, price_list_id))


def product_by_code(db: Database, actor: Actor, code: str, *, price_list_id: str | None = None) -> ProductHit | None:
    """The product with this code (case does not matter), or None."""
    with read_session(db) as session:
        product = session.scalars(select(Product).where(func.lower(Product.code) == code.strip().lower(),
                                                        Product.deleted_at.is_(None),
                                                        visible_rows(actor, Product))).first()
        return _hit(product, price_for(session, product, price_list_id)) if product is not None else None


def load_product(session: Session, product_id: str) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        raise NotFoundError("product", product_id)
    return product


# ---- prices ------------------------------------------------------------------------------------------
def _valid_on(price_list: PriceList, day: date) -> bool:
    return (price_list.valid_from is None or price_list.valid_from <= day) and (
        price_list.valid_to is None or day <= price_list.valid_to)


def _default_list(session: Session) -> PriceList | None:
    return session.scalars(select(PriceList).where(PriceList.is_default.is_(True), PriceList.deleted_at.is_(None))
                           .order_by(PriceList.created_at).limit(1)).first()


def prices_on_list(session: Session, product_ids: Sequence[str], price_list_id: str | None,
                   day: date) -> dict[str, Decimal]:
    """product id -> its price on `price_list_id` (or the default list) for the products that list holds;
    products not in it are left out (their list price applies)."""
    if not product_ids:
        return {}
    lists: list[PriceList] = []
    if price_list_id:
        chosen = session.get(PriceList, price_list_id)
        if chosen is not None and chosen.deleted_at is None and _valid_on(chosen, day):
            lists.append(chosen)
    default = _default_list(session)
    if default is not None and _valid_on(default, day) and default not in lists:
        lists.append(default)
    prices: dict[str, Decimal] = {}
    for price_list in lists:
        rows = session.execute(select(PriceListItem.product_id, PriceListItem.price).where(
            PriceListItem.price_list_id == price_list.id, PriceListItem.product_id.in_(product_ids),
            PriceListItem.deleted_at.is_(None)))
        for product_id, price in rows:
            prices.setdefault(product_id, price)  # the chosen list wins over the default one
    return prices


def price_for(session: Session, product: Product, price_list_id: str | None = None, day: date | None = None) -> Decimal:
    """The product's price (tax included) on the list, else on the default list, else its list price."""
    prices = prices_on_list(session, [product.id], price_list_id, day or date.today())
    return prices.get(product.id, product.list_price)


def product_price(db: Database, product_id: str, price_list_id: str | None = None, day: date | None = None) -> Decimal:
    with read_session(db) as session:
        return price_for(session, load_product(session, product_id), price_list_id, day)


@dataclass(frozen=True)
class PriceListInfo:
    id: str
    name: str
    currency: str
    valid_from: date | None
    valid_to: date | None
    is_default: bool
    item_count: int = 0


@dataclass(frozen=True)
class PriceListEntry:
    product_id: str
    code: str
    name_zh: str
    list_price: Decimal
    price: Decimal


PRICE_LIST_FIELDS = (
    FieldSpec("name", required=True, max_length=100),
    FieldSpec("valid_from", "date"),
    FieldSpec("valid_to", "date"),
    FieldSpec("is_default", "bool"),
)


def _list_info(session: Session, price_list: PriceList) -> PriceListInfo:
    count = session.scalar(select(func.count()).select_from(PriceListItem).where(
        PriceListItem.price_list_id == price_list.id, PriceListItem.deleted_at.is_(None))) or 0
    return PriceListInfo(price_list.id, price_list.name, price_list.currency, price_list.valid_from,
                         price_list.valid_to, price_list.is_default, int(count))


def _load_list(session: Session, price_list_id: str) -> PriceList:
    price_list = session.get(PriceList, price_list_id)
    if price_list is None or price_list.deleted_at is not None:
        raise NotFoundError("price_list", price_list_id)
    return price_list


def _clean_list_values(session: Session, values: Mapping[str, Any], existing: PriceList | None) -> dict[str, Any]:
    cleaned, errors = collect_clean_values(PRICE_LIST_FIELDS, values, partial=existing is not None)
    start = cleaned.get("valid_from", existing.valid_from if existing else None)
    end = cleaned.get("valid_to", existing.valid_to if existing else None)
    if start and end and end < start:
        errors.setdefault("valid_to", _("The end date cannot be before the start date."))
    if "name" in cleaned:
        clash = session.scalar(select(PriceList.id).where(
            PriceList.name == cleaned["name"], PriceList.deleted_at.is_(None),
            PriceList.id != (existing.id if existing else "")))
        if clash is not None:
            errors.setdefault("name", _("Another price list is called {name}.", name=cleaned["name"]))
    if errors:
        raise ValidationError(errors)
    if cleaned.get("is_default") is None:
        cleaned.pop("is_default", None)
    return cleaned


def _make_default(session: Session, price_list: PriceList) -> None:
    """One default list: the others stop being it."""
    for other in session.scalars(select(PriceList).where(PriceList.is_default.is_(True), PriceList.id != price_list.id,
                                                         PriceList.deleted_at.is_(None))):
        other.is_default = False
    price_list.is_default = True


def create_price_list(db: Database, actor: Actor, values: Mapping[str, Any]) -> PriceListInfo:
    """A new price list ({"name", "valid_from", "valid_to", "is_default"}); managers only."""
    _require_editor(actor)
    with unit_of_work(db, actor) as session:
        cleaned = _clean_list_values(session, values, None)
        make_default = bool(cleaned.pop("is_default", False))
        price_list = PriceList(currency="CNY", is_default=False, **cleaned)
        session.add(price_list)
        session.flush()
        if make_default:
            _make_default(session, price_list)
        session.flush()
        return _list_info(session, price_list)


def update_price_list(db: Database, actor: Actor, price_list_id: str, changes: Mapping[str, Any]) -> PriceListInfo:
    _require_editor(actor)
    with unit_of_work(db, actor) as session:
        price_list = _load_list(session, price_list_id)
        cleaned = _clean_list_values(session, changes, price_list)
        make_default = cleaned.pop("is_default", None)
        for key, value in cleaned.items():
            setattr(price_list, key, value)
        if make_default:
            _make_default(session, price_list)
        elif make_default is False:
            price_list.is_default = False
        session.flush()
        return _list_info(session, price_list)


def delete_price_list(db: Database, actor: Actor, price_list_id: str) -> None:
    """Soft delete; quotes made from it keep their prices (each line holds its own)."""
    _require_editor(actor)
    with unit_of_work(db, actor) as session:
        price_list = _load_list(session, price_list_id)
        price_list.deleted_at = utcnow()
        price_list.is_default = False


def price_lists(db: Database, actor: Actor) -> list[PriceListInfo]:
    """Every live price list, the default first, then by name."""
    with read_session(db) as session:
        lists = session.scalars(select(PriceList).where(PriceList.deleted_at.is_(None), visible_rows(actor, PriceList))
                                .order_by(PriceList.is_default.desc(), PriceList.name))
        return [_list_info(session, price_list) for price_list in lists]


def default_price_list(db: Database) -> PriceListInfo | None:
    with read_session(db) as session:
        price_list = _default_list(session)
        return _list_info(session, price_list) if price_list is not None else None


def set_list_price(db: Database, actor: Actor, price_list_id: str, product_id: str,
                   price: Decimal | str | None) -> PriceListEntry | None:
    """Set a product's price on a list (tax included), or take the product off the list with None."""
    _require_editor(actor)
    with unit_of_work(db, actor) as session:
        return _set_list_price(session, price_list_id, product_id, price)


def set_list_prices(db: Database, actor: Actor, price_list_id: str,
                    prices: Mapping[str, Decimal | str | None]) -> int:
    """Several products' prices on one list in one transaction (product id -> price or None)."""
    _require_editor(actor)
    errors: dict[str, str] = {}
    with unit_of_work(db, actor) as session:
        for product_id, price in prices.items():
            try:
                _set_list_price(session, price_list_id, product_id, price)
            except ValidationError as error:
                errors[product_id] = next(iter(error.errors.values()))
        if errors:
            raise ValidationError(errors)
    return len(prices)


def _set_list_price(session: Session, price_list_id: str, product_id: str,
                    price: Decimal | str | None) -> PriceListEntry | None:
    price_list = _load_list(session, price_list_id)
    product = load_product(session, product_id)
    item = session.scalar(select(PriceListItem).where(PriceListItem.price_list_id == price_list.id,
                                                      PriceListItem.product_id == product.id))
    if price is None or (isinstance(price, str) and not price.strip()):
        if item is not None and item.deleted_at is None:
            item.deleted_at = utcnow()
        return None
    cleaned, errors = collect_clean_values((FieldSpec("price", "money", required=True),), {"price": price})
    if errors:
        raise ValidationError(errors)
    amount: Decimal = round_fen(cleaned["price"])
    if item is None:
        item = PriceListItem(price_list_id=price_list.id, product_id=product.id, price=amount)
        session.add(item)
    else:
        item.price, item.deleted_at = amount, None
    session.flush()
    return PriceListEntry(product.id, product.code, product.name_zh, product.list_price, amount)


def price_list_entries(db: Database, actor: Actor, price_list_id: str) -> list[PriceListEntry]:
    """The products a list prices, by code."""
    with read_session(db) as session:
        _load_list(session, price_list_id)
        rows = session.execute(
            select(Product.id, Product.code, Product.name_zh, Product.list_price, PriceListItem.price)
            .join(PriceListItem, PriceListItem.product_id == Product.id)
            .where(PriceListItem.price_list_id == price_list_id, PriceListItem.deleted_at.is_(None),
                   Product.deleted_at.is_(None))
            .order_by(Product.code))
        return [PriceListEntry(*row) for row in rows]


# ---- import ------------------------------------------------------------------------------------------
# Headers a catalog file may use, Chinese or English, for each product field.
IMPORT_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("code", "编码", "产品编码", "物料编码"),
    "name_zh": ("name_zh", "name", "名称", "产品名称"),
    "name_en": ("name_en", "英文名称"),
    "unit": ("unit", "单位"),
    "list_price": ("list_price", "price", "价格", "指导价", "零售价", "单价"),
    "tax_rate_bp": ("tax_rate_bp", "tax_rate", "税率"),
    "category": ("category", "类别", "分类"),
    "is_vehicle": ("is_vehicle", "整车", "是否整车"),
    "model": ("model", "车型"),
    "trim": ("trim", "配置"),
    "colour": ("colour", "color", "颜色"),
    "active": ("active", "在售", "启用"),
}


@dataclass(frozen=True)
class ProductImportResult:
    created: int
    updated: int


def parse_tax_rate(raw: str) -> int:
    """A VAT rate as people write it, in basis points: "13%", "13" or "0.13" -> 1300; "1300" (already basis
    points, above 100) -> 1300. ValueError for anything else or outside 0-100 %."""
    text = str(raw).strip().replace("％", "%")
    try:
        if text.endswith("%"):
            value = Decimal(text[:-1].strip()) * 100
        else:
            number = Decimal(text)
            value = number * 10000 if number < 1 else number * 100 if number <= 100 else number
    except ArithmeticError as error:
        raise ValueError(text) from error
    if not value.is_finite() or value != value.to_integral_value() or not 0 <= value <= MAX_TAX_RATE_BP:
        raise ValueError(text)
    return int(value)


def import_products(db: Database, actor: Actor, rows: Iterable[Mapping[str, str]]) -> ProductImportResult:
    """Create or update products from rows keyed by the headers of IMPORT_HEADERS (a product with the
    same code is updated). All or nothing: one ValidationError naming every bad row ("row 3: list_price")."""
    _require_editor(actor)
    service = ProductService(db)
    created = updated = 0
    errors: dict[str, str] = {}
    with unit_of_work(db, actor) as session:
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            values: dict[str, Any] = {}
            lowered = {str(key).strip().lower(): value for key, value in row.items() if key is not None}
            for field_name, headers in IMPORT_HEADERS.items():
                for header in headers:
                    if header.lower() in lowered and str(lowered[header.lower()] or "").strip():
                        values[field_name] = str(lowered[header.lower()]).strip()
                        break
            if "tax_rate_bp" in values:
                try:
                    values["tax_rate_bp"] = parse_tax_rate(values["tax_rate_bp"])
                except ValueError:
                    errors[f"row {number}: tax_rate_bp"] = _("A VAT rate such as 13% or 6%.")
                    continue
            existing = session.scalar(select(Product).where(
                func.lower(Product.code) == values["code"].lower())) if values.get("code") else None
            if existing is not None:
                del values["code"]  # found by its code: the code stays as it was written
            try:
                cleaned = service._validate(session, actor, values, existing)
            except ValidationError as error:
                for field_name, message in error.errors.items():
                    errors[f"row {number}: {field_name}"] = message
                continue
            if existing is None:
                session.add(Product(**{"unit": "台", "tax_rate_bp": 1300, "is_vehicle": False, "active": True,
                                       **{k: v for k, v in cleaned.items() if v is not None}}))
                created += 1
            else:
                for key, value in cleaned.items():
                    setattr(existing, key, value)
                updated += 1
            session.flush()
        if errors:
            raise ValidationError(errors)
    return ProductImportResult(created, updated)


def read_product_file(content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV catalog file (UTF-8 with or without BOM, or GB18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError({"file": _("The file is neither UTF-8 nor GB18030 text.")})
    try:
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    except csv.Error as error:  # a cell over the csv module's field limit, a stray NUL or quote
        raise ValidationError({"file": _("The file cannot be read as CSV: {detail}", detail=error)}) from error
