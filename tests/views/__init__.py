"""Tests of crmdesk.views and crmdesk.app: real widgets driven offscreen by pytest-qt."""
