"""Write and send every stored e-mail not yet sent: once (from cron), or as the outbox
worker with `--every SECONDS` (EMAIL_DELIVERY=worker)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from frontend.outbox import pending_emails_send


def positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0
    if not number > 0:
        raise CommandError(f"expected a number of seconds above zero, not {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Write and send the stored e-mails not yet sent: new ones, and those whose sending "
        "failed. With --every, keep doing so until stopped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=positive,
            metavar="SECONDS",
            help="run as the outbox worker, looking for new e-mails this often",
        )
        parser.add_argument(
            "--rounds", type=int, metavar="N", help="with --every, stop after N rounds"
        )

    def handle(self, *args, every: float | None, rounds: int | None, **options) -> None:
        if every is None:
            self.report(*pending_emails_send())
            return
        done = 0
        try:
            while rounds is None or done < rounds:
                close_old_connections()  # a server restart must not end the worker
                sent, failed = pending_emails_send()
                if sent or failed:
                    self.report(sent, failed)
                done += 1
                if rounds is None or done < rounds:
                    time.sleep(every)
        except KeyboardInterrupt:
            pass

    def report(self, sent: int, failed: int) -> None:
        self.stdout.write(f"sent {sent}, still failing {failed}")
