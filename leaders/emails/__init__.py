"""The Emails pages: what the outbox sent, per cohort (its programme managers) and overall (admins)."""
