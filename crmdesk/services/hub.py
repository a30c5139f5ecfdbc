"""The team hub: a PostgreSQL database the desks sync through (schema in crmdesk/hub_migrations).

`init_hub` creates or upgrades the hub's schema with Alembic; `add_hub_user` gives a crmdesk user of a
book a PostgreSQL login on the hub, with the role and data scope that user has in the book, so the hub
itself limits what that login may pull and change (see the functions in hub_migrations/versions/h0001).
Desks connect as their user's login and call only crmdesk_push, crmdesk_pull, crmdesk_rows and
crmdesk_conflicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from crmdesk.i18n import _
from crmdesk.services.errors import UserError

HUB_MIGRATIONS = Path(__file__).resolve().parent.parent / "hub_migrations"
HUB_HEAD = "h0001"
DESK_ROLE = "crmdesk_desk"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")


class HubError(UserError):
    """The hub cannot be reached, is not a crmdesk hub, or refused what was asked (said in the user's language)."""


@dataclass(frozen=True)
class HubUser:
    pg_role: str
    user_id: str
    role: str
    team_id: str | None
    scope: str


def libpq_url(url: str) -> str:
    """A hub URL as libpq takes it: postgresql://..., also from SQLAlchemy's postgresql+psycopg://..."""
    text = url.strip()
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql://" + text[len(prefix):]
    if not text.startswith("postgresql://"):
        raise HubError(_("A hub address starts with postgresql://, e.g. postgresql://wanglei@hub.example.com/crmdesk."))
    return text


def without_password(url: str) -> str:
    """The hub URL with any password taken out (what may be stored and shown):
    postgresql://u:p@h/db -> postgresql://u@h/db."""
    text = libpq_url(url)
    parts = urlsplit(text)
    if parts.password is None:
        return text
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address goes back in brackets
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}@{host}" if parts.username else host
    return parts._replace(netloc=netloc).geturl()


def password_in(url: str) -> str | None:
    """The password written inside a hub URL, if any."""
    password = urlsplit(libpq_url(url)).password
    return unquote(password) if password is not None else None


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + libpq_url(url)[len("postgresql://"):]


def hub_login(url: str) -> str:
    """The PostgreSQL user named in a hub URL ("" when none is)."""
    return unquote(urlsplit(libpq_url(url)).username or "")


def connect(url: str, password: str | None = None, *, timeout: float = 10.0) -> Any:
    """A psycopg connection to the hub (autocommit off), or HubError saying why there is none."""
    import psycopg

    try:
        return psycopg.connect(libpq_url(url), password=password, connect_timeout=max(1, int(timeout)),
                               application_name="crmdesk")
    except psycopg.OperationalError as error:
        raise HubError(_("The hub {host} cannot be reached: {detail}", host=urlsplit(libpq_url(url)).hostname or "",
                         detail=str(error).strip().splitlines()[0] if str(error).strip() else error)) from error


def init_hub(url: str, password: str | None = None) -> str:
    """Create the hub's schema on an existing PostgreSQL database, or bring it up to date; returns the
    revision it is at. The connecting user must own the database (or be a superuser)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    engine = create_engine(sqlalchemy_url(url), connect_args={"password": password} if password else {})
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(HUB_MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            revision = connection.exec_driver_sql("SELECT version_num FROM hub_alembic_version").scalar_one()
    except Exception as error:
        if isinstance(error, UserError):
            raise
        raise HubError(_("The hub schema could not be created: {detail}",
                         detail=str(error).strip().splitlines()[0])) from error
    finally:
        engine.dispose()
    return str(revision)


def hub_revision(connection: Any) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('hub_alembic_version') IS NOT NULL")
        row = cursor.fetchone()
        if not row or not row[0]:
            return None
        cursor.execute("SELECT version_num FROM hub_alembic_version")
        found = cursor.fetchone()
    return str(found[0]) if found else None


def add_hub_user(url: str, pg_role: str, password: str | None, *, user_id: str, role: str, team_id: str | None,
                 scope: str, admin_password: str | None = None) -> HubUser:
    """Give a crmdesk user a login on the hub (or update the one they have): its role and scope decide what
    the hub lets that login pull and change. Run by the hub's owner."""
    from psycopg import sql

    name = pg_role.strip()
    if not _ROLE_NAME.match(name):
        raise HubError(_("A hub login is lower-case letters, digits, '_', '.' or '-' (at most 63), e.g. wanglei."))
    if scope not in ("own", "team", "all"):
        raise HubError(_("Choose a data scope: {scopes}.", scopes="own, team, all"))
    with connect(url, admin_password) as connection:
        if hub_revision(connection) is None:
            raise HubError(_("This database is not a crmdesk hub yet: run crmdesk hub init first."))
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
            exists = cursor.fetchone() is not None
            verb = sql.SQL("ALTER ROLE") if exists else sql.SQL("CREATE ROLE")
            if password is not None:
                cursor.execute(sql.SQL("{} {} LOGIN PASSWORD {}").format(verb, sql.Identifier(name),
                                                                       sql.Literal(password)))
            else:
                cursor.execute(sql.SQL("{} {} LOGIN").format(verb, sql.Identifier(name)))
            cursor.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(DESK_ROLE), sql.Identifier(name)))
            cursor.execute(
                "INSERT INTO hub_users (pg_role, user_id, role, team_id, scope) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (pg_role) DO UPDATE SET user_id = EXCLUDED.user_id, role = EXCLUDED.role, "
                "team_id = EXCLUDED.team_id, scope = EXCLUDED.scope",
                (name, user_id, role, team_id, scope))
        connection.commit()
    return HubUser(name, user_id, role, team_id, scope)


def hub_users(url: str, password: str | None = None) -> list[HubUser]:
    with connect(url, password) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_role, user_id, role, team_id, scope FROM hub_users ORDER BY pg_role")
        return [HubUser(*row) for row in cursor.fetchall()]
