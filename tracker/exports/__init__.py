"""CSV exports of the request list and of a newsroom's data."""
