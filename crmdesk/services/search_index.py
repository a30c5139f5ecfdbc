"""The local search index (search_docs + the FTS5 table search_fts) and the SQL conditions that match
a typed query: Chinese characters, pinyin (full or initials), phone digits (whole or last 4+).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, Text, and_, select, text, union
from sqlalchemy.sql.elements import ColumnElement

from crmdesk.services.text import has_cjk, phone_digits, search_tokens

_metadata = MetaData()
search_docs = Table(
    "search_docs",
    _metadata,
    Column("rowid", Integer, primary_key=True),
    Column("entity_type", String(20)),
    Column("entity_id", String(36)),
    Column("body", Text),
)

MIN_PHONE_DIGITS = 4
_PHONE_LIKE = re.compile(r"^[\d\s\-+()]+$")


def body_for(entity: str, obj: Any) -> str:
    if entity == "lead":
        return search_tokens(obj.name, obj.company)
    if entity == "opportunity":
        return search_tokens(obj.name, obj.customer_name)
    return search_tokens(obj.name)


def upsert(connection: Connection, entity: str, entity_id: str, body: str) -> None:
    row = connection.execute(
        text("SELECT rowid, body FROM search_docs WHERE entity_id = :id"), {"id": entity_id}
    ).first()
    if row is not None:
        if row.body == body:
            return
        # External-content FTS5: the old tokens must be handed back to delete them.
        connection.execute(
            text("INSERT INTO search_fts(search_fts, rowid, body) VALUES('delete', :rowid, :body)"),
            {"rowid": row.rowid, "body": row.body},
        )
        connection.execute(text("UPDATE search_docs SET body = :body WHERE rowid = :rowid"),
                           {"rowid": row.rowid, "body": body})
        rowid = row.rowid
    else:
        rowid = connection.execute(
            text("INSERT INTO search_docs(entity_type, entity_id, body) VALUES(:t, :id, :body) RETURNING rowid"),
            {"t": entity, "id": entity_id, "body": body},
        ).scalar_one()
    connection.execute(text("INSERT INTO search_fts(rowid, body) VALUES(:rowid, :body)"),
                       {"rowid": rowid, "body": body})


def remove(connection: Connection, entity_id: str) -> None:
    row = connection.execute(
        text("SELECT rowid, body FROM search_docs WHERE entity_id = :id"), {"id": entity_id}
    ).first()
    if row is None:
        return
    connection.execute(
        text("INSERT INTO search_fts(search_fts, rowid, body) VALUES('delete', :rowid, :body)"),
        {"rowid": row.rowid, "body": row.body},
    )
    connection.execute(text("DELETE FROM search_docs WHERE rowid = :rowid"), {"rowid": row.rowid})


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


def fts_ids(entity: str, expression: str) -> Any:
    """A subquery of entity ids whose document matches the FTS expression."""
    matching_rowids = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :fts").bindparams(
        fts=expression
    ).columns(rowid=Integer)
    return select(search_docs.c.entity_id).where(
        search_docs.c.rowid.in_(select(matching_rowids.subquery().c.rowid)),
        search_docs.c.entity_type == entity,
    )


def match_conditions(model: Any, entity: str, query: str) -> list[ColumnElement[bool]]:
    """The ways `query` can match a row of `model`, each answerable from one index on its own.

    Empty when the query cannot match anything (too short, or a phone query on a kind with no phone).
    """
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
        return [model.id.in_(fts_ids(entity, expression))] if expression else []
    letters = re.sub(r"[^a-z0-9]", "", query.lower())
    conditions: list[ColumnElement[bool]] = []
    if letters:
        conditions += [prefix_range(model.name_pinyin, letters), prefix_range(model.name_initials, letters)]
    if expression:
        conditions.append(model.id.in_(fts_ids(entity, expression)))
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
