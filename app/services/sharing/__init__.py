"""What leaves Kindred with a member's consent: share cards, embeds and staff reposts."""
