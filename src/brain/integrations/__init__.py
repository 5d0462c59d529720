"""Integrations: signed webhooks for integrators and the consumers the event design names."""
