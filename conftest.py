"""Test-run defaults; the suite itself lives in tests/."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
