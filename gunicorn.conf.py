"""gunicorn's settings for production; gunicorn reads this file from the directory it
starts in, so `gunicorn heideken.wsgi` run from the project root uses it.

The access log goes to stdout like the app's own log, through a logger that replaces the
secret segment of status-link and private-feed paths (and of a Referer holding one) with
`[token]` (heideken/log_redaction.py). Command-line options override any of this.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
logger_class = "heideken.log_redaction.RedactingGunicornLogger"
# Behind the TLS proxy: trust its X-Forwarded-* from loopback only (gunicorn's default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
