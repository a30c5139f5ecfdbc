"""Labels: every code a service offers has a Chinese label; field titles per entity."""

from __future__ import annotations

import pytest

from crmdesk import i18n
from crmdesk.labels import code_label, codes_of, entity_name, field_title
from crmdesk.services.customers import CUSTOMER_KINDS, CUSTOMER_STATUSES, INTENT_GRADES, TIERS
from crmdesk.services.leads import GENDERS, LEAD_SOURCES, LEAD_STATUSES
from crmdesk.services.opportunities import FORECAST_CATEGORIES, OPPORTUNITY_KINDS
from crmdesk.services.orders import ORDER_STATUSES
from crmdesk.services.registry import Services


@pytest.fixture
def chinese() -> None:
    i18n.set_language("zh_CN")  # the conftest puts it back afterwards


@pytest.mark.parametrize("entity,field,codes", [
    ("lead", "source", LEAD_SOURCES), ("lead", "status", LEAD_STATUSES), ("lead", "gender", GENDERS),
    ("customer", "kind", CUSTOMER_KINDS), ("customer", "status", CUSTOMER_STATUSES),
    ("customer", "tier", TIERS), ("customer", "intent_grade", INTENT_GRADES),
    ("opportunity", "kind", OPPORTUNITY_KINDS), ("opportunity", "forecast_category", FORECAST_CATEGORIES),
    ("order", "status", ORDER_STATUSES),
])
def test_every_code_the_services_offer_has_a_chinese_label(chinese: None, entity: str, field: str,
                                                           codes: tuple[str, ...]) -> None:
    assert set(codes_of(entity, field)) == set(codes)
    for code in codes:
        label = code_label(entity, field, code)
        assert label != code and any("\u4e00" <= char <= "\u9fff" for char in label), (code, label)


def test_every_field_and_column_has_a_title(chinese: None, services: Services) -> None:
    for service in (services.leads, services.customers, services.contacts, services.opportunities, services.orders):
        names = {spec.name for spec in service.fields} | {column.key for column in service.columns}
        for name in names:
            assert field_title(service.entity, name) != name, (service.entity, name)


def test_one_word_per_entity_where_the_meaning_differs(chinese: None) -> None:
    assert field_title("lead", "name") == "姓名"
    assert field_title("customer", "name") == "客户名称"
    assert field_title("opportunity", "name") == "商机名称"
    assert [entity_name(key) for key in ("lead", "customer", "opportunity", "order")] == ["线索", "客户", "商机", "订单"]
