"""Search across leads, customers, contacts and opportunities."""

import pytest

from crmdesk.services.registry import Services
from crmdesk.services.search import search
from crmdesk.services.uow import Actor


@pytest.fixture
def book(services: Services, actor: Actor) -> dict[str, str]:
    ids = {
        "zhangwei": services.leads.create(actor, {"name": "张伟", "phone": "13812345678"}).id,
        "zhangweiming": services.leads.create(actor, {"name": "张伟明", "phone": "13900005678"}).id,
        "zeng": services.leads.create(actor, {"name": "曾小贤", "phone": "13700001111"}).id,
        "company": services.customers.create(actor, {"kind": "company", "name": "杭州远景科技有限公司"}).id,
        "english": services.leads.create(actor, {"name": "Tom Smith", "email": "t@x.com", "company": "Acme"}).id,
    }
    return ids


def _ids(services: Services, actor: Actor, query: str) -> set[str]:
    return {hit.id for hit in search(services.db, actor, query)}


def test_two_chinese_characters_find_names_containing_them(services: Services, actor: Actor, book: dict) -> None:
    assert _ids(services, actor, "张伟") == {book["zhangwei"], book["zhangweiming"]}
    assert _ids(services, actor, "伟明") == {book["zhangweiming"]}
    assert _ids(services, actor, "张") == {book["zhangwei"], book["zhangweiming"]}


def test_pinyin_full_and_initials_with_surname_overrides(services: Services, actor: Actor, book: dict) -> None:
    assert _ids(services, actor, "zw") == {book["zhangwei"], book["zhangweiming"]}
    assert _ids(services, actor, "zhangweim") == {book["zhangweiming"]}
    assert _ids(services, actor, "zengx") == {book["zeng"]}
    assert _ids(services, actor, "ZXX") == {book["zeng"]}
    assert _ids(services, actor, "cengx") == set()


def test_phone_whole_or_by_last_digits(services: Services, actor: Actor, book: dict) -> None:
    assert _ids(services, actor, "5678") == {book["zhangwei"], book["zhangweiming"]}
    assert _ids(services, actor, "138 1234 5678") == {book["zhangwei"]}
    assert _ids(services, actor, "+8613812345678") == {book["zhangwei"]}
    assert _ids(services, actor, "678") == set()  # fewer than 4 digits would match half the book


def test_company_by_words_and_initials(services: Services, actor: Actor, book: dict) -> None:
    assert _ids(services, actor, "远景") == {book["company"]}
    assert _ids(services, actor, "hzyj") == {book["company"]}
    assert _ids(services, actor, "acme") == {book["english"]}
    assert _ids(services, actor, "tom") == {book["english"]}


def test_deleted_records_are_not_found(services: Services, actor: Actor, book: dict) -> None:
    services.leads.delete(actor, book["zeng"])
    assert _ids(services, actor, "曾小贤") == set()
    assert _ids(services, actor, "zxx") == set()


def test_hostile_queries_match_nothing_and_raise_nothing(services: Services, actor: Actor, book: dict) -> None:
    for query in ['"', "*", "张 OR 李", "NEAR(a b)", "'; DROP TABLE leads; --", "", "   ", "\x00", "^张"]:
        search(services.db, actor, query)
    assert _ids(services, actor, '"张伟"') == {book["zhangwei"], book["zhangweiming"]}


def test_search_limited_to_customers_and_hits_carry_their_customer(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "company": "远景科技"})
    conversion = services.leads.convert(actor, lead.id)
    hits = search(services.db, actor, "远景", entities=("customer",))
    assert [(hit.entity, hit.id) for hit in hits] == [("customer", conversion.customer_id)]
    by_entity = {hit.entity: hit for hit in search(services.db, actor, "张伟")}
    assert by_entity["contact"].customer_id == conversion.customer_id
    assert by_entity["opportunity"].customer_id == conversion.customer_id
