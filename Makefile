# Two commands for a newcomer: `make run` (dashboard on the built-in data) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
# Only this machine by default; `make run ADDRESS=0.0.0.0` (or an nginx in front) to serve others.
ADDRESS ?= 127.0.0.1
N      ?= 3

.PHONY: run test test-fast bench store chromium nginx ocr office cluster clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 oder neuer wird gebraucht")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

# Build the store from data/ unless one exists (the real agreement, published amounts, demo corpus).
store: $(STAMP)
	@test -e data/aqb.duckdb || $(BIN)/aqb build

run: store
	@echo "Dashboard: http://$(ADDRESS):$(PORT)"
	$(BIN)/streamlit run serve.py --server.headless true --server.address $(ADDRESS) --server.port $(PORT)

# Debian packages the tests need, installed once (as root, or through sudo) when their command is missing.
define apt_install
if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(1); \
else sudo apt-get update -qq && sudo apt-get install -y -qq $(1); fi
endef

# Chromium for the browser tests (Playwright's own download does not work offline).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(call apt_install,chromium); }

# nginx for the cluster (deploy/) and its test; started by deploy/cluster.py, never as a system service.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { $(call apt_install,nginx); }

# Tesseract with German data: scanned PDFs are read by OCR (aqb.ingest.ocr) and tested on a scan.
ocr:
	@tesseract --list-langs 2>/dev/null | grep -qx deu || { $(call apt_install,tesseract-ocr tesseract-ocr-deu); }

# LibreOffice and pdftotext: the test that rebuilds the office-made fixtures (tests/fixtures/office/).
office:
	@{ command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; } || \
		{ $(call apt_install,libreoffice-writer-nogui poppler-utils); }

# N replicas of the dashboard behind nginx on http://127.0.0.1:8500 (replicas on 8511 …), one data directory.
cluster: store nginx
	$(BIN)/python deploy/cluster.py --replicas $(N)

test: $(STAMP) chromium nginx ocr office
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: $(STAMP) chromium ocr nginx
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_briefings.py
	$(BIN)/python benchmarks/bench_soak.py
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/bench_load.py --quick

clean:
	rm -rf data/store data/aqb.duckdb data/demo artifacts
