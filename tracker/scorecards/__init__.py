"""Institution scorecards: who answers on time, who is late, and by how much."""
