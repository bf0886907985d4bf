"""Documents: Word templates and their questionnaires (forms), rules and undetermined answers, the Jinja
sandbox, template packages, generation, Word file reading, tag scanning, lint and scaffolding, PDF
conversion and shared Word parts.

May import: toolkit.library, toolkit.search (for the templates' search documents) and the top level.
"""
