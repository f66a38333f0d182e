"""CSV import of existing requests."""
