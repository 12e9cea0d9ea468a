"""What remains of the administrators' console on the notifications service: log-in with its
second factor and enrolment (account.py) and the guardian's preference page (preferences.py),
under /console/. Policies, the delivery log, report schedules and evaluations are pages of the web
front end now (services/web, /beheer/...); after log-in the console sends the user there."""

from services.notifications.console import account
from services.notifications.console.web import PREFIX, blp, install

__all__ = ["PREFIX", "account", "blp", "install"]
