"""Server start: the page data are warmed once, and what the process holds then is out of the cyclic GC's way.

Streamlit forces a full garbage collection after every script run; before the heap was frozen after the
warm-up, that collection walked every long-lived object of the libraries and caches on each run
(benchmarks/bench_first_view.py). The warm-up runs in a fresh interpreter here, because it starts once
per process and freezing the heap of the test process would change what the other tests measure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

from aqb.settings import PROJECT_ROOT
from dashboard_fixtures import built_store, store_env  # noqa: F401

WARM_UP = """
import gc, json, threading
from aqb.app import frames as data, warmup
from aqb.settings import Settings

settings = Settings.from_env()
store = data.current_store(settings)
options = data.options(store, data.demo_layer(settings))
gc.collect()  # garbage is not "loaded": only what is alive before the warm-up must end up frozen
tracked_before = len(gc.get_objects())
warmup.start_once(store, options, data.demo_layer(settings))
warmup.start_once(store, options, data.demo_layer(settings))  # a second session starts nothing
threads = [t for t in threading.enumerate() if t.name == "aqb-warmup"]
for t in threads:
    t.join(120)
print(json.dumps({"threads": len(threads), "frozen": gc.get_freeze_count(), "tracked_before": tracked_before,
                  "tracked_after": len(gc.get_objects())}))
"""


def test_warm_up_runs_once_and_freezes_the_long_lived_heap(store_env):
    done = subprocess.run([sys.executable, "-c", WARM_UP], capture_output=True, text=True, timeout=300,
                          cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["threads"] == 1
    # Everything loaded before and during the warm-up (libraries, the warmed page data) is frozen ...
    assert figures["frozen"] >= figures["tracked_before"] > 10_000
    # ... so the collection Streamlit forces after each run finds almost nothing left to walk.
    assert figures["tracked_after"] < figures["tracked_before"] / 20


def test_served_dashboard_has_no_file_watcher():
    """The watcher resolved every imported module's path on each session's first run (runOnSave is off anyway)."""
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["runOnSave"] is False
