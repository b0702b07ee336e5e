"""Configured tables and their analysis rules: entities, rules (:mod:`.rules`,
:mod:`.analysis_rules`), operations, seed section, and the Glue catalog they read (:mod:`.glue`).
"""
