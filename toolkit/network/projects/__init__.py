"""The project registry: the network's AI health-data projects as records of the library, one YAML file per
project in `library/projects/<slug>.yaml`, each checked field by field.

    model          the record (Project, its contacts and links), the phases and regulatory statuses with labels
    organisations  the controlled list of owner organisations (`library/organisations.yaml`)
    validation     checking one project file field by field, and related materials against the library
    registry       the projects of a library folder, re-read when a file changed, with their problems
    filters        filters and facet counts for the browse page, the CLI and the exports
    editing        the edit form's text fields to and from record data, a new project's file name
    export         the overview as CSV and .xlsx
    search         projects as search documents (a DocSource)
"""
