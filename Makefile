# `make run` and `make test` each create .venv when it is missing, install the project, then act.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint postgres clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/notifier check
	$(BIN)/notifier timeline
	$(BIN)/notifier run

lint: $(STAMP)
	$(BIN)/ruff check notifier tests benchmarks
	$(BIN)/ruff format --check notifier tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

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

test: lint postgres
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) var calendars/*.ics
