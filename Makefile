# The two commands of the README: `make demo` and `make test`. Both set up their own environment.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: demo test faults lint typecheck check schema bench browser-deps zoo-deps zoo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) browser-deps
	$(BIN)/gazette ingest corpus --out output --jobs $(JOBS)
	$(BIN)/python bench/screenshots.py output/site output/screenshots

browser-deps:
	@dpkg -s chromium fonts-noto-cjk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium or fonts-noto-cjk missing and not root: browser tests will be skipped"; fi; }

# the layout zoo's fonts (楷体, 明体, 黑体 as Debian ships them) and LibreOffice for its Word renditions
zoo-deps:
	@dpkg -s fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei libreoffice-writer-nogui >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei libreoffice-writer-nogui >/dev/null; \
	  else echo "zoo fonts or LibreOffice missing and not root: the zoo uses STSong-Light and skips the Word styles"; fi; }

zoo: $(STAMP) zoo-deps
	$(BIN)/python -m tests.zoo.build

test: $(STAMP) browser-deps zoo-deps
	$(BIN)/ruff check pipeline schemas tests bench tools
	$(BIN)/ruff format --check pipeline schemas tests bench tools
	$(BIN)/python tools/complexity.py
	$(BIN)/python -m pytest -n $(JOBS) -q

# the fault-injection suite alone (it is also part of `make test`)
faults: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) -q tests/test_faults_kill.py tests/test_faults_outputs.py tests/test_faults_inputs.py tests/test_faults_hostile.py tests/test_faults_layout.py

lint: $(STAMP)
	$(BIN)/ruff check pipeline schemas tests bench tools
	$(BIN)/ruff format --check pipeline schemas tests bench tools
	$(BIN)/python tools/complexity.py

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

schema: $(STAMP)
	$(BIN)/gazette schema --out schemas

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf output/* $(VENV) .pytest_cache .mypy_cache .ruff_cache
