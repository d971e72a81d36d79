"""Serving the WSGI application with gunicorn from inside ``dailypapers run``."""

from __future__ import annotations

import gc

from django.conf import settings
from django.db import connections
from django.urls import get_resolver
from gunicorn.app.base import BaseApplication


class _Application(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Loaded once, before the workers fork ("preload_app"), as
        # dailypapers.wsgi is under gunicorn's --preload in production.
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        share_with_workers()
        return application


def share_with_workers() -> None:
    """What each worker would otherwise build for itself, built once here
    before the workers fork, so that they share its memory pages (copy on
    write) instead of holding a copy each: every view's module and what it
    imports. gc.freeze() keeps the collector from writing to those objects,
    which would copy their pages. The model, faiss and ONNX Runtime are left
    to the workers: they start threads, and a process forked with a thread
    it does not have hung or aborted (docs/benchmarks.md, "Memory")."""
    get_resolver().url_patterns  # noqa: B018 imports every view
    connections.close_all()
    gc.freeze()


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
            # How long an idle connection stays open. A proxy in front keeps
            # its connections to the app servers for its own idle time (60 s
            # for nginx's upstream keep-alive and the cloud load balancers):
            # closed sooner, at gunicorn's 2 s, the proxy can send a request
            # down a connection just closed, and a POST comes back a 502.
            # Facing browsers directly, the short default keeps idle
            # connections from holding every worker's connection slots.
            "keepalive": 75 if settings.TRUSTED_PROXY_COUNT else 2,
            "timeout": 60,
            # Each installation's own control socket (gunicornc), not one
            # shared path in the home directory.
            "control_socket": str(settings.DATA_DIR / "gunicorn.ctl"),
            # gunicorn's default 4,094-byte request line answered long search
            # URLs with its own HTML 414 before the site could; 0 lifts it to
            # gunicorn's 1 MB ceiling, and the site answers what is too long.
            "limit_request_line": 0,
            # Each worker listens on a socket of its own (SO_REUSEPORT) and the
            # kernel spreads connections over them. On one shared socket the
            # worker that went back to waiting last won nearly every accept:
            # under a moderate load all keep-alive connections ended on one
            # process, one core busy and the other idle, latency tripled
            # (docs/benchmarks.md, "Load").
            "reuse_port": True,
            # The application is loaded once before the workers fork
            # (share_with_workers).
            "preload_app": True,
        }
    ).run()
