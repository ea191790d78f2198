"""Members: accounts, identity, signing in, profiles, trust, and a member's own data (export, erasure)."""
