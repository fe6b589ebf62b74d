"""OpenAPI post-processing: the error answers every operation can give, and strict request
bodies, written into the schema once instead of on every view."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Machine-readable error code."},
        "message": {"type": "string", "description": "In the language of Accept-Language."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per field.",
        },
        "clashes": {"type": "array", "items": {"type": "object"}},
        "occurrences": {"type": "array", "items": {"type": "object"}},
        "current_status": {"type": "string"},
    },
    "required": ["code", "message"],
}

EVERY_OPERATION = {
    "400": "Invalid input or query, with per-field errors.",
    "401": "Not signed in.",
    "403": "Not allowed for this role.",
    "404": "Not found.",
    "405": "Method not allowed.",
    "406": "Only JSON is offered.",
    "429": "Too many requests.",
}
WRITES = {
    "409": "A clash, a decision someone else made first, or a stale revision.",
    "415": "The body must be JSON.",
}


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Add the shared error answers to every operation and forbid unknown request fields
    (the API refuses them with a 400, so the schema says so)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ApiError"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            codes = dict(EVERY_OPERATION)
            if method in ("post", "put", "patch"):
                codes |= WRITES
            for code, description in codes.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": reference}
                )
    for name, component in schemas.items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
