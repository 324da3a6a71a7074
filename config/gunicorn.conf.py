"""gunicorn's settings for the web processes: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Options given on the command line (--workers, --bind, --timeout…) override these.
"""

import os

# Sync workers that answer an API request stopped at the timeout in JSON (config/gunicorn_worker.py).
worker_class = "config.gunicorn_worker.JsonTimeoutWorker"
timeout = 30


def _workers() -> int:
    """2 per core + 1 (WEB_CONCURRENCY to choose). A request spends most of its time in Python
    (templates, the ORM): threads in one process would share one core through the GIL, so each
    worker is a process; the extra ones keep the cores busy while others wait on PostgreSQL
    (docs/performance.md, "Under load")."""
    wanted = os.environ.get("WEB_CONCURRENCY", "").strip()
    if not wanted:
        return 2 * (os.cpu_count() or 1) + 1
    if not wanted.isdigit() or int(wanted) < 1:
        raise SystemExit(f"WEB_CONCURRENCY must be a number of worker processes, not {wanted!r}.")
    return int(wanted)


workers = _workers()
