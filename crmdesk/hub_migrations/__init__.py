"""Alembic migrations of the team hub's PostgreSQL schema (crmdesk.services.hub)."""
