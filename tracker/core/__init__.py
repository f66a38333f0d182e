"""The application's core, used by every feature: settings, the database and its models,
the clock, security headers, error pages, display helpers, the public address, newsroom
isolation, text folding for search, and data revisions."""
