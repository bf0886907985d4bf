"""Publishing: materials as Word, PDF and standalone HTML, the frozen editions readers cite, and the feeds.

May import: toolkit.library, toolkit.history, toolkit.documents (the sandbox, PDF and Word parts) and the
top level.
"""
