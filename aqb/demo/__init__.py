"""Demo: the seeded, clearly marked demo corpus and the document renderer it uses."""
