"""`Services`: one instance of each domain service for a database, for the window, CLI and tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmdesk.models.database import Database as Database  # views name it through here in annotations
from crmdesk.services.customers import ContactService, CustomerService
from crmdesk.services.leads import LeadService
from crmdesk.services.opportunities import OpportunityService
from crmdesk.services.orders import OrderService


@dataclass
class Services:
    """What the window, the CLI and the tests talk to: one object per kind of record."""

    db: Database
    leads: LeadService = field(init=False)
    customers: CustomerService = field(init=False)
    contacts: ContactService = field(init=False)
    opportunities: OpportunityService = field(init=False)
    orders: OrderService = field(init=False)

    def __post_init__(self) -> None:
        self.leads = LeadService(self.db)
        self.customers = CustomerService(self.db)
        self.contacts = ContactService(self.db)
        self.opportunities = OpportunityService(self.db)
        self.orders = OrderService(self.db)

