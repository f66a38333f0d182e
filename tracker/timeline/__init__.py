"""A request's timeline: the registry of entry kinds (``tracker.timeline.kinds``)."""
