"""History: the instance (the live, versioned library; `layout` knows its folders without opening it) and what
keeps it: the git store and its writer lock, committing (atomic write + commit, put back on failure, recovery),
revisions and editions, the workflow rules (status transitions, version bumps), merging of concurrent edits, the
history index, diffs, publication state, authors, versioned records (YAML files written through the git store),
and the review queue (worklist).

May import: toolkit.library (and the top-level errors, config, yamlfile).
"""
