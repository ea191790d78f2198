"""The refusals that more than one rule gives, or that pages and the error handler recognise.

A rule's own one-off sentence stays beside the rule; these are named because other code compares against them.
Each is lazy text (app.text.lazy): it compares as its English in any language, and reads in the page's language
wherever it is shown.
"""

from app.text.lazy import lazy_text as _l

SIGN_IN = _l("Please sign in first.")
SUSPENDED = _l("Your account is suspended, so you can read but not post.")
ARCHIVED = _l("This group is archived: it can be read but takes no new posts.")
LOCKED = _l("This topic is locked, so it takes no new replies.")
NOT_JOINED = _l("Join this group to post in it.")
OWN_POST_FLAG = _l("You cannot flag your own post. You can edit or delete it instead.")
NOT_MODERATOR = _l("Only the moderation team can do this.")
NOT_STAFF = _l("Only staff can do this.")
NOT_MENTORING = _l("Only mentors, moderators and staff can do this.")
NOT_YOUR_GROUP = _l("You moderate other groups, not this one.")
NOT_FULL_MODERATOR = _l("Only moderators of every group can do this: you moderate some groups only.")
NOT_YOUR_GROUPS_MEMBER = _l(
    "This member has not posted in the groups you moderate. Ask a moderator of every group to act on this account."
)
MEMBERS_ONLY = _l("This group is for signed-in members. Please sign in to read it.")
MEMBERS_ONLY_PROFILE = _l("This member shares their profile with signed-in members only. Please sign in to see it.")
GUIDELINES_CHANGED = _l("Our community guidelines have changed. Please read and accept them before posting again.")
UNCONFIRMED = _l(
    "Please confirm your e-mail address first: open the link we sent you, or ask for a new one on your account page."
)
TOPIC_UNAVAILABLE = _l("This topic is not available.")
NOT_IN_CONVERSATION = _l("Only the people in this conversation can read it.")
PAGE_UNAVAILABLE = _l("This page is not available.")
SECOND_FACTOR_FIRST = _l(
    "Your role lets you see content waiting for review and reports, so your account needs a second factor first. "
    "Please set up an authenticator app below; it takes a minute."
)
