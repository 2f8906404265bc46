# Two commands do all the set-up on a machine with Python >= 3.10 and pip:
#   make demo   the whole ApiToken lifecycle through the real Pulumi plugin, against the embedded fake Okta
#   make test   ruff, mypy (strict) and pytest, the end-to-end suite included (it builds the pinned
#               Pulumi CLI first: `make pulumi`, 10-20 minutes the first time, nothing afterwards)
# Both create .venv when it is missing and (re)install the package when pyproject.toml changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

# What pytest collects: the package's tests and the example user's own tests.
PYTEST_PATHS := tests examples

.DEFAULT_GOAL := help
.PHONY: help demo test cli lint format typecheck pytest e2e pulumi sdks sdk-deps sdk-java-deps examples-deps bench dist clean

help:
	@echo "make demo      adopt, no-op up, network change, refresh drift, destroy: real plugin, fake Okta"
	@echo "make test      ruff check, ruff format --check, mypy (strict), pytest (the e2e suite included)"
	@echo "make cli       the pulumi-okta-token command: make cli ARGS=\"list --format table\" (OKTA_* from the environment)"
	@echo "make pulumi    build the pinned Pulumi CLI and language hosts into .tools/pulumi/bin (tools/pulumi)"
	@echo "make sdks      regenerate sdk/nodejs, sdk/go (and the Python SDK modules) from the schema with the pinned CLI"
	@echo "make sdk-deps  npm ci and build sdk/nodejs (into sdk/nodejs/bin), go mod download in sdk/ (the registries)"
	@echo "make examples-deps  sdk-deps, then npm ci in examples/typescript and go mod download in examples/go"
	@echo "make sdk-java-deps  download what sdk/java/pom.xml needs into .tools/maven/repository (then mvn -o works)"
	@echo "make e2e       only the end-to-end suite: the real pulumi CLI against the fake Okta (tests/e2e)"
	@echo "make format    apply ruff format and the safe ruff fixes"
	@echo "make bench     benchmarks/run.py (start-up, API calls, scale, state size, the real CLI; BENCH_ARGS='--only p5 --n 50')"
	@echo "make dist      build the sdist, the wheel and the npm tarball into dist/ and check every SDK (release/)"
	@echo "make clean     remove .venv, caches and build leftovers"

# The interpreter itself; creating it is idempotent.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml is newer than the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[test]"
	@touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/python -m pulumi_okta_token.demo

test: lint typecheck pytest

# The org CLI from the virtualenv, as `.venv/bin/pulumi-okta-token $(ARGS)` (README: the org CLI).
cli: $(VENV)/.installed
	$(BIN)/pulumi-okta-token $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test pulumi examples-deps
	$(BIN)/pytest -q $(PYTEST_PATHS)

# The pinned Pulumi CLI and language hosts (tools/pulumi/go.mod), built from the Go module proxy into
# .tools/pulumi/bin; does nothing when they are built from the current pins.
pulumi:
	bash tools/pulumi/build.sh

# Every SDK generated from pulumi_okta_token/native/schema.json by the pinned CLI (tools/sdk/generate.sh);
# the generated files are committed, and CI fails when regenerating them changes anything.
sdks: pulumi
	bash tools/sdk/generate.sh

# What the SDKs and the examples in TypeScript and Go need from the npm registry and the Go module proxy
# (and the Java SDK from Maven Central: sdk-java-deps, below), installed here and only here: the tests then
# build and run them offline (GOPROXY=off, npm offline, mvn -o).
# sdk/nodejs/bin is the installable Node.js package (tsc's output with package.json and README, as
# Pulumi's providers publish it); examples/typescript installs a copy of it (.npmrc: install-links).
NPM := npm --no-audit --no-fund --loglevel=error
SDK_NODEJS := sdk/nodejs
SDK_NODEJS_SOURCES := $(wildcard $(SDK_NODEJS)/*.ts $(SDK_NODEJS)/config/*.ts $(SDK_NODEJS)/types/*.ts)

$(SDK_NODEJS)/node_modules/.installed: $(SDK_NODEJS)/package.json $(SDK_NODEJS)/package-lock.json
	cd $(SDK_NODEJS) && $(NPM) ci
	@touch $@

$(SDK_NODEJS)/bin/package.json: $(SDK_NODEJS)/node_modules/.installed $(SDK_NODEJS_SOURCES) $(SDK_NODEJS)/tsconfig.json $(SDK_NODEJS)/README.md
	rm -rf $(SDK_NODEJS)/bin
	cd $(SDK_NODEJS) && $(NPM) run build
	cp $(SDK_NODEJS)/README.md $(SDK_NODEJS)/package.json $(SDK_NODEJS)/bin/

sdk-deps: $(SDK_NODEJS)/bin/package.json sdk-java-deps
	cd sdk && go mod download

examples/typescript/node_modules/.installed: examples/typescript/package.json examples/typescript/package-lock.json $(SDK_NODEJS)/bin/package.json
	cd examples/typescript && $(NPM) ci
	@touch $@

examples-deps: sdk-deps examples/typescript/node_modules/.installed
	cd examples/go && go mod download

# The Java SDK's dependencies (com.pulumi:pulumi) and build plugins, from Maven Central into a Maven
# repository of this checkout's own (git-ignored, not ~/.m2), by compiling a scratch copy of sdk/java once;
# tests/e2e/test_sdk_java.py then compiles offline (mvn -o) against it. Nothing is done while the stamp is
# newer than the pom.
MAVEN      ?= mvn
MAVEN_REPO := $(CURDIR)/.tools/maven/repository

sdk-java-deps: .tools/maven/.downloaded

.tools/maven/.downloaded: sdk/java/pom.xml
	@scratch="$$(mktemp -d)" && cp -R sdk/java "$$scratch/java" && \
	  $(MAVEN) -B -q -Dmaven.repo.local=$(MAVEN_REPO) -f "$$scratch/java/pom.xml" package; \
	  status=$$?; rm -rf "$$scratch"; exit $$status
	@touch $@

e2e: $(VENV)/.installed-test pulumi examples-deps
	$(BIN)/pytest -q tests/e2e

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed pulumi
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# The release artifacts: the sdist, then the wheel built from the unpacked sdist (python -m build), with
# the setuptools of the test extra (--no-isolation: no download of the build backend); then their metadata
# (twine check renders the long description), and release/check_dist.py for the rest, which installs the
# wheel into a new virtualenv and runs the demo and the examples' tests from it; then release/check_sdks.py,
# the other languages' artifacts (the npm tarball into dist/, the Go module built offline).
DIST_TOOLS := "build>=1.2" "twine>=6"

$(VENV)/.installed-dist: $(VENV)/.installed-test
	$(PIP) install $(DIST_TOOLS)
	@touch $@

dist: $(VENV)/.installed-dist sdk-deps
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*
	$(BIN)/python release/check_dist.py dist
	$(BIN)/python release/check_sdks.py dist

# .tools (the Pulumi build) stays: `rm -rf .tools` to rebuild it from scratch.
clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis *.egg-info build dist
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
