"""The network at work: the project registry (and its export), working groups, meetings, iCalendar, the
annual plan, minutes and topic proposals, each with its search documents.

May import: every room below it: toolkit.library, toolkit.history, toolkit.search, toolkit.documents,
toolkit.people, and the top level.
"""
