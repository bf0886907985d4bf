"""Search: Danish analysis (stemming, compounds, synonyms), query text, ranking, snippets, spelling
suggestions and the Whoosh index (`documents`, `schema`, `state`, `segments`, `querying`, `index`,
`library_search`). Materials are built in; other rooms offer their documents through the `DocSource`
protocol (`documents`) from their own packages, so search never imports the rooms above it.

May import: toolkit.library (and the top-level errors, config, yamlfile).
"""
