"""The partnership's pages: the consultant's (consulent's) view over every school.

The blueprint is in `blueprint`; this package imports none of its modules (they are imported and
registered in services/web/pages/blueprints.py)."""
