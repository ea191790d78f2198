"""Web plumbing every blueprint shares: access gate, headers, errors, static files, templates, caches, forms."""
