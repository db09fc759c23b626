"""Soak: readers on fresh connections while a writer swaps the store ~30 times and is killed at random."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from aqb.store import snapshots
from aqb.settings import PROJECT_ROOT
from aqb.store.write import ingest_paths

pytestmark = pytest.mark.slow


def bench_soak():
    """The soak harness lives with its benchmark, so test and benchmark measure the same thing."""
    spec = importlib.util.spec_from_file_location("bench_soak", PROJECT_ROOT / "benchmarks" / "bench_soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_soak"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_readers_never_fail_or_go_stale_while_the_store_is_swapped_and_writers_die(data_dir):
    soak = bench_soak()
    settings = soak.prepare(data_dir)
    result = soak.run_soak(settings, swaps=30, readers=2, kills=4, baseline_s=0.5, pause_s=0.005)
    assert result.errors == []
    assert (result.swaps, result.kills) == (30, 4)
    assert result.stale == 0  # a read that starts after a swap sees that swap or a later one
    assert result.inconsistent == 0
    assert result.bad_kill_states == []  # after every kill: the old state or the new one
    during = result.latency_during_swaps()
    assert len(during) > 50
    assert soak.percentiles(during)[2] < 5000  # ms; generous: two shared cores
    # The next writer cleans up what the killed ones left behind.
    inbox = data_dir / "inbox"
    (inbox / "final.txt").write_text(soak.document(soak.SEED.read_text(encoding="utf-8"), 2025,
                                                   "Stadt Offenbach am Main", soak.BASE_EUR + 9999), encoding="utf-8")
    ingest_paths([inbox / "final.txt"], settings)
    assert not list(settings.snapshot_dir.glob("*.tmp*"))
    assert soak.store_state(settings) == (9999, {})
    assert len(snapshots.list_snapshots(settings)) == settings.keep_snapshots
