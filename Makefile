# The two commands of the README: `make demo` and `make test`. Each installs what is missing
# (project venv, npm toolchain, the cairo-lang fix, the solc wrapper) and is idempotent.
SHELL := /bin/bash
ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
BIN := $(VENV)/bin
SOLC_DIR := $(ROOT)/.solc
SOLC_VERSION := 0.8.28

export PATH := $(ROOT)/tools/bin:$(BIN):$(ROOT)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export SOLCX_BINARY_PATH := $(SOLC_DIR)
export PYTHONPATH := $(ROOT)

.PHONY: setup demo demo-spot test bench clean

setup: $(VENV)/.installed $(VENV)/.native $(VENV)/.cairo_vm node_modules/.installed $(SOLC_DIR)/solc-v$(SOLC_VERSION)

$(VENV)/.installed: pyproject.toml constraints.txt tools/patch_cairo_lang.py
	test -x $(BIN)/python || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	@echo "installing the pinned Python packages into .venv (a few minutes the first time)"
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e .
	$(BIN)/python tools/patch_cairo_lang.py
	$(BIN)/python -m pip check
	touch $@

# The prover's native core (native/: Rust, built by maturin into the venv as `stark_native`).
$(VENV)/.native: $(VENV)/.installed native/Cargo.toml native/Cargo.lock native/pyproject.toml $(wildcard native/src/*.rs)
	@command -v cargo >/dev/null || { echo "cargo (the Rust toolchain) is needed to build native/"; exit 1; }
	$(BIN)/python -m pip install --quiet ./native
	touch $@

# The Cairo runner on lambdaclass' cairo-vm (native/cairo_runner/: Rust, built by maturin as `starkex_cairo_vm`).
$(VENV)/.cairo_vm: $(VENV)/.installed native/cairo_runner/Cargo.toml native/cairo_runner/Cargo.lock native/cairo_runner/pyproject.toml $(wildcard native/cairo_runner/src/*.rs)
	@command -v cargo >/dev/null || { echo "cargo (the Rust toolchain) is needed to build native/cairo_runner/"; exit 1; }
	$(BIN)/python -m pip install --quiet ./native/cairo_runner
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(SOLC_DIR)/solc-v$(SOLC_VERSION): node_modules/.installed tools/install_solc.sh tools/solc-wrapper.js
	tools/install_solc.sh

demo: setup
	$(BIN)/ape run demo

demo-spot: setup
	$(BIN)/ape run demo --app spot

test: setup
	$(BIN)/ape test tests $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules $(SOLC_DIR) .build build native/target native/cairo_runner/target
