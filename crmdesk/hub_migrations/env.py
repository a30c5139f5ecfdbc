"""Alembic environment of the hub: migrates the connection handed over by crmdesk.services.hub.init_hub."""

from alembic import context

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=None, version_table="hub_alembic_version")
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
