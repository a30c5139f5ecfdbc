"""Users, teams and territories: who owns what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, SyncedMixin, new_id, utcnow

ROLES = ("consultant", "field_rep", "manager", "finance", "admin")


class Territory(SyncedMixin, Base):
    __tablename__ = "territories"

    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))


class Team(SyncedMixin, Base):
    __tablename__ = "teams"

    name: Mapped[str] = mapped_column(String(100))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    manager_id: Mapped[str | None] = mapped_column(String(36))


class User(SyncedMixin, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20), default="consultant")
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"), index=True)
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Sign-in state of this desk (services/auth.py): failed attempts since the last good one, the lock they
    # earned, and whether an administrator's reset password must be changed at the next sign-in.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class ApiToken(Base):
    """An administrator's token for the CLI and automation: the secret is shown once, only its SHA-256 is
    kept (a token is 256 random bits, so a fast hash is as safe as a slow one). Kept on this desk only."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_token_hash", "token_hash", unique=True),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
