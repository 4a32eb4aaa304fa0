# User-facing targets: `make run` and `make test` (see README.md).
# Every other target is a helper; each one sets up what it needs first.

VENV := .venv
BIN  := $(VENV)/bin
# Lint only the source trees that exist (bench/ and tests/ may arrive later).
LINT_PATHS := $(wildcard phone_sim tests bench)
# Checks run by `make test`, in this order; all run, the target fails if any failed.
CHECKS := lint typecheck imports pytest
# pytest loads the scenario plugin through its pytest11 entry point and aborts if the module
# is missing; until phone_sim/scenario/pytest_plugin.py exists, tell pytest to skip it.
PYTEST_FLAGS := $(if $(wildcard phone_sim/scenario/pytest_plugin.py),,-p no:phone_sim_scenarios)

.PHONY: run test setup lint typecheck imports pytest clean help

help:
	@echo "make run   - set everything up and open the simulator"
	@echo "make test  - set everything up and run every check and test"

run: setup
	$(BIN)/phone-sim

test: setup
	@failed=""; \
	for check in $(CHECKS); do \
		$(MAKE) --no-print-directory $$check || failed="$$failed $$check"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all checks passed"

setup:
	@bash scripts/setup.sh

lint: setup
	$(BIN)/ruff check $(LINT_PATHS)

typecheck: setup
	$(BIN)/mypy phone_sim/network

imports: setup
	$(BIN)/lint-imports --no-logo

pytest: setup
	$(BIN)/pytest $(PYTEST_FLAGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
