"""Look and feel in a real browser: message first at 1440×900, projector slides at 1920×1080, no clipped chart
text, German routes and no English UI text (issue 11, items 5, 6, 7, 9)."""

from __future__ import annotations

import pytest

from dashboard_fixtures import PAGES, built_store  # noqa: F401 - session fixture
import browser_support
from browser_support import IDLE, browser  # noqa: F401 - module fixture
from test_browser import URL_PATHS, server  # noqa: F401 - module fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def settle(page, timeout: float = 120_000) -> None:
    """Complete page (generous: the first visit of a page may query a cold store)."""
    browser_support.settle(page, timeout)

# Every text of every chart inside its SVG; Plotly's own box is the SVG, so a label cut at its edge fails here.
CLIPPED_TEXT = """() => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach(plot => {
    const svgs = [...plot.querySelectorAll('svg.main-svg')];
    if (!svgs.length) { return; }
    const box = svgs[0].getBoundingClientRect();
    plot.querySelectorAll('text').forEach(t => {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) { return; }
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(t.textContent);
      }
    });
  });
  return out;
}"""
# Overlapping labels of one chart (e.g. the slope chart's end labels): pairs of text boxes of the same text layer.
OVERLAPPING_TEXT = """() => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach(plot => {
    plot.querySelectorAll('.scatterlayer .trace .textpoint text, .barlayer .bartext').forEach((a, i, all) => {
      const ra = a.getBoundingClientRect();
      for (let j = i + 1; j < all.length; j++) {
        const rb = all[j].getBoundingClientRect();
        const overlap = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 2
          && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 2;
        if (overlap && ra.width && rb.width) { out.push(a.textContent + ' / ' + all[j].textContent); }
      }
    });
  });
  return out;
}"""
# Streamlit's and Plotly's own English strings a user could see (visible text or tooltips).
ENGLISH = ("Page not found", "Link to heading", "Select all", "Clear all", "Download as CSV", "Search", "Fullscreen",
           "Download plot", "Zoom in", "Zoom out", "Autoscale", "Reset axes", "Pan", "Running...", "Stop",
           "Made with Streamlit", "No results", "Choose an option")


def visible_english(page) -> list[str]:
    texts = page.evaluate("""() => {
      const seen = [];
      document.querySelectorAll('[data-title], [title], [aria-label]').forEach(e => {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || !e.getClientRects().length) { return; }
        seen.push(e.getAttribute('data-title') || e.getAttribute('title') || e.getAttribute('aria-label'));
      });
      seen.push(document.querySelector('[data-testid="stMain"]').innerText);
      return seen;
    }""")
    return sorted({word for word in ENGLISH for text in texts if text and word in text.split("\n")
                   or text and text.strip() == word})


def test_first_view_shows_headline_kpis_and_a_whole_chart(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(120_000)
    for script in PAGES:
        page.goto(f"{server}/{URL_PATHS[script]}")
        page.wait_for_selector(".aqb-headline", state="attached")  # this page's run has started
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', state="attached")
        settle(page)
        boxes = page.evaluate("""() => {
          const r = e => e && e.getBoundingClientRect();
          const h = r(document.querySelector('.aqb-headline'));
          const chart = r(document.querySelector('[data-testid="stPlotlyChart"]'));
          const kpis = [...document.querySelectorAll('[data-testid="aqb-kpi"]')].map(r).filter(b => b.top < 900);
          return {headline: h && [h.top, h.bottom], chart: chart && [chart.top, chart.bottom],
                  kpis: kpis.map(b => b.bottom)};
        }""")
        headline = page.locator(".aqb-headline").first.inner_text()
        assert boxes["headline"] and 0 < boxes["headline"][1] <= 900, (script, boxes)
        assert any(ch.isdigit() for ch in headline), (script, headline)  # the finding in numbers
        assert boxes["chart"] and all(bottom <= boxes["chart"][0] for bottom in boxes["kpis"]), (script, boxes)
        assert boxes["chart"][1] <= 900, (script, boxes)  # the whole first chart, no scrolling
        assert page.evaluate(CLIPPED_TEXT) == [], script
        assert page.evaluate(OVERLAPPING_TEXT) == [], script
    context.close()


def test_presentation_fits_one_slide_per_screen_and_pages_with_the_keyboard(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{server}/presentation?charts=gesamt,rangfolge,pro_kopf,mix,heatmap&year=2025&slide=2")
    settle(page)
    page.wait_for_function("() => window.__aqbSlide === 2", timeout=15_000)
    slides = page.evaluate("""() => [...document.querySelectorAll('[class*="st-key-slide_"]')].map(s => {
        const r = s.getBoundingClientRect();
        const charts = [...s.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => c.getBoundingClientRect());
        const source = s.querySelector('.aqb-source').getBoundingClientRect();
        return {top: r.top, height: r.height, chartBottom: charts.length ? charts[0].bottom - r.top : 0,
                sourceBottom: source.bottom - r.top};
    })""")
    assert len(slides) == 5
    for slide in slides:
        assert slide["height"] == 1080  # one slide is one screen
        assert slide["chartBottom"] <= slide["sourceBottom"] <= 1080  # chart and source line inside it
    assert abs(slides[1]["top"]) <= 1  # slide 2 from the URL is on screen
    assert page.evaluate(CLIPPED_TEXT) == []  # no "1.011.41": every value label inside its chart
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=3**", timeout=10_000)
    assert abs(page.evaluate("() => document.querySelector('.st-key-slide_3').getBoundingClientRect().top")) <= 1
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**slide=1**", timeout=10_000)
    settle(page)  # paging writes slide= into the URL; the labels are read once that run has redrawn the charts
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .bartext').length > 0", timeout=30_000)
    labels = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot .bartext')].map(t => t.textContent)")
    assert any(t.endswith("*") for t in labels) and any(t.endswith("€") for t in labels)  # demo points starred
    context.close()


def test_german_routes_and_no_english_ui_text(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{server}/ueberblick?jahr=2024")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Überblick"
    assert "jahr=2024" in page.url
    page.goto(f"{server}/gibt_es_nicht")
    page.wait_for_selector(IDLE, state="attached", timeout=30_000)
    page.get_by_text("Seite nicht gefunden").first.wait_for(timeout=30_000)
    page.get_by_text("Zum Überblick").wait_for(timeout=30_000)  # the link follows the heading in the same run
    assert page.get_by_test_id("stDialog").count() == 0
    assert page.get_by_text("Zum Überblick").count() == 1
    for script in PAGES:
        page.goto(f"{server}/{URL_PATHS[script]}")
        settle(page)
        page.locator('[data-testid="stPlotlyChart"]').first.hover()  # Plotly shows its toolbar on hover
        assert visible_english(page) == [], script
        titles = page.evaluate("() => [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
        assert "Graphen als PNG herunterladen" in titles and "Achsen zurücksetzen" in titles, (script, titles)
    context.close()
