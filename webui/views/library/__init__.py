"""The library's pages: the home page, browsing, a material and its editions, topics; the facilitators'
list of reviews due."""
