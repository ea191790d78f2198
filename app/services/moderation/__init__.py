"""Moderation: the review queue and its verdicts, flags, suspensions, watched words, their settings."""
