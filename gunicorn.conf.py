"""gunicorn settings for `gunicorn leaders.wsgi:app` (read from the working directory).

Workers load the app themselves (no `preload_app`: the database pool must not be shared across a
fork); once a worker has loaded it, garbage collection is tuned (see leaders/runtime.py).
"""

from leaders.runtime import tune_gc


def post_worker_init(worker):  # gunicorn passes the worker
    tune_gc()
