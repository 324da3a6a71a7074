"""gunicorn's settings for the web processes: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Options given on the command line (--workers, --bind, --timeout…) override these.
"""

# Sync workers that answer an API request stopped at the timeout in JSON (config/gunicorn_worker.py).
worker_class = "config.gunicorn_worker.JsonTimeoutWorker"
timeout = 30
