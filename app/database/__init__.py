"""Database plumbing: SQLite's settings, the read replica, backup and restore."""
