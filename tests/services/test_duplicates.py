"""Duplicate detection: each rule, across leads and customers, dismissals, converted leads, paging,
the check for one record, and the rules setting."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crmdesk.models.database import Database
from crmdesk.services import duplicates
from crmdesk.services.duplicates import (
    DEFAULT_RULES,
    RecordRef,
    dismiss,
    dismiss_group,
    find_duplicates_of,
    find_groups,
    list_groups,
    load_rules,
    save_rules,
)
from crmdesk.services.errors import ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor

VALID_USCC = "91110108551385082Q"


def only(rule: str, **overrides: object) -> duplicates.DuplicateRules:
    """Rules with just `rule` switched on."""
    value = {"rules": {key: {"enabled": key == rule, "weight": DEFAULT_RULES["rules"][key]["weight"]}
                       for key in duplicates.RULE_KEYS}, **overrides}
    return duplicates._rules_from_json(duplicates.check_rules(value))


def member_ids(group: duplicates.DuplicateGroup) -> set[str]:
    return {m.id for m in group.members}


def group_of(groups: list[duplicates.DuplicateGroup], record_id: str) -> duplicates.DuplicateGroup | None:
    return next((g for g in groups if record_id in member_ids(g)), None)


def test_same_mobile_groups_leads_whatever_the_spelling(db: Database, services: Services, actor: Actor) -> None:
    a = services.leads.create(actor, {"name": "张伟", "phone": "138 1234 5678"}).id
    b = services.leads.create(actor, {"name": "Zhang Wei", "phone": "+86 13812345678"}).id
    services.leads.create(actor, {"name": "李娜", "phone": "13900001111"})
    groups = find_groups(db, actor, rules=only("phone"))
    assert len(groups) == 1
    assert member_ids(groups[0]) == {a, b}
    assert groups[0].reasons == ("phone",)
    assert groups[0].score == 90
    member = next(m for m in groups[0].members if m.id == a)
    assert (member.entity, member.name, member.phone, member.owner_name) == ("lead", "张伟", "13812345678",
                                                                            actor.display_name)


def test_a_lead_with_a_customers_phone_is_a_candidate_across_entities(
        db: Database, services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "陈静", "phone": "13600003333"}).id
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333", "city": "宁波市"}).id
    groups = find_groups(db, actor)
    assert len(groups) == 1
    assert {(m.entity, m.id) for m in groups[0].members} == {("lead", lead), ("customer", customer)}
    assert groups[0].suggested_kept().id == customer  # a lead folds into the customer
    # Scoped scans leave the other kind out.
    assert find_groups(db, actor, entity="lead") == []
    assert find_groups(db, actor, entity="customer") == []


def test_a_lead_converted_into_the_customer_is_not_its_duplicate(
        db: Database, services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13700002222", "city": "南京市"}).id
    conversion = services.leads.convert(actor, lead)
    customer = services.customers.get(actor, conversion.customer_id)
    assert customer["phone"] == "13700002222"
    assert find_groups(db, actor) == []
    assert find_duplicates_of(db, actor, "lead", lead) == []
    # Another lead with that phone is a duplicate of both.
    again = services.leads.create(actor, {"name": "王芳", "phone": "13700002222"}).id
    groups = find_groups(db, actor)
    assert len(groups) == 1 and member_ids(groups[0]) == {lead, again, conversion.customer_id}
    pairs = {(p.first.id, p.second.id) for p in groups[0].pairs}
    assert tuple(sorted((lead, conversion.customer_id))) not in {tuple(sorted(p)) for p in pairs}


def test_same_uscc_groups_company_customers(db: Database, services: Services, actor: Actor) -> None:
    a = services.customers.create(actor, {"kind": "company", "name": "华为技术有限公司", "uscc": VALID_USCC}).id
    b = services.customers.create(actor, {"kind": "company", "name": "华为", "uscc": VALID_USCC.lower()}).id
    groups = find_groups(db, actor, rules=only("uscc"))
    assert len(groups) == 1 and member_ids(groups[0]) == {a, b}
    assert groups[0].reasons == ("uscc",) and groups[0].score == 95
    assert find_groups(db, actor, rules=only("phone")) == []


def test_same_name_in_the_same_city_matches_only_when_the_phones_do_not_tell_them_apart(
        db: Database, services: Services, actor: Actor) -> None:
    a = services.leads.create(actor, {"name": "刘德华", "email": "ldh@example.com", "city": "杭州市"}).id
    b = services.leads.create(actor, {"name": "刘德华", "phone": "13511112222", "city": "杭州市"}).id
    services.leads.create(actor, {"name": "刘德华", "email": "other@example.com", "city": "上海市"})
    d = services.leads.create(actor, {"name": "刘德华", "phone": "13533334444", "city": "杭州市"}).id
    groups = find_groups(db, actor, rules=only("name_city"))
    assert len(groups) == 1 and member_ids(groups[0]) == {a, b, d}
    # b and d have different mobiles: two people, however alike the names.
    assert {frozenset((p.first.id, p.second.id)) for p in groups[0].pairs} == {frozenset((a, b)), frozenset((a, d))}
    assert groups[0].reasons == ("name_city",)
    assert groups[0].score == 60  # the same characters: the rule's full weight


def test_same_pinyin_counts_a_little_less_than_the_same_characters(
        db: Database, services: Services, actor: Actor) -> None:
    a = services.leads.create(actor, {"name": "王小明", "email": "a@example.com", "city": "苏州市"}).id
    b = services.leads.create(actor, {"name": "王晓明", "email": "b@example.com", "city": "苏州市"}).id
    groups = find_groups(db, actor, rules=only("name_city"))
    assert len(groups) == 1 and member_ids(groups[0]) == {a, b}
    assert groups[0].score == 54  # 60 x 0.9


def test_similar_names_at_the_same_company_match_by_rapidfuzz(db: Database, services: Services, actor: Actor) -> None:
    a = services.leads.create(actor, {"name": "Alexander Chen", "email": "ac@example.com",
                                      "company": "远景科技"}).id
    b = services.leads.create(actor, {"name": "Alexandre Chen", "email": "ac2@example.com",
                                      "company": "远景科技"}).id
    services.leads.create(actor, {"name": "Bob Li", "email": "bl@example.com", "company": "远景科技"})
    services.leads.create(actor, {"name": "Alexander Chen", "email": "x@example.com", "company": "别的公司"})
    groups = find_groups(db, actor, rules=only("name_company"))
    assert len(groups) == 1 and member_ids(groups[0]) == {a, b}
    assert groups[0].reasons == ("name_company",)
    assert 60 <= groups[0].score < 75
    # A stricter similarity threshold leaves them apart.
    assert find_groups(db, actor, rules=only("name_company", name_similarity=99)) == []


def test_a_lead_matches_a_company_customer_by_company_name(db: Database, services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"kind": "company", "name": "苏州群英电子有限公司"}).id
    lead = services.leads.create(actor, {"name": "苏州群英电子有限公司", "email": "info@qunying.cn",
                                         "company": "苏州群英电子有限公司"}).id
    services.leads.create(actor, {"name": "张三", "email": "zs@qunying.cn", "company": "苏州群英电子有限公司"})
    groups = find_groups(db, actor, rules=only("name_company"))
    assert len(groups) == 1 and member_ids(groups[0]) == {customer, lead}


def test_each_rule_can_be_switched_off(db: Database, services: Services, actor: Actor) -> None:
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    services.leads.create(actor, {"name": "李四", "phone": "13812345678"})
    off = {"rules": {key: {"enabled": False} for key in duplicates.RULE_KEYS}}
    save_rules(db, actor, off)
    assert all(not load_rules(db).enabled(key) for key in duplicates.RULE_KEYS)
    assert find_groups(db, actor) == []
    save_rules(db, actor, {"rules": {"phone": {"enabled": True, "weight": 70}}})
    groups = find_groups(db, actor)
    assert len(groups) == 1 and groups[0].score == 70


def test_rules_are_validated_and_default_when_missing(db: Database, actor: Actor) -> None:
    assert load_rules(db).weight("phone") == 90 and load_rules(db).name_similarity == 85
    with pytest.raises(ValidationError) as caught:
        save_rules(db, actor, {"rules": {"phone": {"weight": 140}, "email": {}}, "name_similarity": 20})
    assert set(caught.value.errors) == {"phone.weight", "email", "name_similarity"}
    with pytest.raises(ValidationError):
        save_rules(db, actor, {"rules": {"uscc": {"enabled": "yes"}}})
    assert load_rules(db).weight("phone") == 90


def test_several_rules_add_up_and_groups_come_best_first(db: Database, services: Services, actor: Actor) -> None:
    # Same phone and same name in the same city: two pieces of evidence.
    strong = [services.leads.create(actor, {"name": "赵磊", "phone": "13900002222", "city": "上海市"}).id
              for _ in range(2)]
    weak = [services.leads.create(actor, {"name": n, "phone": "13900003333"}).id for n in ("孙丽", "周杰")]
    groups = find_groups(db, actor)
    assert [member_ids(g) for g in groups] == [set(strong), set(weak)]
    assert groups[0].reasons == ("phone", "name_city")
    assert groups[0].score == 96  # 1 - 0.1 x 0.4
    assert groups[1].score == 90


def test_pairs_join_into_groups(db: Database, services: Services, actor: Actor) -> None:
    a = services.leads.create(actor, {"name": "周一", "phone": "13811110000", "email": "z1@example.com"}).id
    b = services.leads.create(actor, {"name": "周一", "phone": "13811110000", "city": "北京市"}).id
    customer = services.customers.create(actor, {"name": "周一", "phone": "13811110000"}).id
    groups = find_groups(db, actor)
    assert len(groups) == 1 and member_ids(groups[0]) == {a, b, customer}
    assert len(groups[0].pairs) == 3


def test_dismissed_pairs_are_never_offered_again(db: Database, services: Services, actor: Actor) -> None:
    a = services.leads.create(actor, {"name": "吴一", "phone": "13822220000"}).id
    b = services.leads.create(actor, {"name": "吴二", "phone": "13822220000"}).id
    assert len(find_groups(db, actor)) == 1
    dismiss(db, actor, RecordRef("lead", b), RecordRef("lead", a))
    assert duplicates.is_dismissed(db, RecordRef("lead", a), RecordRef("lead", b))
    assert find_groups(db, actor) == []
    assert find_duplicates_of(db, actor, "lead", a) == []
    # A third record with the phone is offered with each of them, but not the dismissed pair.
    c = services.leads.create(actor, {"name": "吴三", "phone": "13822220000"}).id
    groups = find_groups(db, actor)
    assert len(groups) == 1 and member_ids(groups[0]) == {a, b, c}
    assert {frozenset((p.first.id, p.second.id)) for p in groups[0].pairs} == {frozenset((a, c)), frozenset((b, c))}
    assert dismiss_group(db, actor, groups[0].members) == 2
    assert find_groups(db, actor) == []


def test_deleted_and_merged_records_never_appear(db: Database, services: Services, actor: Actor) -> None:
    a = services.leads.create(actor, {"name": "郑一", "phone": "13833330000"}).id
    b = services.leads.create(actor, {"name": "郑二", "phone": "13833330000"}).id
    services.leads.delete(actor, b)
    assert find_groups(db, actor) == []
    c = services.leads.create(actor, {"name": "郑三", "phone": "13833330000"}).id
    from crmdesk.services.merge import merge_records

    merge_records(db, actor, RecordRef("lead", a), RecordRef("lead", c))
    assert find_groups(db, actor) == []
    assert find_duplicates_of(db, actor, "lead", {"name": "郑四", "phone": "13833330000"})[0].member.id == a


def test_list_groups_pages_and_the_cache_follows_every_change(db: Database, services: Services, actor: Actor) -> None:
    for index in range(7):
        for _ in range(2):
            services.leads.create(actor, {"name": f"钱{index}", "phone": f"1390000{index:04d}"})
    first = list_groups(db, actor, offset=0, limit=3)
    second = list_groups(db, actor, offset=3, limit=3)
    last = list_groups(db, actor, offset=6, limit=3)
    assert (first.total, len(first.groups), len(second.groups), len(last.groups)) == (7, 3, 3, 1)
    keys = [g.key for page in (first, second, last) for g in page.groups]
    assert len(set(keys)) == 7
    assert second.seconds == 0.0  # from the cached scan
    for _ in range(2):
        services.leads.create(actor, {"name": "钱99", "phone": "13900009999"})
    assert list_groups(db, actor, limit=50).total == 8  # a new duplicate shows at once


def test_find_duplicates_of_typed_values_and_of_a_record(db: Database, services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "冯晓", "phone": "13844440000", "city": "杭州市"}).id
    customer = services.customers.create(actor, {"kind": "company", "name": "杭州远景科技有限公司",
                                                  "uscc": VALID_USCC}).id
    by_phone = find_duplicates_of(db, actor, "lead", {"name": "冯小", "phone": "138-4444-0000", "city": "杭州市"})
    assert [c.member.id for c in by_phone] == [lead]
    assert by_phone[0].reasons == ("phone", "name_city") and by_phone[0].score > 90
    by_uscc = find_duplicates_of(db, actor, "customer", {"kind": "company", "name": "远景", "uscc": VALID_USCC})
    assert [c.member.id for c in by_uscc] == [customer]
    by_company = find_duplicates_of(db, actor, "lead", {"name": "杭州远景科技有限公司", "email": "a@b.cn",
                                                        "company": "杭州远景科技有限公司"})
    assert [c.member.id for c in by_company] == [customer]
    assert find_duplicates_of(db, actor, "lead", {"name": "无名", "phone": "13999999999"}) == []
    # By id: the record itself is not its own duplicate.
    other = services.leads.create(actor, {"name": "冯晓", "phone": "13844440000"}).id
    assert [c.member.id for c in find_duplicates_of(db, actor, "lead", other)] == [lead]


def test_a_customer_made_from_a_lead_is_not_its_duplicate_even_when_the_lead_lost_its_link(
        db: Database, services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "褚明", "phone": "13755550000", "city": "南京市"}).id
    customer = services.leads.convert(actor, lead).customer_id
    with db.engine.begin() as connection:  # the lead no longer points at it; the customer still names its source
        connection.execute(text("UPDATE leads SET customer_id = NULL WHERE id = :id"), {"id": lead})
    duplicates.forget_cached_scans()
    assert find_groups(db, actor) == []
    assert find_duplicates_of(db, actor, "lead", lead) == []
    with db.engine.begin() as connection:  # nor a source: now it is a duplicate
        connection.execute(text("UPDATE customers SET source_id = NULL WHERE id = :id"), {"id": customer})
    duplicates.forget_cached_scans()
    groups = find_groups(db, actor)
    assert len(groups) == 1 and member_ids(groups[0]) == {lead, customer}


def test_names_at_a_company_pair_only_where_no_phone_tells_them_apart(
        db: Database, services: Services, actor: Actor) -> None:
    company = services.customers.create(actor, {"kind": "company", "name": "宁波海天机械有限公司"}).id
    named_like_it = services.leads.create(actor, {"name": "宁波海天机械有限公司", "phone": "13766660000",
                                                  "company": "宁波海天机械有限公司"}).id
    for index in range(30):  # the company's staff: alike names, different mobiles
        services.leads.create(actor, {"name": "卫东", "phone": f"1377777{index:04d}", "company": "宁波海天机械有限公司"})
    groups = find_groups(db, actor, rules=only("name_company"))
    assert len(groups) == 1 and member_ids(groups[0]) == {company, named_like_it}
    page = list_groups(db, actor, rules=only("name_company"), limit=1)
    assert page.total == 1 and [m.name for m in page.groups[0].members] == ["宁波海天机械有限公司"] * 2
