"""The unit of work: author stamps, rollback on error, audit of creates, updates and deletes."""

import pytest
from sqlalchemy import select

from crmdesk.models import AuditEntry, Lead
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work


def test_error_inside_the_unit_of_work_leaves_nothing_behind(services: Services, actor: Actor) -> None:
    with pytest.raises(RuntimeError), unit_of_work(services.db, actor) as session:
        session.add(Lead(name="张伟", phone="13812345678"))
        session.flush()
        raise RuntimeError("crash after the flush")
    with read_session(services.db) as session:
        assert session.scalars(select(Lead)).first() is None
        assert session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "leads")).first() is None


def test_every_change_is_stamped_with_author_and_time(services: Services, actor: Actor) -> None:
    other = Actor(user_id="01900000-0000-7000-8000-00000000abcd", display_name="李娜", role="manager")
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    services.leads.update(other, lead.id, {"city": "杭州"})
    with read_session(services.db) as session:
        row = session.get_one(Lead, lead.id)
    assert row.created_by == actor.user_id and row.updated_by == other.user_id
    assert row.updated_at >= row.created_at


def test_create_and_delete_are_in_the_audit_log(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    services.leads.delete(actor, lead.id)
    with read_session(services.db) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == lead.id)
                                  .order_by(AuditEntry.at)).all()
    assert actions == ["create", "delete"]


def test_an_edit_that_changes_nothing_is_not_audited(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    services.leads.update(actor, lead.id, {"name": "张伟"})
    with read_session(services.db) as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).first() is None
