"""The domain: plain Python, no Qt. Start from crmdesk.services.registry.Services."""
