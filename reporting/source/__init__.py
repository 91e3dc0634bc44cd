"""Reading the data: strict YAML with positions, the schema, loading and cross-field rules, derived figures,
the fonts preflight."""
