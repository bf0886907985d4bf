"""The static site (`netkit export-site`): what an anonymous reader sees, written as plain files for any web server
or sub-path. export.py writes it into place, pages.py fetches and rewrites the pages, searchindex.py makes the index
the browser searches."""
