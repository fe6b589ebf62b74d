"""The API's JSON parser: bounded in depth and size, its errors in the JSON error format."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser

logger = logging.getLogger(__name__)


# A request body is a few kilobytes; anything deeper or bigger is refused before parsing.
JSON_MAX_DEPTH = 32
JSON_MAX_BYTES = 256 * 1024


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class JSONBodyParser(BaseParser):
    """A JSON parser with limits on size and nesting, and translated messages: 100,000
    nested `[` would exhaust the parser's recursion (a 500), and a body larger than
    Django's upload limit would get Django's HTML page. Not a subclass of DRF's JSONParser,
    which DRF hands the whole body read at once (and refused by Django when too big)."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > JSON_MAX_BYTES:
            raise BodyTooLarge()
        raw = stream.read(JSON_MAX_BYTES + 1) if stream is not None else b""
        if len(raw) > JSON_MAX_BYTES:
            raise BodyTooLarge()
        if json_depth(raw) > JSON_MAX_DEPTH:
            raise exceptions.ParseError(_("The JSON body is nested too deeply."))
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        except UnicodeDecodeError:
            raise exceptions.ParseError(_("The body is not UTF-8 text.")) from None
        except json.JSONDecodeError as error:
            message = _("The body is not valid JSON (line %(line)s, column %(column)s).")
            raise exceptions.ParseError(
                message % {"line": error.lineno, "column": error.colno}
            ) from None


def _no_constant(name: str) -> None:
    # NaN and Infinity are no JSON (RFC 8259), and no amount or count may be one.
    raise exceptions.ParseError(_("The body is not valid JSON."))


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, brackets inside strings
    not counted; it stops counting once past the limit."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
            if deepest > JSON_MAX_DEPTH:
                return deepest
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest
