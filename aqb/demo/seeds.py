"""Seeds of the demo corpus: one independent random stream per purpose."""

from __future__ import annotations

import random



DEFAULT_SEED = 20251


DEFAULT_YEARS = range(2019, 2026)


def seeded_rng(seed: int, *labels: object) -> random.Random:
    # One independent stream per purpose: changing the partners or years does not reshuffle the rest.
    return random.Random(":".join(str(x) for x in (seed, *labels)))
