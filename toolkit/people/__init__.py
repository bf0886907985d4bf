"""People: accounts and roles, sessions and the sign-in throttle, permissions, and the activity log.

May import: toolkit.library, toolkit.history and the top level.
"""
