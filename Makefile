# The README's two commands are `make demo` and `make test`; each builds .venv from scratch if needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: demo test install install-test bench report ui clean cluster-up cluster-down cluster-status sync

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: set up and run the default sweep (experiment=bandits_demo) on local Ray, then its report
demo: install
	$(BIN)/simlab run
	$(BIN)/simlab report experiment=bandits_demo

## test: set up with the [test] extra and run the whole suite
test: install-test
	$(BIN)/python -m pytest

bench: install
	$(PIP) install -q -e ".[bench]"
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

ui: install
	$(BIN)/simlab ui

## cluster-up / cluster-down: a Ray head and an MLflow server on 127.0.0.1 (scripts/cluster.sh);
## then: simlab run runner=cluster runner.address=127.0.0.1:6379 tracking.uri=http://127.0.0.1:5000
cluster-up: install
	BIN=$(abspath $(BIN)) scripts/cluster.sh up

cluster-down:
	BIN=$(abspath $(BIN)) scripts/cluster.sh down

cluster-status:
	BIN=$(abspath $(BIN)) scripts/cluster.sh status

## sync: store results left in .spool/ while the tracking store was unavailable
sync: install
	$(BIN)/simlab sync

clean:
	rm -rf outputs .ray reports
