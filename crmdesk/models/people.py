"""Users, teams and territories: who owns what."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, SyncedMixin

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
