# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint check-content bench clean

setup:
	./scripts/bootstrap.sh

## Diagnose the bundled sample assessment (the web app will take this place once it lands).
run: setup
	$(BIN)/readiness check-content
	$(BIN)/readiness diagnose questionnaires/samples/sample.yaml

## Lint, type-check the core and run every test.
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-content: setup
	$(BIN)/readiness check-content

bench: setup
	$(BIN)/python bench/bench_diagnose.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
