"""Provincial and territorial access laws, one module a region, each exporting LAWS (a tuple
of Law versions) and CALENDARS (its statute holiday lists); laws.py and calendars.py register
each module in one line, so two regions can be added without editing the same lines."""
