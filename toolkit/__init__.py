"""Netkit: the materials library and document toolkit of a Danish AI health-data network.

The core package. It knows nothing of Flask or click: the CLI (`toolkit.cli`) and the web UI
(`webui`) are thin layers over it. Its rooms, each importing only the rooms before it:

    library      materials, front matter, taxonomy, the library folder, rendering, starters
    history      the instance, the git store and lock, merging, history index, diffs, records
    search       analysis, ranking, snippets, spelling, the index (DocSource for other rooms)
    documents    questionnaires, rules, the sandbox, template packages, generation, Word and PDF
    people       accounts, sessions, permissions, the activity log
    publishing   Word/PDF/HTML export, editions, feeds
    network      projects, working groups, meetings, the annual plan, minutes, proposals

`config`, `errors` and `yamlfile` sit at the top for every room; tests/test_architecture.py holds the order.
"""

__version__ = "0.1.0"
