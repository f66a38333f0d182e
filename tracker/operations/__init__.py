"""Running the tracker: the scheduler process, the development server, backup and restore,
and the demo newsroom."""
