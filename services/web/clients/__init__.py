"""One small typed client per service API: the signed-in user's token in, typed rows out."""
