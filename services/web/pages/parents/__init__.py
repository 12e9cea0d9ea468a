"""The parents' pages (issue 13): sign in by an e-mailed link, their children, a child's
trajectory in plain language, and consent to the action plan online. Phone first, Dutch by
default. A guardian's session holds their own token (their children only) and nothing else.

The blueprint is in `blueprint`; this package imports none of its modules (they are imported and
registered in services/web/pages/blueprints.py), so importing one of them imports no other."""
