"""Personal data: a learner's own download, erasure on request, and the audit log."""
