"""The OpenAPI 3.1 description of /api/ (served at /api/openapi.json; a test checks it lists every route)."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/responses/Error"}
TEXT = {"type": "object", "properties": {"da": {"type": "string"}, "en": {"type": "string"}}}


def _query(name: str, description: str, *, schema: dict | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    material = {"type": "object", "properties": {
        "slug": {"type": "string"}, "title": {"type": "string"}, "kind": {"type": "string"},
        "summary": {"type": "string"}, "topics": {"type": "array", "items": {"type": "string"}},
        "audience": {"type": "array", "items": {"type": "string"}}, "language": {"type": "string"},
        "authors": {"type": "array", "items": {"type": "string"}}, "status": {"type": "string"},
        "version": {"type": "string"}, "updated": {"type": "string", "format": "date"},
        "questions": {"type": "array", "items": {"type": "string"},
                      "description": "The questions the material answers, as its readers ask them (Danish)"},
        "questions_en": {"type": "array", "items": {"type": "string"},
                         "description": "The same, as readers searching in English ask them"},
        "url": {"type": "string"}, "docx": {"type": "string"}}}
    template = {"type": "object", "properties": {
        "name": {"type": "string"}, "version": {"type": "string"}, "title": TEXT, "description": TEXT,
        "related": {"type": "array", "items": {"type": "string"}}, "rules": {"type": "boolean"},
        "asked": {"type": "object", "description": "What readers ask or search for when they need the template",
                  "properties": {"da": {"type": "array", "items": {"type": "string"}},
                                 "en": {"type": "array", "items": {"type": "string"}}}},
        "url": {"type": "string"}, "generate": {"type": "string"}}}
    filters = [_query("kind", "A kind from the taxonomy, e.g. guide"),
               _query("topic", "A topic, e.g. consent"), _query("audience", "An audience, e.g. project-leads")]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Netkit API", "version": "1.0.0",
                 "description": "The materials and Word templates of the network for AI projects on health data. "
                                "Errors are JSON objects with `error` and `problems` (each with `field` and "
                                "`message`)."},
        "paths": {
            "/api/materials": {"get": {
                "summary": "Published and draft materials, filtered by kind, topic and audience",
                "parameters": filters,
                "responses": {"200": _json({"type": "array", "items": material}, "The materials"),
                              "400": ERROR}}},
            "/api/materials/{slug}": {"get": {
                "summary": "One material with its Markdown, sanitised HTML and table of contents",
                "parameters": [_path("slug", "The material's slug")],
                "responses": {"200": _json({"allOf": [material, {"type": "object", "properties": {
                    "markdown": {"type": "string"}, "html": {"type": "string"},
                    "toc": {"type": "array", "items": {"type": "object"}}}}]}, "The material"),
                    "301": {"description": "The material was renamed: Location is its address now (for good)"},
                    "400": ERROR, "404": ERROR}}},
            "/api/search": {"get": {
                "summary": "Danish-aware search over materials and templates (published only)",
                "parameters": [_query("q", "The query: words, \"phrases\", prefix*, kind:guide"), *filters,
                               _query("page", "Page number", schema={"type": "integer", "minimum": 1}),
                               _query("per_page", "Hits per page",
                                      schema={"type": "integer", "minimum": 1, "maximum": 100})],
                "responses": {"200": _json({"type": "object", "properties": {
                    "total": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
                    "suggestion": {"type": ["string", "null"]}, "corrected": {"type": "boolean"},
                    "also": {"type": ["string", "null"],
                             "description": "corrections of long typos searched beside the words typed"},
                    "facets": {"type": "object"},
                    "hits": {"type": "array", "items": {"type": "object"}}}}, "Results with facets"),
                    "400": ERROR}}},
            "/api/templates": {"get": {
                "summary": "The Word templates",
                "responses": {"200": _json({"type": "array", "items": template}, "The templates")}}},
            "/api/templates/{name}": {"get": {
                "summary": "One template with its questionnaire (sections, questions, options, conditions)",
                "parameters": [_path("name", "The template's name")],
                "responses": {"200": _json(template, "The template and its questions"), "400": ERROR,
                              "404": ERROR}}},
            "/api/templates/{name}/generate": {"post": {
                "summary": "Fill in a template: the Word file, or with explain=1 the derived facts as JSON",
                "parameters": [_path("name", "The template's name"),
                               _query("explain", "1: return the computed values and facts instead: a fact the "
                                                 "answers do not decide is \"undetermined\", and `undetermined` "
                                                 "lists the questions that would decide it (null or a missing yes/no "
                                                 "is unanswered, never no)"),
                               _query("lang", "da or en: the language of labels in the document")],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"answers": {"type": "object"}},
                    "required": ["answers"]}}}},
                "responses": {
                    "200": {"description": "The tailored document (or the facts with explain=1)", "content": {
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                            "schema": {"type": "string", "format": "binary"}},
                        "application/json": {"schema": {"type": "object"}}}},
                    "400": ERROR, "404": ERROR}}},
            "/api/openapi.json": {"get": {"summary": "This description",
                                          "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {"responses": {"Error": _json({"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"},
            "problems": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": ["string", "null"]}, "message": {"type": "string"}}}}}},
            "An error, with the field it concerns")}},
    }
