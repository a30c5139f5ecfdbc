"""SQLAlchemy entities of the whole lead-to-cash chain, and the database setup."""

from crmdesk.models.activity import Activity, AuditEntry, DeviceInfo, Target, TestDrive
from crmdesk.models.base import Base, Money, Quantity, new_id, utcnow
from crmdesk.models.commerce import (
    Contract,
    Installment,
    Order,
    OrderLine,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    PriceList,
    PriceListItem,
    Product,
    Quote,
    QuoteLine,
)
from crmdesk.models.people import ROLES, Team, Territory, User
from crmdesk.models.rules import DuplicateDismissal, RecordMerge, SharedSetting
from crmdesk.models.sales import (
    Contact,
    Customer,
    Lead,
    Opportunity,
    OpportunityStageChange,
    Pipeline,
    Stage,
)

__all__ = [
    "ROLES",
    "Activity",
    "AuditEntry",
    "Base",
    "Contact",
    "Contract",
    "Customer",
    "DeviceInfo",
    "DuplicateDismissal",
    "Installment",
    "Lead",
    "Money",
    "Opportunity",
    "OpportunityStageChange",
    "Order",
    "OrderLine",
    "Payment",
    "PaymentAllocation",
    "PaymentPlan",
    "Pipeline",
    "PriceList",
    "PriceListItem",
    "Product",
    "Quantity",
    "Quote",
    "QuoteLine",
    "RecordMerge",
    "SharedSetting",
    "Stage",
    "Target",
    "Team",
    "Territory",
    "TestDrive",
    "User",
    "new_id",
    "utcnow",
]
