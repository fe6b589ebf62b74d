"""Settings of the server process `bench_api` starts: production settings (DEBUG off,
`CONN_MAX_AGE` and `EMAIL_DELIVERY=worker` from its environment, as the README advises)
with the benchmarks' URLs, e-mails kept in memory and no throttle, since the benchmark
sends many requests from one address on purpose."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.perf.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"public_write": None},
}
