# The two commands a new user needs: `make run` (the app with demo data, no server needed) and
# `make test` (every test; on PostgreSQL + Redis when DATABASE_URL / REDIS_URL point at them).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
# A throw-away key that satisfies `check --deploy`, used only for that check.
DEPLOY_CHECK_ENV := DEBUG=0 ALLOWED_HOSTS=disputes.example.com \
	SECRET_KEY=deploy-check-only-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG

.PHONY: install run test lint check graph messages bench clean bench-peer bench-load

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Open   http://$(HOST):$(PORT)/         (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  API    http://$(HOST):$(PORT)/api/v1/cases/"
	@echo "  Log in as agent1, agent2, supervisor1 or admin; the password is: demo"
	@echo "  Stop with Ctrl-C."
	@echo ""
	@DEBUG=1 bash -c 'trap "kill 0" EXIT; \
		$(BIN)/celery -A config worker --beat --pool=solo --loglevel=INFO & \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)'

test: $(STAMP) lint check
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

check: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEPLOY_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

graph: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py graph_transitions cases.Dispute > docs/dispute-transitions.dot
	DEBUG=1 $(BIN)/python manage.py graph_transitions reviews.ReviewCase > docs/review-transitions.dot
	@if command -v dot >/dev/null; then for g in dispute review; do \
		dot -Tsvg docs/$$g-transitions.dot -o docs/$$g-transitions.svg; done; \
	else echo "Install graphviz (apt-get install graphviz) to redraw the SVG drawings in docs/"; fi

# Benchmarks (docs/BENCHMARKS.md): on DATABASE_URL, SQLite when unset. The figures in the doc are
# from PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/disputedesk_bench make bench
# N: benchmark cases (100,000 by default; `make bench N=1000000` for the large run).
N ?= 100000
BENCH_TOTAL ?=
BENCH_DUE ?= 10000
BENCH_CASES ?=
# The side by side with django-helpdesk (bench-peer, PostgreSQL only): PEER=0 skips it; its tickets.
PEER ?= 1
PEER_N ?= 100000
bench: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_bench --cases $(N)
	DEBUG=1 $(BIN)/python manage.py bench_app
	DEBUG=1 $(BIN)/python manage.py bench_reminders --due $(BENCH_DUE) $(if $(BENCH_TOTAL),--total $(BENCH_TOTAL))
	DEBUG=1 $(BIN)/python manage.py bench_reports $(if $(BENCH_CASES),--cases $(BENCH_CASES))
	DEBUG=1 $(BIN)/python manage.py bench_assistant
	DEBUG=1 $(BIN)/python manage.py bench_threats
	@case "$$DATABASE_URL" in \
		postgres*) $(MAKE) --no-print-directory bench-load; \
			if [ "$(PEER)" != 0 ]; then $(MAKE) --no-print-directory bench-peer N=$(PEER_N); fi ;; \
		*) echo "The load benchmark and the side by side with django-helpdesk run on PostgreSQL: set DATABASE_URL." ;; \
	esac

# The production server (gunicorn, config/gunicorn.conf.py, DEBUG off) on a free loopback port under
# 50 agents with wrk (apt-get install wrk), LOAD_SECONDS per scenario, on the cases seed_bench made;
# first where one request's time goes (bench_profile).
# LOAD_ARGS passes more, e.g. LOAD_ARGS="--workers 3" or "--worker-class gthread --threads 4".
LOAD_SECONDS ?= 20
LOAD_ARGS ?=
bench-load: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py bench_profile
	DEBUG=1 $(BIN)/python manage.py bench_load --seconds $(LOAD_SECONDS) $(LOAD_ARGS)

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed, so running
# the app needs no extra tool.
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans -i ".venv/*" -i "tests/*" -i "var/*" --no-location
	@echo "Translate the new entries in config/locale/zh_Hans/LC_MESSAGES/django.po, then:"
	DEBUG=1 $(BIN)/python manage.py compilemessages -i .venv

clean:
	rm -rf $(VENV) var

# Side by side with django-helpdesk 2.6.1 (benchmarks/helpdesk_peer/; docs/BENCHMARKS.md): from PyPI
# into a venv of its own, on a database of its own; N tickets (100,000 by default), PEER_RUNS runs,
# then under 50 staff users with wrk for LOAD_SECONDS, as bench-load runs the app.
PEER_VENV  := .venv-peer
PEER_STAMP := $(PEER_VENV)/.installed-$(shell cksum benchmarks/helpdesk_peer/requirements.txt | cut -d' ' -f1)
PEER_DB    ?= helpdesk_bench
PEER_RUNS  ?= 30
PEER       := PEER_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(PEER_DB) \
	$(PEER_VENV)/bin/python -m benchmarks.helpdesk_peer.bench

$(PEER_STAMP): benchmarks/helpdesk_peer/requirements.txt
	@test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet -r benchmarks/helpdesk_peer/requirements.txt
	@rm -f $(PEER_VENV)/.installed-* && touch $@

bench-peer: $(PEER_STAMP)
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(PEER_DB)'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres $(PEER_DB)
	$(PEER) migrate
	$(PEER) seed --tickets $(N)
	$(PEER) measure --runs $(PEER_RUNS)
	$(PEER) load --seconds $(LOAD_SECONDS)
