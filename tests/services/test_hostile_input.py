"""Random and hostile input to the services that take user text: a clear ValidationError or a save,
never another exception, and nothing half-written."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from crmdesk.models import AuditEntry
from crmdesk.services.entities import EntityService, ListQuery
from crmdesk.services.errors import ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.search import search
from crmdesk.services.uow import Actor, read_session

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "'; DROP TABLE leads; --", "1381234abcd", "-1", "NaN", "1e309",
                     "2024-02-30", "0000-00-00", "９９", "¥-5", "张" * 300, '"', "*", "NEAR(a b)"]),
    st.integers(min_value=-(10**20), max_value=10**20),
)
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _rows(services: Services, model: Any) -> int:
    with read_session(services.db) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _check_create(services: Services, actor: Actor, service: EntityService, values: dict[str, Any]) -> None:
    before = (_rows(services, service.model), _rows(services, AuditEntry))
    try:
        service.create(actor, values)
    except ValidationError as error:
        assert error.errors and set(error.errors) <= {spec.name for spec in service.fields} | {"phone"}
        assert all(isinstance(text, str) and text for text in error.errors.values())
        assert (_rows(services, service.model), _rows(services, AuditEntry)) == before


@EXAMPLES
@given(data=st.data())
def test_lead_form_takes_anything_and_answers_clearly(services: Services, actor: Actor, data: st.DataObject) -> None:
    names = [spec.name for spec in services.leads.fields]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    values = {name: data.draw(HOSTILE) for name in chosen}
    _check_create(services, actor, services.leads, values)


@EXAMPLES
@given(data=st.data())
def test_customer_form_takes_anything_and_answers_clearly(services: Services, actor: Actor,
                                                          data: st.DataObject) -> None:
    names = [spec.name for spec in services.customers.fields]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    values = {name: data.draw(HOSTILE) for name in chosen}
    _check_create(services, actor, services.customers, values)


@EXAMPLES
@given(query=HOSTILE.map(str))
def test_search_and_list_filters_take_anything(services: Services, actor: Actor, query: str) -> None:
    search(services.db, actor, query)
    for service in (services.leads, services.customers, services.opportunities, services.orders):
        total = service.count(actor, ListQuery(search=query))
        assert service.page(actor, ListQuery(search=query), 0, 10, total=total) is not None
