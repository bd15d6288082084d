"""Tables: the release's tables as `schemas/` declares them, built from letters, checked against
their constraints per letter and per table, and kept on disk sorted by primary key."""
