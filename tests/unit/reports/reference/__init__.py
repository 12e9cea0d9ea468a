"""Complementary suppression as it was written before the audit numbered its figures (commit
a3f5411: domain/disclosure.py and domain/suppression.py, by key, unchanged but for the import of
one by the other): the oracle test_suppression_reference.py compares the new code with. Not used
by the services."""
