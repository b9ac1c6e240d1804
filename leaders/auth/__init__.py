"""Accounts, sign-in, sign-out and password reset."""
