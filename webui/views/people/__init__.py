"""People: signing in and out, the admin page for users and roles, the facilitators' activity page."""
