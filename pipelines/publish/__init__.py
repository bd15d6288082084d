"""Publish: data packages staged, checked against quality gates, released as immutable versions
with a changelog, catalog, DCAT description and catalog page, and mirrored to object stores."""
