"""Picture files: checking and re-encoding uploads (processing) and keeping the results (storage)."""
