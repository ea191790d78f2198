"""Events: staff scheduling them, members replying (going, waiting), reminders and calendar files."""
