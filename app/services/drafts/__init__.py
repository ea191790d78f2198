"""Drafts: a member's unsent writing, kept per place on the server and seen by nobody else."""
