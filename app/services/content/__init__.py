"""What staff curate: announcements, the versioned guidelines, the resource library."""
