# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test check format serve migrate clean venv dev-venv bench bench-full screenshots

$(BIN)/activate:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

## demo: install, migrate a SQLite database under var/, seed demo data if empty, serve on :8000
demo: venv
	$(BIN)/commons migrate
	$(BIN)/commons demo
	$(BIN)/commons serve --host $(HOST) --port $(PORT)

## test: install with dev extras and run the whole suite
test: dev-venv
	$(BIN)/pytest $(PYTEST_ARGS)

## check: lint, format check and types
check: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## screenshots: the main pages with demo data, desktop and phone, into docs/screenshots/
screenshots: dev-venv
	$(PY) -m tests.e2e.screenshots

format: dev-venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: the quick benchmark set (< 5 minutes; needs PostgreSQL and Redis, installs wrk: see docs/benchmarks.md)
bench: dev-venv bench-tools
	$(PY) -m bench.all --quick

## bench-full: the long set (1k/5k/10k subscribers, 1M posts)
bench-full: dev-venv bench-tools
	$(PY) -m bench.all --full

# bench.pages drives HTTP load with wrk rather than a Python client (bench/loadgen.py holds websocket
# subscribers, not HTTP requests): wrk's C event loop spends microseconds of CPU per request, so on a
# two-core machine nearly all of the CPU goes to the server and the figures are the server's. A Python
# client spends a good part of a millisecond per request: it would take that CPU from the server and
# add its own latency to the figures. Installed as .ci/run installs what CI lacks: apt-get, as root or
# through sudo.
.PHONY: bench-tools
bench-tools:
	@command -v wrk >/dev/null || { \
	  echo "installing wrk (apt-get) for bench.pages"; \
	  if [ "$$(id -u)" = 0 ]; then as_root=; else as_root=sudo; fi; \
	  $$as_root apt-get update -qq && \
	  $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v wrk >/dev/null || { echo "wrk is still missing: install it (apt-get install -y wrk)"; exit 1; }

serve: venv
	$(BIN)/commons serve --host $(HOST) --port $(PORT)

migrate: venv
	$(BIN)/commons migrate

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
