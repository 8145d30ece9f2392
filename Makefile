# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run consultant diagnose test check lint check-content bench lock translations clean

setup:
	./scripts/bootstrap.sh

HOST ?= 127.0.0.1
PORT ?= 5000
# A local trial: development mode (cookies without the Secure flag, so plain http works) with a secret
# generated once into instance/. Behind HTTPS, run gunicorn with SECRET_KEY set and no READINESS_ENV.
RUN_ENV = READINESS_ENV=development SECRET_KEY=$$(cat instance/secret_key)

## Start the web app on SQLite (database created/upgraded) at http://127.0.0.1:5000
run: setup
	@mkdir -p instance
	@test -s instance/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > instance/secret_key
	$(RUN_ENV) $(BIN)/flask --app wsgi db upgrade -d migrations
	@echo "Readiness is running at http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(RUN_ENV) $(BIN)/gunicorn --bind $(HOST):$(PORT) --access-logfile - wsgi:app

## Create a consultant account for the workshop mode (the password is asked for): make consultant EMAIL=you@example.com NAME="..."
consultant: setup
	@test -n "$(EMAIL)" || (echo "usage: make consultant EMAIL=you@example.com NAME='Your Name'"; exit 2)
	@mkdir -p instance
	@test -s instance/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > instance/secret_key
	@$(RUN_ENV) $(BIN)/flask --app wsgi db upgrade -d migrations
	$(RUN_ENV) $(BIN)/flask --app wsgi create-consultant "$(EMAIL)" --name "$(NAME)"

## Diagnose the bundled sample assessment on the command line.
diagnose: setup
	$(BIN)/readiness check-content
	$(BIN)/readiness diagnose questionnaires/samples/sample.yaml
	$(BIN)/readiness report questionnaires/samples/sample.yaml -o sample-proposal.pdf

## Lint, type-check the core, check its layers (import-linter) and run every test; then the web app's tests and
## the live-server ones again on a throw-away PostgreSQL (tests/databases.py). PDFs and the browser are left to the
## first pass: what they check (layout, fonts, scripts) reads the same rows through the same queries (the deployment
## test is on PostgreSQL in the first pass already). Last, the short scale-out run: two nodes, two PDF workers,
## PostgreSQL, Redis and nginx, a node and a worker killed midway (bench/bench_scale_out.py).
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q
	READINESS_TEST_DATABASE=postgresql $(BIN)/pytest -q tests/web tests/e2e -m "not pdf and not browser" \
		--ignore=tests/e2e/test_deployment.py
	$(BIN)/python bench/bench_scale_out.py --short

## Lint, types, layers and the fast tests (no PDF renders, no live server, no browser, no wheel install): the quick loop.
check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q -m "not pdf and not server and not browser and not install"

lint: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-content: setup
	$(BIN)/readiness check-content

bench: setup
	$(BIN)/python bench/bench_diagnose.py

## Collect the app's words into the catalogue template and the Japanese catalogue (then fill the empty msgstr).
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k lazy_ngettext:1,2 -k N_ -k as_text --no-location \
		-o assessment/translations/messages.pot .
	$(BIN)/pybabel update -i assessment/translations/messages.pot -d assessment/translations --no-fuzzy-matching

## Refresh constraints.txt: the newest versions pyproject.toml allows, installed into a scratch venv and frozen.
lock:
	rm -rf .lock-venv && python3 -m venv .lock-venv
	.lock-venv/bin/python -m pip install -q --upgrade pip
	.lock-venv/bin/python -m pip install -q -e ".[dev]"
	{ sed -n '1,3p' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf .lock-venv
	@echo "constraints.txt refreshed: run make test before committing it"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
