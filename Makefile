# `make run` and `make test` each create .venv when it is missing, install the project, then act.
# The install byte-compiles the package: it is installed editable (pip writes no .pyc for it),
# and where PYTHONDONTWRITEBYTECODE is set Python never writes one, so every command would
# compile its ~100 modules from source again (about 0.1 s at the prompt). `run` and `test`
# compile again what changed since (0.04 s when nothing did).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

AXE := node_modules/axe-core/axe.min.js
export DEBIAN_FRONTEND := noninteractive

.PHONY: run test lint clean browser postgres pdf-libraries

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q notifier
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m compileall -q notifier
	$(BIN)/notifier check
	$(BIN)/notifier calendars
	@echo
	@echo "Every deadline: $(BIN)/notifier timeline   (commands: $(BIN)/notifier --help)"
	@echo "Web pages: http://127.0.0.1:8080/  (sign in with an address from the register, e.g."
	@echo "  legal@example.com; with no SMTP server set, the link is an .eml file in var/outbox/)"
	@echo "Calendar feeds: the webcal:// links above, also on http://127.0.0.1:8080/feeds"
	@echo "Health: http://127.0.0.1:8080/healthz    Stop: Ctrl-C"
	@echo
	$(BIN)/notifier run

lint: $(STAMP)
	$(BIN)/ruff check notifier tests benchmarks
	$(BIN)/ruff format --check notifier tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The pages' tests drive Debian's chromium (Playwright cannot download browsers here) and inject
# axe-core from npm; both are installed when missing (apt-get needs root, as on CI).
browser: $(AXE)
	@command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation; }

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update && apt-get install -y --no-install-recommends nodejs npm; }
	npm ci --no-audit --no-fund --silent
	touch $@

# The store tests run on PostgreSQL too, on a private server the tests start themselves from
# Debian's server binaries: installed here when missing (as root, as CI runs). Without them and
# without root, the PostgreSQL half of the tests is skipped and says why (never in CI).
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			-o DPkg::Lock::Timeout=300 postgresql; \
	else \
		echo "PostgreSQL server binaries missing and not root: its tests will be skipped"; \
	fi

# The evidence pack's PDF is printed by WeasyPrint, which needs Debian's Pango and fonts:
# installed when missing (apt-get needs root, as on CI).
pdf-libraries:
	@if ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && apt-get install -y -q --no-install-recommends \
			-o DPkg::Lock::Timeout=300 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
			fonts-dejavu-core fonts-liberation; \
	else \
		echo "Pango missing and not root: install libpango-1.0-0 libpangoft2-1.0-0 for packs"; \
	fi

test: lint browser postgres pdf-libraries
	$(BIN)/python -m compileall -q notifier
	$(BIN)/pytest -q

# Derived files only. The store (var/notifier.db: done marks, events, the audit log, the ledger)
# and the outbox (var/outbox: messages written instead of sent) are never removed by make.
clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache calendars/*.ics node_modules
