"""Everything that depends on the locale: Babel formatting, Jinja filters, bidi isolation, name order,
message catalogs."""
