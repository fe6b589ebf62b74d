"""Settings of the gunicorn processes tests/servers.py starts: the production settings
(the shared database cache, the logging, DEBUG off) with static files served from the
apps' folders, since the suite never runs collectstatic."""

from heideken.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
