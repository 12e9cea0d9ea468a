"""Code common to the three services: events, settings, auth, database, Redis and time helpers."""
