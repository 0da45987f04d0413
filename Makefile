# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test install install-test chromium tools hub proof clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium)"; exit 1; \
	fi

# wrk (and nginx-light) for benchmarks/bench_site.py, the static site's load measurement; installed when root.
tools:
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; \
	else \
		echo "wrk is missing (sudo apt-get install wrk nginx-light): benchmarks/bench_site.py needs it"; \
	fi

# configurable-http-proxy (npm) for the JupyterHub deployment and its test (deploy/jupyterhub/).
hub: deploy/jupyterhub/node_modules/.bin/configurable-http-proxy

deploy/jupyterhub/node_modules/.bin/configurable-http-proxy: deploy/jupyterhub/package.json
	npm install --silent --no-audit --no-fund --prefix deploy/jupyterhub
	touch $@

# The main job: the dashboards on http://127.0.0.1:8866/ (Ctrl-C stops them). The example
# regions' roadmap documents and the comparison are built into out/ first if they are missing.
run: install chromium
	@if [ ! -f out/comparison.html ]; then $(BIN)/workbench build --out out; fi
	$(BIN)/workbench serve

test: install-test chromium tools hub
	$(BIN)/python -m pytest

# One suite that proves reliability, security and speed; writes docs/quality.md (about 12 minutes on two cores).
proof: install-test chromium
	$(BIN)/python -m proof

clean:
	rm -rf $(VENV) .pytest_cache build
