"""What every real-browser test shares: Debian's Chromium, a Streamlit server on a free loopback port, and
the rule that a missing browser skips only on a developer machine and fails in CI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from aqb.app.later import PAGE_COMPLETE_JS
from aqb.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SETTLED = PAGE_COMPLETE_JS  # every chart drawn, no block below the first chart still waiting (aqb.app.later)


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where a silently skipped browser test hides a broken setup."""
    if os.environ.get("CI"):
        pytest.fail(f"Browser-Test nicht ausführbar: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit beendet mit Code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit antwortet nicht")


def start_streamlit(script: Path, env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` on a free loopback port, its output in ``log``; returns once it answers."""
    port = free_port()
    # The product's default: blocks below a page's first chart come once it is drawn (conftest switches it off
    # for in-process AppTest runs, which execute no JavaScript).
    env = {k: v for k, v in env.items() if k != "AQB_DEFER_BELOW_FOLD"}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
    except BaseException:
        stop(process)
        raise
    return process, base


def settle(page, timeout: float = 120_000, *, attached: bool = True) -> None:
    """The page is complete: its run is over, the blocks below its first chart have come and every chart is drawn.

    On a page's first view the blocks below the first chart arrive in a second, fragment-only run that
    the page starts once it has drawn that chart; so: idle, complete, and idle again after that run.
    """
    state = "attached" if attached else "visible"
    page.wait_for_selector(IDLE, state=state, timeout=timeout)
    page.wait_for_function(SETTLED, timeout=timeout)
    page.wait_for_selector(IDLE, state=state, timeout=timeout)
    page.wait_for_function(SETTLED, timeout=timeout)
    assert page.get_by_test_id("stDialog").count() == 0, page.get_by_test_id("stDialog").inner_text()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def assert_no_traceback(log: Path) -> None:
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (its own browser download does not work here)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} fehlt (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright ist nicht installiert")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()
