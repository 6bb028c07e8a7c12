# Two entry points: `make demo` and `make test`. Everything lives in .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-library fuzz clean

# Compiled modules (setup.py) are rebuilt whenever their source changes.
$(STAMP): pyproject.toml setup.py $(wildcard src/podsum/decode.py src/podsum/textparser.py src/podsum/values.py src/podsum/repair.py src/podsum/model.py src/podsum/caps.py src/podsum/api.py src/podsum/read/*.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/podsum show samples/bg2-china-open-source.txt --format cards

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks fuzz)
	$(BIN)/mypy src

test: lint
	$(BIN)/python -m pytest
	@echo "--- the parser again as pure Python (what installs without a C compiler)"
	rm -rf build/pure && mkdir -p build/pure && cp -r src/podsum build/pure/
	find build/pure -name '*.so' -delete
	PYTHONPATH=build/pure $(BIN)/python -m pytest -p no:cacheprovider tests/test_golden.py \
		tests/test_properties.py tests/test_repair.py tests/test_values.py tests/test_render.py \
		tests/test_html.py tests/test_imports.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py --write

# The library at scale (~10 minutes; SIZE=1000000 for a million summaries).
SIZE ?= 100000
bench-library: $(STAMP)
	$(BIN)/python benchmarks/library.py --size $(SIZE) --write

clean:
	rm -rf $(VENV) build src/*.egg-info src/*.so src/podsum/*.so .pytest_cache .mypy_cache .ruff_cache

fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet atheris
	mkdir -p fuzz/corpus && for f in tests/fixtures/*/*.txt tests/fixtures/*/*.html; do cp "$$f" "fuzz/corpus/$$(basename $$(dirname $$f))-$$(basename $$f)"; done
	$(BIN)/python fuzz/fuzz_parse.py -max_total_time=60 -rss_limit_mb=2048 fuzz/corpus
