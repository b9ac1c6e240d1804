"""WSGI entry point for production servers: `gunicorn leaders.wsgi:app`.

gunicorn reads `gunicorn.conf.py` from the working directory (the repository's root); it tunes
garbage collection in each worker after the app is loaded (leaders.runtime).
"""

from leaders import create_app

app = create_app("production")
