"""Collaborations and their members: created by one account, seen by every account invited."""
