"""Original files (letters, PDFs, e-mails) stored by SHA-256, and their downloads."""
