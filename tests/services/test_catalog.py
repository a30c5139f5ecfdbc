"""The catalog: products (managers edit, everyone reads), the picker's search by code, name and pinyin, price
lists with one default, the price of a product on a list, and the CSV import (all or nothing)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crmdesk.models import Product
from crmdesk.services import catalog
from crmdesk.services.catalog import ProductService
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session


@pytest.fixture
def products(services: Services) -> ProductService:
    return ProductService(services.db)


@pytest.fixture
def rep(consultant: str) -> Actor:
    return Actor(user_id=consultant, display_name="王磊", role="consultant")


def _add(products: ProductService, actor: Actor, code: str, name: str, price: str, **extra: object) -> str:
    return products.create(actor, {"code": code, "name_zh": name, "list_price": price, **extra}).id


@pytest.fixture
def book(products: ProductService, actor: Actor) -> dict[str, str]:
    return {
        "s5": _add(products, actor, "HC-S5-LUX", "华驰 S5 豪华版", "189800", is_vehicle=True, model="S5",
                   trim="豪华版", colour="珍珠白", category="整车", name_en="Huachi S5 Luxury"),
        "s5b": _add(products, actor, "HC-S5-STD", "华驰 S5 标准版", "159800", is_vehicle=True, model="S5",
                    trim="标准版", colour="曜石黑", category="整车"),
        "warranty": _add(products, actor, "EW-3Y", "三年延保", "3000", tax_rate_bp=600, category="服务", unit="份"),
        "mats": _add(products, actor, "ACC-MAT", "脚垫", "399.5", category="精品", unit="套"),
    }


def test_a_product_is_stored_with_its_defaults_and_pinyin(products: ProductService, actor: Actor,
                                                          book: dict[str, str]) -> None:
    record = products.get(actor, book["mats"])
    assert record["list_price"] == Decimal("399.50")
    assert record["tax_rate_bp"] == 1300 and record["active"] is True and record["is_vehicle"] is False
    with read_session(products.db) as session:
        product = session.get(Product, book["warranty"])
        assert product is not None
        assert (product.name_pinyin, product.name_initials) == ("sannianyanbao", "snyb")


def test_codes_are_unique_whatever_their_case(products: ProductService, actor: Actor, book: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as refused:
        _add(products, actor, "hc-s5-lux", "另一个", "1")
    assert set(refused.value.errors) == {"code"}
    with read_session(products.db) as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 4


def test_a_vehicle_needs_its_model_and_bad_fields_are_named(products: ProductService, actor: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        products.create(actor, {"code": "X", "name_zh": "车", "list_price": "-1", "tax_rate_bp": 20000,
                                "is_vehicle": True})
    assert set(refused.value.errors) == {"list_price", "tax_rate_bp", "model"}


def test_only_managers_change_the_catalog(products: ProductService, rep: Actor, actor: Actor,
                                          book: dict[str, str]) -> None:
    with pytest.raises(UserError):
        _add(products, rep, "NEW", "新品", "10")
    with pytest.raises(UserError):
        products.update(rep, book["mats"], {"list_price": "1"})
    with pytest.raises(UserError):
        catalog.create_price_list(products.db, rep, {"name": "经销商价"})
    assert products.get(rep, book["mats"])["list_price"] == Decimal("399.50")  # everyone reads


def test_deleting_a_product_makes_it_inactive(products: ProductService, actor: Actor, book: dict[str, str]) -> None:
    products.delete(actor, book["mats"])
    record = products.get(actor, book["mats"])
    assert record["active"] is False and record["deleted_at"] is None
    assert [hit.code for hit in catalog.search_products(products.db, actor, "脚垫")] == []
    assert [hit.code for hit in catalog.search_products(products.db, actor, "脚垫", include_inactive=True)] == ["ACC-MAT"]


@pytest.mark.parametrize(("text", "codes"), [
    ("HC-S5-LUX", ["HC-S5-LUX"]),
    ("hc-s5", ["HC-S5-LUX", "HC-S5-STD"]),
    ("豪华", ["HC-S5-LUX"]),
    ("华驰", ["HC-S5-LUX", "HC-S5-STD"]),
    ("huachi", ["HC-S5-LUX", "HC-S5-STD"]),  # pinyin of the Chinese name (and the English name)
    ("snyb", ["EW-3Y"]),  # initials
    ("yanbao", ["EW-3Y"]),  # pinyin inside the name
    ("luxury", ["HC-S5-LUX"]),  # the English name
    ("s5 标准", ["HC-S5-STD"]),  # every word must match
    ("100%", []),  # LIKE wildcards are taken literally
    ("_", []),
])
def test_the_picker_finds_products_by_code_name_and_pinyin(services: Services, rep: Actor, book: dict[str, str],
                                                           text: str, codes: list[str]) -> None:
    assert [hit.code for hit in catalog.search_products(services.db, rep, text)] == codes


def test_the_picker_ranks_the_exact_code_first_and_respects_the_limit(products: ProductService, actor: Actor,
                                                                      book: dict[str, str]) -> None:
    _add(products, actor, "ACC", "精品礼包", "99")
    hits = catalog.search_products(products.db, actor, "acc")
    assert [hit.code for hit in hits] == ["ACC", "ACC-MAT"]
    assert len(catalog.search_products(products.db, actor, "", limit=2)) == 2
    assert [hit.code for hit in catalog.search_products(products.db, actor, "")] == [
        "ACC", "ACC-MAT", "EW-3Y", "HC-S5-LUX", "HC-S5-STD"]


def test_a_hit_carries_its_label_and_price(services: Services, rep: Actor, book: dict[str, str]) -> None:
    hit = catalog.search_products(services.db, rep, "HC-S5-LUX")[0]
    assert hit.label == "华驰 S5 豪华版 珍珠白"  # the trim is in the name already: not repeated
    assert hit.price == hit.list_price == Decimal("189800.00")
    assert catalog.product_by_code(services.db, rep, "hc-s5-lux") is not None
    assert catalog.product_by_code(services.db, rep, "nothing") is None


def test_the_product_list_searches_and_filters_in_sql(products: ProductService, rep: Actor,
                                                      book: dict[str, str]) -> None:
    query = ListQuery(search="华驰", filters={"is_vehicle": True})
    assert products.count(rep, query) == 2
    assert [row[1] for row in products.page(rep, query, 0, 10)] == ["HC-S5-LUX", "HC-S5-STD"]
    assert products.count(rep, ListQuery(filters={"category": "服务"})) == 1


def test_the_price_on_a_list_then_the_default_list_then_the_list_price(products: ProductService, actor: Actor,
                                                                       book: dict[str, str]) -> None:
    db = products.db
    assert catalog.product_price(db, book["s5"]) == Decimal("189800.00")  # no lists yet
    default = catalog.create_price_list(db, actor, {"name": "2026 零售价", "is_default": True})
    dealer = catalog.create_price_list(db, actor, {"name": "大客户价"})
    catalog.set_list_price(db, actor, default.id, book["s5"], "185000")
    catalog.set_list_price(db, actor, dealer.id, book["s5"], Decimal("179999.99"))
    catalog.set_list_price(db, actor, default.id, book["warranty"], "2800")

    assert catalog.product_price(db, book["s5"]) == Decimal("185000.00")  # the default list
    assert catalog.product_price(db, book["s5"], dealer.id) == Decimal("179999.99")  # the chosen list
    assert catalog.product_price(db, book["warranty"], dealer.id) == Decimal("2800.00")  # not on it: the default
    assert catalog.product_price(db, book["mats"], dealer.id) == Decimal("399.50")  # on neither: the list price
    hit = catalog.search_products(db, actor, "HC-S5-LUX", price_list_id=dealer.id)[0]
    assert hit.price == Decimal("179999.99") and hit.list_price == Decimal("189800.00")

    catalog.set_list_price(db, actor, dealer.id, book["s5"], None)  # off the list
    assert catalog.product_price(db, book["s5"], dealer.id) == Decimal("185000.00")
    catalog.set_list_price(db, actor, dealer.id, book["s5"], "178000")  # back on it (the same row revived)
    assert catalog.product_price(db, book["s5"], dealer.id) == Decimal("178000.00")
    assert [entry.code for entry in catalog.price_list_entries(db, actor, default.id)] == ["EW-3Y", "HC-S5-LUX"]


def test_a_list_outside_its_dates_does_not_price(products: ProductService, actor: Actor, book: dict[str, str]) -> None:
    db = products.db
    today = date.today()
    promotion = catalog.create_price_list(db, actor, {"name": "双十一", "valid_from": today - timedelta(days=30),
                                                      "valid_to": today - timedelta(days=1)})
    catalog.set_list_price(db, actor, promotion.id, book["s5"], "170000")
    assert catalog.product_price(db, book["s5"], promotion.id) == Decimal("189800.00")
    assert catalog.product_price(db, book["s5"], promotion.id, today - timedelta(days=2)) == Decimal("170000.00")
    with pytest.raises(ValidationError) as refused:
        catalog.create_price_list(db, actor, {"name": "反了", "valid_from": today, "valid_to": today - timedelta(days=1)})
    assert set(refused.value.errors) == {"valid_to"}


def test_there_is_one_default_list(products: ProductService, actor: Actor) -> None:
    db = products.db
    first = catalog.create_price_list(db, actor, {"name": "A", "is_default": True})
    second = catalog.create_price_list(db, actor, {"name": "B", "is_default": True})
    assert [(item.name, item.is_default) for item in catalog.price_lists(db, actor)] == [("B", True), ("A", False)]
    default = catalog.default_price_list(db)
    assert default is not None and default.id == second.id
    catalog.update_price_list(db, actor, first.id, {"is_default": True})
    default = catalog.default_price_list(db)
    assert default is not None and default.id == first.id
    with pytest.raises(ValidationError):
        catalog.create_price_list(db, actor, {"name": "A"})  # names are unique
    catalog.delete_price_list(db, actor, first.id)
    assert catalog.default_price_list(db) is None


def test_a_bad_price_leaves_the_whole_batch_unwritten(products: ProductService, actor: Actor,
                                                      book: dict[str, str]) -> None:
    db = products.db
    price_list = catalog.create_price_list(db, actor, {"name": "批量"})
    with pytest.raises(ValidationError) as refused:
        catalog.set_list_prices(db, actor, price_list.id, {book["s5"]: "180000", book["mats"]: "abc"})
    assert set(refused.value.errors) == {book["mats"]}
    assert catalog.price_list_entries(db, actor, price_list.id) == []
    assert catalog.set_list_prices(db, actor, price_list.id, {book["s5"]: "180000", book["mats"]: "380"}) == 2
    assert len(catalog.price_list_entries(db, actor, price_list.id)) == 2


@pytest.mark.parametrize(("text", "bp"), [("13%", 1300), ("13", 1300), ("0.13", 1300), ("6 %", 600), ("1300", 1300),
                                          ("0", 0), ("9％", 900), ("100", 10000)])
def test_tax_rates_as_people_write_them(text: str, bp: int) -> None:
    assert catalog.parse_tax_rate(text) == bp


@pytest.mark.parametrize("text", ["abc", "-1", "13.5%5", "20000", "0.135%"])
def test_bad_tax_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        catalog.parse_tax_rate(text)


def test_the_csv_import_adds_and_updates_by_code(products: ProductService, actor: Actor, book: dict[str, str]) -> None:
    content = ("编码,名称,单位,指导价,税率,类别,整车,车型,配置,颜色\n"
               "HC-S7-LUX,华驰 S7 豪华版,台,\"259,800\",13%,整车,是,S7,豪华版,星光银\n"
               "acc-mat,脚垫（升级）,套,450,13%,精品,否,,,\n").encode("gb18030")
    result = catalog.import_products(products.db, actor, catalog.read_product_file(content))
    assert (result.created, result.updated) == (1, 1)
    s7 = catalog.product_by_code(products.db, actor, "HC-S7-LUX")
    assert s7 is not None and s7.is_vehicle and s7.model == "S7" and s7.list_price == Decimal("259800.00")
    mats = products.get(actor, book["mats"])
    assert mats["name_zh"] == "脚垫（升级）" and mats["list_price"] == Decimal("450.00") and mats["code"] == "ACC-MAT"


def test_a_bad_row_leaves_the_whole_import_unwritten(products: ProductService, actor: Actor) -> None:
    content = ("code,name,price,tax_rate\nOK-1,好的,10,13%\nBAD-1,,x,13%\nBAD-2,坏税率,10,abc\n").encode("utf-8-sig")
    with pytest.raises(ValidationError) as refused:
        catalog.import_products(products.db, actor, catalog.read_product_file(content))
    assert set(refused.value.errors) == {"row 3: name_zh", "row 3: list_price", "row 4: tax_rate_bp"}
    assert catalog.product_by_code(products.db, actor, "OK-1") is None
