"""Mentors' work: the welcome queue of new members' first posts, and check-ins after crisis-routed posts."""
