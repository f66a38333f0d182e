"""Deadline alerts: preferences, planning into the outbox, delivery by e-mail, unsubscribe."""
