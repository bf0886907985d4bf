"""Publishing: the Atom feeds of new editions and changes."""
