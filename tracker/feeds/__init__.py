"""Calendar feed: each user's deadlines as a secret iCalendar address."""
