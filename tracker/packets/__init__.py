"""Complaint evidence packets: one ZIP with the dossier, the draft letter, the data and the files."""
