"""Templates whose macro imports are cheap.

Every `{% from "…" import … %}` runs `ctx.globals_keys - template.globals.keys()` in Jinja, which
walks the globals ChainMap key by key: with a dozen imports per page that was about an eighth of
rendering a lesson. The imported template's global names are fixed once the app has started, so we
take them once. If a context brings a global the cached names lack, the result is what Jinja does
anyway: a module made for that context.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Template
from jinja2.runtime import Context


class LeadersTemplate(Template):
    _global_names: frozenset[str] | None = None

    def _get_default_module(self, ctx: Context | None = None) -> Any:
        if self.environment.is_async:
            raise RuntimeError("Module is not available in async mode.")
        if ctx is not None:
            names = self._global_names
            if names is None:
                names = self._global_names = frozenset(self.globals)
            missing = ctx.globals_keys - names
            if missing:
                return self.make_module({key: ctx.parent[key] for key in missing})
        if self._module is None:
            self._module = self.make_module()
        return self._module
