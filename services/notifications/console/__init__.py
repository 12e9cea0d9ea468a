"""The administrators' console: server-rendered pages (Jinja2) under /console/ on the
notifications service, with the same authorization as its API. Dutch by default, `?lang=en`."""

from services.notifications.console import (
    account,
    deliveries,
    evaluations,
    policies,
    reports,
)
from services.notifications.console.web import PREFIX, blp, install

__all__ = [
    "PREFIX",
    "account",
    "blp",
    "deliveries",
    "evaluations",
    "install",
    "policies",
    "reports",
]
