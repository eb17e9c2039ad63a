# 善治案例库 — the two commands: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
BIN    := $(VENV)/bin
PORTAL := $(BIN)/portal

# Debian packages the portal needs on the machine: a CJK font for PDF handouts (make run),
# plus Chromium for the browser tests and LibreOffice Writer to check .docx handouts (make test).
# Installed only when missing.
RUN_DEBIAN_PACKAGES  := fonts-noto-cjk
TEST_DEBIAN_PACKAGES := fonts-noto-cjk chromium libreoffice-writer wrk
# The load benchmark's load generator (C, so it never competes for the server's or its own GIL); the
# short load test in the suite runs it too.
BENCH_DEBIAN_PACKAGES := wrk

.PHONY: run test install install-test debian-run debian-test npm-test lint bench-search bench-suggest bench-relevance bench-pages bench-load bench-content bench-publish clean

run: install debian-run
	$(PORTAL) db upgrade
	$(PORTAL) content import
	$(PORTAL) search reindex
	$(PORTAL) run --host 127.0.0.1 --port $(PORT)

# With TEST_DATABASE_URL set, the PostgreSQL pass runs beside the SQLite pass (niced, so the SQLite pass's
# browser and server tests keep their pace): on 2 cores the whole run takes about half as long.
test: install-test debian-test npm-test
	$(BIN)/ruff check
	$(PORTAL) content normalize --check
	@pg_pid=""; pg_log=$$(mktemp /tmp/portal-test-pg.XXXXXX.log); \
	if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== the suite on PostgreSQL ($$TEST_DATABASE_URL), in the background =="; \
	  nice -n 5 $(BIN)/pytest -m "not browser and not own_database" -p no:cacheprovider \
	    --basetemp=$$(mktemp -d /tmp/portal-test-pg.XXXXXX) >"$$pg_log" 2>&1 & pg_pid=$$!; \
	fi; \
	echo "== the whole suite on SQLite =="; \
	env -u TEST_DATABASE_URL $(BIN)/pytest; sqlite_rc=$$?; pg_rc=0; \
	if [ -n "$$pg_pid" ]; then \
	  wait $$pg_pid; pg_rc=$$?; \
	  echo "== the suite on PostgreSQL ($$TEST_DATABASE_URL) =="; cat "$$pg_log"; \
	fi; \
	rm -f "$$pg_log"; test $$sqlite_rc = 0 && test $$pg_rc = 0

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

debian-run:
	@$(call ensure_debian_packages,$(RUN_DEBIAN_PACKAGES))

debian-test:
	@$(call ensure_debian_packages,$(TEST_DEBIAN_PACKAGES))

# axe-core (accessibility audit injected into pages by the browser tests), from the npm registry.
npm-test: node_modules/axe-core/axe.min.js
node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

lint: install-test
	$(BIN)/ruff check

bench-search: install-test
	$(BIN)/python bench/search.py

bench-pages: install-test
	$(BIN)/python bench/pages.py

# Import, reindex, worker RSS/PSS and page times at 10k cases, with SQLite FTS5's build as the peer.
bench-content: install-test
	$(BIN)/python bench/content.py

# Publish → searchable on a second instance (gunicorn sharing the database and index), at 10k cases.
bench-publish: install-test
	$(BIN)/python bench/publish_search.py

bench-suggest: install-test
	$(BIN)/python bench/suggest.py

bench-relevance: install-test
	$(BIN)/python bench/relevance.py

bench-load: install-test
	@$(call ensure_debian_packages,$(BENCH_DEBIAN_PACKAGES))
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache

define ensure_debian_packages
missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
  echo "Installing Debian packages:$$missing"; \
  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
fi
endef
