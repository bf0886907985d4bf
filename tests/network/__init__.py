"""Tests of toolkit/network: projects, meetings and proposals, working groups, iCalendar."""
