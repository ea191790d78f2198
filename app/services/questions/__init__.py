"""Questions sent in advance of an event: asking and voting, their review, and the answers afterwards."""
