"""Mail in: agency correspondence kept, matched to its request and proposed as entries."""
