"""Document generation for conference reports and commendation certificates (ar, vi)."""
