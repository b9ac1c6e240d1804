"""Admin pages for people: every account, their cohorts and roles, and what an admin may do to one."""
