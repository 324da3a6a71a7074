"""Benchmarks at scale: seeding many cases (seeding.py) and measuring the app against the SQL
floor (measuring.py); `manage.py seed_bench` and `manage.py bench_app`, both run by `make bench`."""
