"""Organisations: the public bodies people come from, and the admin pages that manage them."""
