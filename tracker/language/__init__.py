"""The reader's language: the switch on every page and the account's preference."""
