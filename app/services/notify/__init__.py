"""Notifications in the site, members' preferences for them, and the e-mail digest."""
