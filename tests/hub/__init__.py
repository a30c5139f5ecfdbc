"""Tests of the team hub: against a real PostgreSQL server the tests start themselves (see conftest.py)."""
