PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint install clean model crossval browser web-assets

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m compileall -q bot handlers intents storage  # bytecode, even where PYTHONDONTWRITEBYTECODE is set
	$(PY) -c "from intents import Classifier; Classifier.load().wait_ready()"  # jieba's files for a fast start
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m bot simulate --config config.example.toml --db gridbot-demo.db --web

test: $(STAMP) browser
	$(PY) -m pytest -q

# The dashboard's browser test uses Debian's headless Chromium (and a Chinese font for its
# screenshots). Installed here when missing and we are root; quietly, and a failure only
# means that test is skipped (it says why).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser test..."; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-wqy-microhei >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium fonts-wqy-microhei >/dev/null 2>&1)) || \
		echo "could not install chromium: the browser test will be skipped"; \
	fi

# The dashboard's browser libraries, vendored (served from the package, no CDN): fetched
# from the npm registry at these versions and committed. See bot/web/static/vendor/README.md.
HTMX_VERSION := 2.0.11
ECHARTS_VERSION := 6.1.0
VENDOR := bot/web/static/vendor
web-assets:
	rm -rf .web-assets && mkdir .web-assets
	cd .web-assets && npm pack -q htmx.org@$(HTMX_VERSION) echarts@$(ECHARTS_VERSION) >/dev/null
	cd .web-assets && mkdir htmx echarts && tar xzf htmx.org-$(HTMX_VERSION).tgz -C htmx \
		&& tar xzf echarts-$(ECHARTS_VERSION).tgz -C echarts
	cp .web-assets/htmx/package/dist/htmx.min.js .web-assets/htmx/package/LICENSE $(VENDOR)/htmx/
	cp .web-assets/echarts/package/dist/echarts.common.min.js .web-assets/echarts/package/LICENSE \
		.web-assets/echarts/package/NOTICE $(VENDOR)/echarts/
	cp .web-assets/echarts/package/licenses/LICENSE-d3 $(VENDOR)/echarts/LICENSE-d3
	cd .web-assets && sha256sum *.tgz
	rm -rf .web-assets

bench: $(STAMP)
	$(PY) bench/run_all.py

# Fit the classifier's weights on corpus/ (scikit-learn, build time only); reproducible.
model: $(STAMP)
	$(PY) -m pip install -q -e '.[model]'
	$(PY) -m intents.train

# Held-out figures: each corpus file (writer) scored by a model fitted on the others.
crossval: $(STAMP)
	$(PY) -m pip install -q -e '.[model]'
	$(PY) -m intents.train --cross-validate

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) *.db *.db-wal *.db-shm
