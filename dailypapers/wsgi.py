"""The WSGI application, for gunicorn (`dailypapers run`, or gunicorn itself
in production: docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application

from dailypapers.server.http import share_with_workers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
application = get_wsgi_application()
# With gunicorn's --preload this runs once, before the workers fork, and
# they share what it loaded; without it, each worker merely loads it sooner.
share_with_workers()
