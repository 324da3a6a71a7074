"""Side by side with a peer: django-helpdesk 2.6.1, installed from PyPI into .venv-peer (never copied
here), seeded and measured on a database of its own with our harness (benchmarks/measuring.py), so
its figures read beside ours in docs/BENCHMARKS.md. `make bench-peer` runs it; bench.py is the runner,
plan.py the pure part (what to seed, what the page requests), settings.py and urls.py the project."""
