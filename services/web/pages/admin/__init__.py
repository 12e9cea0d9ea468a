"""The administrator's (beheerder's) pages under /beheer: schools, accounts, the partnership's
settings, each school's SOP and the staff/pupil import. Only administrators reach them; what they
may change is still the cases API's decision (it is called with their own token).

The blueprint is in `blueprint`; this package imports none of its modules (they are imported and
registered in services/web/pages/blueprints.py)."""
