"""The full-text search index."""
