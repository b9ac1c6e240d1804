"""WSGI entry point for production servers: `gunicorn leaders.wsgi:app`."""

from leaders import create_app

app = create_app("production")
