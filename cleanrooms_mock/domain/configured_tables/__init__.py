"""Configured tables and their analysis rules: the Glue catalog they read and their rules."""
