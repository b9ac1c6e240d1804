"""Places: local authority areas (GSS codes) from bundled ONS reference data."""
