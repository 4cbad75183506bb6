# Two commands matter: `make run` and `make test`. Both set everything up on a machine
# with only Python 3.11 and git.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format serve serve-check bench admin-bench loadtest faults venv migrate seed editor clean

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_catalog

## Local development server with the seed catalog, on SQLite unless DATABASE_URL is set.
run: seed
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole test suite (browser tests skip, saying why, when chromium is absent).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

## The edit loop: SQLite, one worker per CPU, stops at the first failure, no browser
## tests. Narrow it with ARGS, e.g. `make test-fast ARGS="tests/comparisons -n 0"` (no
## worker start-up: the pure generator tests run in a few seconds).
test-fast: $(STAMP)
	env -u DATABASE_URL $(BIN)/python -m pytest -n auto -x -m "not browser" $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Create an editor account: make editor USERNAME=alice
editor: migrate
	$(BIN)/python manage.py create_editor $(or $(USERNAME),editor)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

## Benchmarks: synthetic 500-model catalog, gunicorn + whitenoise, wrk. See docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(ARGS)

## Admin timings: every admin list, search, the workbench and the model form at 500 models
## (MODELS=1500 for more), median ms and queries, in process. See docs/benchmarks.md, "Admin".
admin-bench: $(STAMP)
	$(BIN)/python bench/admin_timings.py --models $(or $(MODELS),500)

## Load test: 200 concurrent clients for 60 s against gunicorn on 127.0.0.1; fails on any error.
loadtest: $(STAMP)
	$(BIN)/python bench/load.py

## Faults: gunicorn (production settings) while Redis stops, the database hangs or goes
## down and a worker is killed; loopback only, under two minutes. Needs PostgreSQL on
## 127.0.0.1:5432 (a throwaway database) and redis-server; about a minute. See docs/faults.md.
faults: $(STAMP)
	$(BIN)/python bench/faults.py

## The production server locally: DEBUG off, static files collected and compressed,
## WEB_CONCURRENCY workers (default 3). With REDIS_URL set they share Redis as the cache;
## without it `serve-check` warns that each worker counts sign-ins and API requests alone.
serve: migrate serve-check
	DEBUG=0 STATIC_MANIFEST=1 $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=0 STATIC_MANIFEST=1 SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
	SECURE_COOKIES=$${SECURE_COOKIES:-0} \
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
	--workers $${WEB_CONCURRENCY:-3} --access-logfile -

serve-check:
	@if [ -n "$$REDIS_URL" ]; then \
		echo "== cache: Redis (REDIS_URL), shared by the $${WEB_CONCURRENCY:-3} workers"; \
	else \
		echo "== cache: each worker's own memory (REDIS_URL is not set)"; \
	fi
	@echo "== admin imports: queued for a task worker; run $(BIN)/python manage.py db_worker beside it"
	@WEB_CONCURRENCY=$${WEB_CONCURRENCY:-3} $(BIN)/python manage.py check
