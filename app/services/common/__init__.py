"""Helpers every domain's writes share: the audit log, counters, text cleaning, double submissions."""
