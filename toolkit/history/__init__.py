"""History: the instance (the live, versioned library), the git store and its writer lock, merging of
concurrent edits, the history index, diffs, publication state, authors, and versioned records (YAML files
written through the git store).

May import: toolkit.library (and the top-level errors, config, yamlfile).
"""
