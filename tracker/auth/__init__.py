"""Accounts: log in, log out, change password, create users."""
