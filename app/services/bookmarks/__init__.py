"""Bookmarks: keeping topics and posts for later, private notes on them, and the reminders they fire."""
