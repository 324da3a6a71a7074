"""The peer project as a WSGI application, for gunicorn under load (benchmarks/helpdesk_peer/load.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.helpdesk_peer.settings")
application = get_wsgi_application()
