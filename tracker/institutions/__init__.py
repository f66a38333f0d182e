"""Institutions: the public bodies a newsroom sends requests to."""
