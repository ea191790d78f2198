"""E-mail: queued in the outbox inside the caller's transaction, sent later by the worker."""
