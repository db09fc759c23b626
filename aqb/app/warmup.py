"""Warm the data of every analysis page once per server process, so no first visit waits for a cold query.

Streamlit has no server-start hook: the first session's rerun starts one background thread that
computes, through the same cached functions the pages call, what each page shows with the default
filters. Later visitors (and the first one, on its next page) find it in the cache.
"""

from __future__ import annotations

import gc
import logging
import threading

from aqb.app import frames as data

_started = threading.Event()
_log = logging.getLogger(__name__)


def default_filters(options: data.Options, include_demo: bool) -> data.Filters:
    """The filters a page starts with when the URL sets none (the sidebar's defaults)."""
    years = options.years
    return data.Filters(year=int(years[-1]), year_from=int(years[0]), year_to=int(years[-1]),
                        include_demo=include_demo, official_only=not include_demo)


def warm(store: data.StoreRef, options: data.Options, include_demo: bool) -> None:
    f = default_filters(options, include_demo)
    data.overview(store, f, options.years)
    frame = data.partner_years(store, f, f.year_from, f.year_to)
    data.year_comparison(frame, f.year_from, f.year_to, f.per_inhabitant)
    data.measures_by_partner(store, f, f.year, f.year)
    data.measure_mix(store, f, f.year_from, f.year_to)
    data.map_values(store, f, data.MAP_MEASURES[0])
    data.query(store, "coverage_matrix", include_demo=f.include_demo, year_from=f.year_from, year_to=f.year_to)
    if len(options.partners):
        data.partner_profile(store, f, options.partners.iloc[0].to_dict())


def settle_heap() -> None:
    """Move what the process holds after start and warm-up out of the cyclic garbage collector's reach.

    Streamlit forces a full collection after every script run (``runner.postScriptGC``). With the
    libraries and warmed caches loaded, that walked ~170.000 long-lived objects each time and held the
    GIL for 0,1–0,4 s per run, during which no session got a message. Frozen objects are still freed
    by reference counting; only cycles among them are never collected, and they live as long as the
    process anyway (modules, functions, cached page data).
    """
    gc.collect()
    gc.freeze()


def start_once(store: data.StoreRef | None, options: data.Options | None, include_demo: bool) -> None:
    """Start the warm-up thread on the first rerun of the process; later calls do nothing."""
    if store is None or options is None or not options.years or _started.is_set():
        return
    _started.set()

    def run() -> None:
        try:
            warm(store, options, include_demo)
        except Exception:  # a page computes it again and shows its own message; warming is only a head start
            _log.warning("Vorwärmen der Seitendaten fehlgeschlagen", exc_info=True)
        finally:
            settle_heap()

    threading.Thread(target=run, name="aqb-warmup", daemon=True).start()
