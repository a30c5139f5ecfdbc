"""Alembic environment: migrates the engine handed over by crmdesk.models.database (or a URL)."""

from alembic import context
from sqlalchemy import create_engine

from crmdesk.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite alters tables by copy; batch mode does that safely
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
