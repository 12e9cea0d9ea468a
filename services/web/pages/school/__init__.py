"""The school's pages: the intern begeleider's (coordinator's) pupils, pupil, case and forms.

The blueprint is in `blueprint`; this package imports none of its modules (they are imported and
registered in services/web/pages/blueprints.py), so importing one of them (labels, say) imports
no other."""
