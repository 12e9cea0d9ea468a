"""Page blueprints, one per audience (school/ first), and the log-in pages they share. Each
blueprint is in a leaf module its route modules import; blueprints.py imports every route module
and registers the blueprints (this package imports none of its modules)."""
