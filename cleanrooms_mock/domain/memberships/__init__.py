"""Memberships: an account's own settings for a collaboration it joined."""
