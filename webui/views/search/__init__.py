"""Search: the search page and the as-you-type suggestions."""
