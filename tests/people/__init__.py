"""Tests of toolkit/people: accounts, sessions and the activity log."""
