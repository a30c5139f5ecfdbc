"""Users: the local user this installation acts as until login lands, and the user list."""

from __future__ import annotations

import getpass

from sqlalchemy import select

from crmdesk.models import Team, User
from crmdesk.models.database import Database
from crmdesk.services.entities import Record
from crmdesk.services.uow import Actor, read_session, unit_of_work

_SYSTEM = Actor(user_id="00000000-0000-7000-8000-000000000000", display_name="system", role="admin")


def _os_login() -> str:
    try:
        return getpass.getuser() or "admin"
    except (KeyError, OSError):  # no passwd entry (containers) or no login name
        return "admin"


def actor_for(user: User) -> Actor:
    return Actor(user_id=user.id, display_name=user.display_name, role=user.role, team_id=user.team_id)


def ensure_local_user(db: Database) -> Actor:
    """The user this desk acts as: the first administrator, made from the OS login on first start."""
    with read_session(db) as session:
        user = session.scalars(
            select(User).where(User.role == "admin", User.active.is_(True), User.deleted_at.is_(None))
            .order_by(User.created_at)
        ).first()
        if user is not None:
            return actor_for(user)
    login = _os_login()
    with unit_of_work(db, _SYSTEM) as session:
        user = User(username=login, display_name=login, role="admin")
        session.add(user)
        session.flush()
        user.created_by = user.updated_by = user.id
        return actor_for(user)


def has_users(db: Database) -> bool:
    """Whether the book has any user yet (a new book has none until its first start or first sync)."""
    with read_session(db) as session:
        return session.scalar(select(User.id).limit(1)) is not None


def list_users(db: Database, actor: Actor) -> list[Record]:
    """The team's users for owner pickers (every role may read names and roles)."""
    with read_session(db) as session:
        users = session.scalars(select(User).where(User.deleted_at.is_(None)).order_by(User.display_name))
        return [Record("user", u.id, {"username": u.username, "display_name": u.display_name,
                                       "role": u.role, "team_id": u.team_id, "active": u.active})
                for u in users]


def list_teams(db: Database, actor: Actor) -> list[Record]:
    """The teams for team pickers (report filters, assignment); every role may read their names."""
    with read_session(db) as session:
        teams = session.scalars(select(Team).where(Team.deleted_at.is_(None)).order_by(Team.name))
        return [Record("team", t.id, {"name": t.name, "manager_id": t.manager_id}) for t in teams]
