"""The Word templates: the catalogue, a template's page and rules, the questionnaire and the download."""
