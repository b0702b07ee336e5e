"""Analysis templates: a membership's SQL (or PySpark) analyses, shown to the collaboration."""
