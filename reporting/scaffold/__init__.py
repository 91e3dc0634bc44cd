"""The `new` command's files: the next period's data file, commented YAML, period forms."""
