"""Team settings in the database: defaults, round trip, audited updates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crmdesk.models import AuditEntry, SharedSetting
from crmdesk.models.database import Database
from crmdesk.services.errors import ValidationError
from crmdesk.services.team_settings import load_setting, save_setting
from crmdesk.services.uow import Actor, read_session


def test_unset_key_reads_its_default(db: Database) -> None:
    assert load_setting(db, "lead_scoring", {"threshold": 60}) == {"threshold": 60}


def test_saved_value_reads_back_and_an_update_is_audited(db: Database, actor: Actor) -> None:
    save_setting(db, actor, "invalid_reasons", ["空号", "无意向"])
    save_setting(db, actor, "invalid_reasons", ["空号"])
    assert load_setting(db, "invalid_reasons", []) == ["空号"]
    with read_session(db) as session:
        assert len(session.scalars(select(SharedSetting)).all()) == 1
        updates = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "shared_settings",
                                                           AuditEntry.action == "update")).all()
    assert [(u.old_value, u.new_value) for u in updates] == [('["空号", "无意向"]', '["空号"]')]


def test_a_failed_check_stores_nothing(db: Database, actor: Actor) -> None:
    def refuse(_value: object) -> object:
        raise ValidationError({"threshold": "too high"})

    with pytest.raises(ValidationError):
        save_setting(db, actor, "lead_scoring", {"threshold": 500}, check=refuse)
    assert load_setting(db, "lead_scoring", None) is None
