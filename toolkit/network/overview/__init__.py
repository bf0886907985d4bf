"""The AI map (/overblik/): the project registry as figures and as pictures, without Flask.

    figures   the counts: per phase (the funnel, stopped apart), clinical area, owner, regional vs national,
              starts and ends per year, and the located organisations with their project counts
    scene     a chart as a list of shapes and texts (one description, drawn twice)
    charts    the figures as scenes, each with its data table, title and description
    denmark   Denmark's coastline (Natural Earth) and the projection of latitude/longitude onto it
    svg       a scene as SVG (inline on the page and as a download)
    png       a scene as PNG, drawn by Pillow (already a dependency for images)
"""
