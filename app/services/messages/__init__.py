"""Private messages between members, and reports of them."""
