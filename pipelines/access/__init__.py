"""Access: what users of a published package run: download and verify it, load it, validate it,
serve a published folder."""
