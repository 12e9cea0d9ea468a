"""What was the notifications service's console, now pages of the web front end: notification
policies with preview, simulation and own texts (/beheer/berichten), the delivery log with dead
notifications and their retry (/beheer/bezorging), report schedules and downloads
(/beheer/rapporten) and the evaluations of the coming weeks with the calendar subscription
(/evaluaties). Every page asks the notifications, reports and cases APIs with the user's own token,
so each API decides what the user sees and may do; the roles below only decide what is offered.

The blueprint is in `blueprint`, what its pages share in `common`; this package imports none of
its modules (they are imported and registered in services/web/pages/blueprints.py)."""
