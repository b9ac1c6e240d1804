"""Landing, home and the service's information pages."""
