"""Protected queries: SQL a member who can query runs on the collaboration's tables, for real."""
