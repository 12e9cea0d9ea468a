"""Page blueprints, one per audience (school/ first), and the log-in pages they share."""
