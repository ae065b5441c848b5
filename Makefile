# The two entry points: `make start` and `make test`. Both set up everything
# they need on a fresh machine (Node 22/24, dependencies, Debian packages).
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help install start sandbox test test-e2e clean

help:
	@echo "make start   run the portal on http://localhost:3000 (backend :7007)"
	@echo "make test    everything CI runs: lockfile, types, lint, format, unit, e2e, adopter"
	@echo "make sandbox the mesh sandbox alone (Kubernetes API, metrics, Tempo API)"

install:
	@bash scripts/install.sh

start: install
	@bash scripts/start.sh

sandbox: install
	@bash scripts/sandbox.sh

test: install
	@bash scripts/system-deps.sh chromium prometheus
	@bash scripts/test.sh

test-e2e: install
	@bash scripts/system-deps.sh chromium prometheus
	@bash scripts/test.sh e2e

clean:
	rm -rf node_modules packages/*/node_modules plugins/*/node_modules \
	  packages/*/dist plugins/*/dist dist-types test-results
