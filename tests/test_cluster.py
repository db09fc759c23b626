"""Two replicas behind nginx on loopback: sticky sessions through the proxy, and a snapshot swap seen by both."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from aqb.build import build_store
from aqb.settings import PROJECT_ROOT, Settings

sys.path.insert(0, str(PROJECT_ROOT / "deploy"))
import cluster as aqb_cluster  # noqa: E402

from browser_support import browser, unavailable  # noqa: E402,F401 - browser: module fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SEED = PROJECT_ROOT / "data" / "agreements" / "zielvereinbarung_2025_offenbach_am_main.txt"
# The Überblick's total for the year, once the run is over (the page layout may change, the sum stays).
SHOWS = """expected => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    return app && main && app.getAttribute('data-test-script-state') === 'notRunning'
        && main.innerText.includes(expected);
}"""
BEFORE, AFTER = "1 Vereinbarung, zusammen 1.011.410 €", "2 Vereinbarungen, zusammen 2.022.820 €"
TIMEOUT_MS = 240_000  # a fresh replica's first run on a busy 2-core machine


def shows_total(page, total: str, absent: str | None = None) -> bool:
    """Whether the settled page shows ``total`` (and not ``absent``)."""
    try:
        page.wait_for_function(SHOWS, arg=total, timeout=TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - the assertion shows the page text instead
        return False
    return absent is None or absent not in page.locator('[data-testid="stMain"]').inner_text()


def test_site_file_is_the_rendered_template_and_nginx_accepts_it(tmp_path):
    if not Path(aqb_cluster.NGINX).exists():
        unavailable("nginx fehlt (Debian: apt-get install -y nginx)")
    committed = aqb_cluster.SITE_FILE.read_text(encoding="utf-8")
    body = committed.split("\n", 1)[1]  # below the "Rendered by …" line
    assert body == aqb_cluster.render_site([8511, 8512, 8513], "127.0.0.1:8500", "/var/cache/nginx/aqb")
    site = body.replace("/var/cache/nginx/aqb", str(tmp_path / "cache"))
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(aqb_cluster.render_main(site, tmp_path), encoding="utf-8")
    check = subprocess.run([aqb_cluster.NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e",
                            str(tmp_path / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cluster") / "data"
    shutil.copytree(PROJECT_ROOT / "data" / "reference", root / "reference")
    (root / "agreements").mkdir()
    shutil.copyfile(SEED, root / "agreements" / SEED.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AQB_DATA_DIR", str(root))
        mp.setenv("AQB_STORE", str(root / "aqb.duckdb"))
        build_store(Settings.from_env(), fresh=True, with_demo=False)
    return root


@pytest.fixture(scope="module")
def cluster(data_dir):
    if not Path(aqb_cluster.NGINX).exists():
        unavailable("nginx fehlt (Debian: apt-get install -y nginx)")
    env = {"AQB_DATA_DIR": str(data_dir), "AQB_STORE": str(data_dir / "aqb.duckdb"), "AQB_DEMO": "1",
           "AQB_PUBLIC": "0"}
    with aqb_cluster.Cluster(replicas=2, env=env) as running:
        yield running
        logs = running.logs()
    assert "Traceback" not in logs, logs


def test_static_bundle_is_gzipped_and_cached_for_a_year(cluster):
    html = urllib.request.urlopen(cluster.url + "/", timeout=10).read().decode("utf-8")
    bundle = html.split('src="./static/js/', 1)[1].split('"', 1)[0]
    request = urllib.request.Request(f"{cluster.url}/static/js/{bundle}", headers={"Accept-Encoding": "gzip"})
    statuses = []
    for _ in range(2):
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            statuses.append(response.headers["X-Cache-Status"])
            assert b"function" in gzip.decompress(response.read())[:100_000]
    assert statuses[1] == "HIT"  # the second browser gets the bundle from nginx, not from a replica


def test_the_load_benchmarks_protocol_client_gets_what_a_browser_gets(cluster):
    """bench_load.py's default client: through nginx, widgets from the server's deltas, a filter that changes the view."""
    import asyncio

    sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
    from streamlit_protocol import StreamlitSession

    async def session() -> tuple:
        async with StreamlitSession(cluster.url, timeout_s=TIMEOUT_MS / 1000) as client:
            opened = await client.run()
            client.choose("Art", "Landkreise")
            filtered = await client.run()
            return client.cookie, opened, filtered

    cookie, opened, filtered = asyncio.run(session())
    assert cookie.startswith("aqb_route=")  # nginx's route cookie, so the websocket follows the page's replica
    assert opened.charts >= 1 and opened.elements >= 10
    assert filtered.digest != opened.digest  # Offenbach is a kreisfreie Stadt: the Landkreise view differs


def test_both_replicas_serve_sticky_sessions_and_see_a_swapped_snapshot(cluster, browser, data_dir):
    sessions: dict[str, object] = {}  # replica address -> a page whose session lives there
    contexts = []
    for _ in range(16):  # the route cookie is random: a few browsers reach both replicas
        context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="de-DE")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(cluster.url + "/")
        replica = response.headers["x-aqb-replica"]
        if replica not in sessions:
            sessions[replica] = page
            assert shows_total(page, BEFORE), page.locator("body").inner_text()
        if len(sessions) == 2:
            break
    assert sorted(sessions) == sorted(u.removeprefix("http://") for u in cluster.replica_urls)

    kreis = data_dir / "neu" / "zv_kreis_offenbach.txt"
    kreis.parent.mkdir()
    # Every mention changes, so the parser's cross-check of title and § 4 agrees.
    kreis.write_text(SEED.read_text(encoding="utf-8").replace("der Stadt Offenbach am Main", "dem Kreis Offenbach"),
                     encoding="utf-8")
    env = {**os.environ, "AQB_DATA_DIR": str(data_dir), "AQB_STORE": str(data_dir / "aqb.duckdb")}
    ingest = subprocess.run([sys.executable, "-m", "aqb.cli", "ingest", str(kreis)], capture_output=True, text=True,
                            env=env, timeout=120)
    assert ingest.returncode == 0, ingest.stderr

    for replica, page in sessions.items():
        response = page.reload()
        assert response.headers["x-aqb-replica"] == replica  # the cookie keeps the browser on its replica
        # Count and sum in one sentence of the ranking: a rerun reads one snapshot, never a mix of two.
        assert shows_total(page, AFTER, absent=BEFORE), (replica, page.locator("body").inner_text())
    for context in contexts:
        context.close()
    # The websockets went through nginx to both replicas (logged when they close; the log flushes each second).
    deadline = time.monotonic() + 10
    while True:
        routed = {line.split("upstream=", 1)[1].split()[0]
                  for line in (cluster.prefix / "access.log").read_text().splitlines() if "_stcore/stream" in line}
        if routed >= set(sessions) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert routed >= set(sessions)
