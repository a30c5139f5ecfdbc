"""The full-text bodies (searched through each table's FTS5 index) and the SQL conditions that match
a typed query: Chinese characters, pinyin (full or initials), phone digits (whole or last 4+).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from sqlalchemy import Integer, and_, literal_column, select, text, union
from sqlalchemy.sql.elements import ColumnElement

from crmdesk.services.fields import unstorable
from crmdesk.services.text import has_cjk, phone_digits, search_tokens

MIN_PHONE_DIGITS = 4
_PHONE_LIKE = re.compile(r"^[\d\s\-+()]+$")
_TABLES = {"lead": "leads", "customer": "customers", "contact": "contacts", "opportunity": "opportunities"}


def body_for(entity: str, obj: Any) -> str:
    """The full-text body of a row: its name, plus the company (leads) or customer (deals)."""
    if entity == "lead":
        return search_tokens(obj.name, obj.company)
    if entity == "opportunity":
        return search_tokens(obj.name, obj.customer_name)
    return search_tokens(obj.name)


def fts_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: each typed word a phrase of its tokens, the last latin token a prefix.

    张伟 -> "张" "伟" as one phrase; "华为 tech" -> "华 为" AND "tech"*. None when nothing is searchable.
    """
    phrases = []
    for word in query.split():
        tokens = search_tokens(word).split()
        if not tokens:
            continue
        phrase = '"' + " ".join(tokens) + '"'
        if not has_cjk(tokens[-1]):
            phrase += "*"
        phrases.append(phrase)
    return " AND ".join(phrases) if phrases else None


def prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    """column starts with prefix, written as a range so SQLite walks the index (LIKE would not)."""
    if ord(prefix[-1]) == sys.maxunicode:  # no character after it: every string from the prefix on
        return and_(column >= prefix)
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def classify(query: str) -> str:
    """'phone', 'cjk', 'latin' or 'none' (too short or empty)."""
    query = query.strip()
    if not query:
        return "none"
    if _PHONE_LIKE.match(query):
        digits = phone_digits(query) or ""
        return "phone" if len(digits) >= MIN_PHONE_DIGITS else "none"
    if has_cjk(query):
        return "cjk"
    return "latin"


def fts_match(entity: str, expression: str) -> ColumnElement[bool]:
    """`<table>.rowid IN (rows of <table>_fts matching expression)`: each match is one rowid lookup."""
    table = _TABLES[entity]
    matching = (
        text(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :fts")
        .bindparams(fts=expression)
        .columns(rowid=Integer)
    )
    return literal_column(f"{table}.rowid").in_(matching)


def match_conditions(model: Any, entity: str, query: str) -> list[ColumnElement[bool]]:
    """The ways `query` can match a row of `model`, each answerable from one index on its own.

    Empty when the query cannot match anything (too short, a phone query on a kind with no phone, or
    characters no record can hold).
    """
    if unstorable(query):
        return []
    if entity == "order":
        return _order_conditions(query)
    kind = classify(query)
    if kind == "none":
        return []
    if kind == "phone":
        if not hasattr(model, "phone"):
            return []
        digits = phone_digits(query) or ""
        return [prefix_range(model.phone_rev, digits[::-1])]
    expression = fts_expression(query)
    if kind == "cjk":
        return [fts_match(entity, expression)] if expression else []
    letters = re.sub(r"[^a-z0-9]", "", query.lower())
    conditions: list[ColumnElement[bool]] = []
    if letters:
        conditions += [prefix_range(model.name_pinyin, letters), prefix_range(model.name_initials, letters)]
    if expression:
        conditions.append(fts_match(entity, expression))
    return conditions


def _order_conditions(query: str) -> list[ColumnElement[bool]]:
    """Orders are found by their number (prefix, e.g. SO-7KQ2) or by their customer (any way a
    customer is found: name, pinyin, phone)."""
    from crmdesk.models import Customer, Order

    conditions: list[ColumnElement[bool]] = [
        Order.customer_id.in_(select(Customer.id).where(condition, Customer.deleted_at.is_(None)))
        for condition in match_conditions(Customer, "customer", query)
    ]
    number = query.strip().upper()
    if len(number) >= 2 and not has_cjk(number):
        conditions.append(prefix_range(Order.number, number))
    return conditions


def match_condition(model: Any, entity: str, query: str) -> ColumnElement[bool] | None:
    """One WHERE condition for a list's search box, or None if the query cannot match anything.

    Several ways of matching are combined as `id IN (a UNION b ...)`, not `a OR b`: SQLite answers
    each part from its own index, where an OR of them made it scan the whole table.
    """
    conditions = match_conditions(model, entity, query)
    if len(conditions) <= 1:
        return conditions[0] if conditions else None
    # Each part repeats the live-row condition so it can use the partial (live rows only) indexes.
    live = model.deleted_at.is_(None)
    return model.id.in_(union(*(select(model.id).where(condition, live) for condition in conditions)))
