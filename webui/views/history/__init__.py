"""Authoring: the editor and new materials, the review workflow (status, publish, retire), history, diffs
and restore."""
