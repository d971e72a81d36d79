"""Serving the WSGI application with gunicorn from inside ``dailypapers run``."""

from __future__ import annotations

from django.db import connections
from gunicorn.app.base import BaseApplication


class _Application(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def serve(*, host: str, port: int, workers: int, threads: int) -> None:
    # Forked workers must open their own database connections.
    connections.close_all()
    _Application(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-",
            "graceful_timeout": 10,
            "timeout": 60,
        }
    ).run()
