"""View fixtures: the Qt application as crmdesk sets it up (font, zh_CN translators) and a small book."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from crmdesk.app import create_application
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.i18n import install_translators

# The offscreen platform plugin says "This plugin does not support propagateSizeHints()" for every
# window with a menu, tool or status bar, and "... raise()" / "... grabbing the keyboard" for every
# popup: limits of the test platform (it has no window manager), not something the code does.
OFFSCREEN_NOISE = r"^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application in Chinese, as users see it; English again afterwards."""
    application = create_application([], language="zh_CN")
    yield application
    install_translators(application, "en")


@pytest.fixture
def app_en(qapp: QApplication) -> Iterator[QApplication]:
    application = create_application([], language="en")
    yield application


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.json")


@pytest.fixture
def book(services: Services, actor: Actor) -> dict[str, str]:
    """A few records of each kind, with Chinese names, created through the services."""
    ids: dict[str, str] = {}
    ids["zhangwei"] = services.leads.create(actor, {
        "name": "张伟", "phone": "13812345678", "company": "杭州远景科技有限公司", "source": "walk_in",
        "intended_product": "华驰 A3", "intended_purchase_date": date(2026, 3, 5), "city": "杭州市", "score": 60,
    }).id
    ids["lina"] = services.leads.create(actor, {
        "name": "李娜", "phone": "13900001111", "source": "web", "status": "contacted", "city": "上海市", "score": 20,
    }).id
    ids["wangfang"] = services.leads.create(actor, {
        "name": "王芳", "phone": "13700002222", "source": "referral", "status": "qualified", "city": "南京市",
    }).id
    ids["zhaolei"] = services.leads.create(actor, {
        "name": "赵磊", "email": "zhaolei@example.com", "source": "phone", "status": "invalid",
        "invalid_reason": "空号",
    }).id
    customer = services.customers.create(actor, {
        "kind": "company", "name": "苏州群英电子有限公司", "phone": "051262345678", "city": "苏州市", "tier": "A",
    })
    ids["qunying"] = customer.id
    ids["chenjing"] = services.customers.create(actor, {
        "name": "陈静", "phone": "13600003333", "city": "宁波市", "tier": "B", "intent_grade": "H",
    }).id
    stage = "01900000-0000-7000-8000-000000001000"  # vehicle sales: qualify
    ids["deal"] = services.opportunities.create(actor, {
        "name": "华驰 S5 十台", "customer_id": customer.id, "stage_id": stage, "amount": Decimal("1234567.5"),
        "expected_close_date": date(2026, 6, 30),
    }).id
    ids["order"] = services.orders.create(actor, {
        "customer_id": customer.id, "total": Decimal("258000"), "order_date": date(2026, 1, 15),
    }).id
    return ids
