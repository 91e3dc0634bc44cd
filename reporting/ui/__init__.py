"""What the tool says to people and machines: console, problem reports, progress."""
