"""crmdesk: an offline-first desktop sales CRM, lead to cash, Chinese first."""

__version__ = "0.1.0"
