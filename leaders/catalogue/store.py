"""The catalogue in a Flask app: loaded at start, optionally reloaded when files change.

Configuration:

- ``CONTENT_DIR``: the content folder (required).
- ``CONTENT_CACHE_DIR``: where rendered documents are cached between starts (None: no cache).
- ``CONTENT_LOAD_ON_START`` (default True): load in ``init_app``; a ContentError stops the app.
  When False (``flask content …`` commands), the catalogue loads on first use instead.
- ``CONTENT_AUTO_RELOAD`` (development): ``get_catalogue()`` notices edited, added or removed
  files (a stat walk, at most once a second) and reloads; if the new content has problems it
  logs them and keeps serving the last good catalogue.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app

from .loader import load_catalogue
from .model import Catalogue, ContentError

EXTENSION_KEY = "catalogue"
#: Seconds between checks for changed files when auto-reloading.
RELOAD_INTERVAL = 1.0


class CatalogueStore:
    """Holds the current catalogue for one app."""

    def __init__(
        self,
        content_dir: Path,
        cache_dir: Path | None = None,
        *,
        auto_reload: bool = False,
        logger: logging.Logger | None = None,
    ) -> None:
        self.content_dir = content_dir
        self.cache_dir = cache_dir
        self.auto_reload = auto_reload
        self.logger = logger or logging.getLogger(__name__)
        self._catalogue: Catalogue | None = None
        self._fingerprint = ""
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def load(self) -> Catalogue:
        """Load now; raise ContentError (with every problem) if the content has any."""
        with self._lock:
            return self._load()

    def _load(self) -> Catalogue:
        fingerprint = content_fingerprint(self.content_dir)
        catalogue = load_catalogue(self.content_dir, self.cache_dir)
        self._catalogue = catalogue
        self._fingerprint = fingerprint
        self._checked_at = time.monotonic()
        return catalogue

    def get(self) -> Catalogue:
        """The current catalogue, loading it on first use and reloading it when files change."""
        catalogue = self._catalogue
        if catalogue is not None and not self.auto_reload:
            return catalogue
        with self._lock:
            if self._catalogue is None:
                return self._load()
            if time.monotonic() - self._checked_at >= RELOAD_INTERVAL:
                self._checked_at = time.monotonic()
                if content_fingerprint(self.content_dir) != self._fingerprint:
                    self._reload()
            return self._catalogue

    def _reload(self) -> None:
        try:
            self._load()
        except ContentError as error:
            # Keep serving the last good catalogue; check again once the files change once more.
            self._fingerprint = content_fingerprint(self.content_dir)
            self.logger.error("Content not reloaded. %s", error)
        else:
            self.logger.info("Content reloaded from %s", self.content_dir)


def content_fingerprint(folder: Path) -> str:
    """A hash of every file's path, size and modification time under ``folder`` (no reading)."""
    digest = hashlib.sha256()
    for directory, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def init_app(app: Flask) -> CatalogueStore:
    """Create the app's catalogue store and, unless CONTENT_LOAD_ON_START is False, load it.

    A ContentError propagates, listing every problem, so an app with broken content never starts.
    """
    cache_dir = app.config.get("CONTENT_CACHE_DIR")
    store = CatalogueStore(
        Path(app.config["CONTENT_DIR"]),
        Path(cache_dir) if cache_dir else None,
        auto_reload=bool(app.config.get("CONTENT_AUTO_RELOAD", False)),
        logger=app.logger,
    )
    app.extensions[EXTENSION_KEY] = store
    if app.config.get("CONTENT_LOAD_ON_START", True):
        store.load()
    return store


def get_catalogue() -> Catalogue:
    """The current app's catalogue (for views and services)."""
    store: CatalogueStore = current_app.extensions[EXTENSION_KEY]
    return store.get()
