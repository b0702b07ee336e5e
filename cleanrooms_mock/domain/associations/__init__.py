"""Configured tables in collaborations: associations, their collaboration analysis rules, and the
schemas members see of them (:mod:`.schemas`: derived, never created).
"""
