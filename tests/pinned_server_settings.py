"""Settings of a gunicorn process that a test starts against its test database.

The server's workers do not share the test's time-machine, so they travel to the moment
the test passes in `HEIDEKEN_SERVER_NOW` (and tick on from there): the days the test
picked with tests/factories.py are then as far ahead for the server as for the test.
"""

import os
from datetime import datetime

import time_machine

from tests.settings import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

time_machine.travel(datetime.fromisoformat(os.environ["HEIDEKEN_SERVER_NOW"]), tick=True).start()
