"""The refusals that more than one rule gives, or that pages and the error handler recognise.

A rule's own one-off sentence stays beside the rule; these are named because other code compares against them.
"""

SIGN_IN = "Please sign in first."
SUSPENDED = "Your account is suspended, so you can read but not post."
ARCHIVED = "This group is archived: it can be read but takes no new posts."
LOCKED = "This topic is locked, so it takes no new replies."
NOT_JOINED = "Join this group to post in it."
NOT_MODERATOR = "Only the moderation team can do this."
NOT_STAFF = "Only staff can do this."
NOT_YOUR_GROUP = "You moderate other groups, not this one."
MEMBERS_ONLY = "This group is for signed-in members. Please sign in to read it."
MEMBERS_ONLY_PROFILE = "This member shares their profile with signed-in members only. Please sign in to see it."
GUIDELINES_CHANGED = "Our community guidelines have changed. Please read and accept them before posting again."
UNCONFIRMED = (
    "Please confirm your e-mail address first: open the link we sent you, or ask for a new one on your account page."
)
TOPIC_UNAVAILABLE = "This topic is not available."
NOT_IN_CONVERSATION = "Only the people in this conversation can read it."
PAGE_UNAVAILABLE = "This page is not available."
