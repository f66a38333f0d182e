"""The newsroom's accounts, managed by its editors and admins."""
