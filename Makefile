# The two entry points: `make start` and `make test`. Both set up everything
# they need on a fresh machine (Node 22/24, dependencies, Debian packages).
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help install start start-production sandbox test test-e2e bench clean

help:
	@echo "make start   run the portal on http://localhost:3000 (backend :7007)"
	@echo "make test    everything CI runs: lockfile, types, api-reports, lint, format, unit, e2e, production, adopter"
	@echo "make sandbox the mesh sandbox alone (Kubernetes API, metrics, Tempo API)"
	@echo "make start-production  two backend replicas on PostgreSQL and Redis (:7107, :7108)"
	@echo "make bench   the performance table: throughput, p95, first view, RSS (scripts/bench)"

install:
	@bash scripts/install.sh

start: install
	@bash scripts/start.sh

start-production: install
	@bash scripts/system-deps.sh prometheus
	@bash scripts/production.sh start

sandbox: install
	@bash scripts/sandbox.sh

test: install
	@bash scripts/system-deps.sh chromium procps prometheus postgresql redis-server
	@bash scripts/test.sh

test-e2e: install
	@bash scripts/system-deps.sh chromium procps prometheus
	@bash scripts/test.sh e2e

bench: install
	@bash scripts/system-deps.sh prometheus
	@bash scripts/bench/run.sh

clean:
	rm -rf node_modules packages/*/node_modules plugins/*/node_modules \
	  packages/*/dist plugins/*/dist dist-types test-results
