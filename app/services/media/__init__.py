"""Pictures: privacy-safe processing of uploaded files (processing.py) and where the results are kept (storage.py)."""
