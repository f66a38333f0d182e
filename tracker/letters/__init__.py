"""Letters out: the request, follow-ups, reviews, complaints and appeals (issue 22)."""
