"""Requests: log them, keep their timeline, extensions, complaints and files."""
