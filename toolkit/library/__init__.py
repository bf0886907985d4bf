"""The library: materials (Markdown + YAML front matter), their taxonomy, the folder loaded and checked as a
whole, rendering to HTML, the texts new materials start from, recommendations and review freshness.

May import: toolkit.errors, toolkit.config, toolkit.yamlfile. Nothing else in toolkit: every other room builds
on this one.
"""
