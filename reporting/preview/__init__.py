"""Local web preview of every document: pages as printed, their text, downloads, and live errors."""
