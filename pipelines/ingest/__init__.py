"""Ingest: the raw folder read into letters and their rows (scan, parse budget, parse cache),
every file that does not become a letter named with its reason."""
