"""Secret addresses out of every log line (SPEC: status and feed tokens are never logged).

A renter's status link (`/request/<token>/…`, `/api/v1/booking-requests/<token>/…`) and a
staff member's private feed (`/ical/feeds/<token>.ics`) carry their secret in the path.
Django logs paths in its 4xx and CSRF warnings, gunicorn in its access log, and a browser
sends them as the Referer of the next page; all of it passes through `redact_tokens`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

# The path segment after a secret prefix, up to the next separator of a path, query,
# header list or HTML attribute. `booking-requests/` alone (the public create) keeps
# nothing to hide, since a token needs at least one character.
SECRET_SEGMENT = re.compile(
    r"(?P<prefix>/request/|/booking-requests/|/ical/feeds/)(?P<token>[^/\s?#\"'<>,;]+?)"
    r"(?P<suffix>\.ics)?(?=[/\s?#\"'<>,;]|$)"
)


def redact_tokens(text: str) -> str:
    """The text with every secret path segment replaced by `[token]`."""
    if "/request/" not in text and "/booking-requests/" not in text and "/ical/feeds/" not in text:
        return text
    return SECRET_SEGMENT.sub(
        lambda match: f"{match['prefix']}[token]{match['suffix'] or ''}", text
    )


class RedactTokens(logging.Filter):
    """On the handlers every logger writes through: a record leaves with its message
    already formatted and redacted, so no later formatter sees the raw path."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_tokens(record.exc_text)
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with every access-log atom redacted: the request line, the
    path, the query and every header (a Referer from the status page holds its token)."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact_tokens(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
