"""Write and send every stored e-mail not yet sent: once (from cron), or as the outbox
worker with `--every SECONDS` (EMAIL_DELIVERY=worker)."""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from frontend.outbox import pending_emails_send

logger = logging.getLogger(__name__)


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
                self.round()
                done += 1
                if rounds is None or done < rounds:
                    time.sleep(every)
        except KeyboardInterrupt:
            pass

    def round(self) -> None:
        """One look for e-mails to send. A failure (the database restarting) is logged
        and the next round tries again: the worker itself keeps running."""
        close_old_connections()
        try:
            sent, failed = pending_emails_send()
        except DatabaseError:
            logger.exception("the e-mail worker could not read the outbox; trying again")
            return
        if sent or failed:
            self.report(sent, failed)

    def report(self, sent: int, failed: int) -> None:
        self.stdout.write(f"sent {sent}, still failing {failed}")
