import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
application = get_wsgi_application()

# New code or settings may render pages differently: none cached before counts.
from dailypapers.core import page_version  # noqa: E402  (needs the settings)

page_version.changed()
