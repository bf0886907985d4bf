"""Publishing: materials as Word, PDF and standalone HTML, the frozen editions readers cite (and find: the
`editionsearch` DocSource), and the feeds.

May import: toolkit.library, toolkit.history, toolkit.search (SearchDoc, for editionsearch), toolkit.documents
(the sandbox, PDF and Word parts) and the top level.
"""
