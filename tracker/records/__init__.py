"""Released records: their text, the search across them and the exemptions they cite."""
