"""Writers: one HTML document in, one file format out."""
