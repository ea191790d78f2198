"""The community: groups, topics and replies, and what members do with them."""
