"""The conflict guarantee held against a brute-force oracle (SPEC §2.4).

Random rooms (one combined of two parts), random buffers and random sequences of
request / approve / cancel / move / close / reopen. After every step no two blocking
entries overlap on a physical space, and every refusal really clashed. The oracle knows
the room topology from the test's own description and reads bookings and closures, never
the occupancy table the engine keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.errors import BookingConflict, BookingStateError
from bookings.models import Booking, BookingStatus, Closure, ClosureReason, HouseRules, Room
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_move,
    booking_request_create,
    closure_create,
    closure_remove,
)
from tests.factories import at, house_hours, make_room, renter, working_day

pytestmark = pytest.mark.django_db

# Room 0 and 1 are the halves of room 3; room 2 stands alone.
PARTS = {0: {0}, 1: {1}, 2: {2}, 3: {0, 1}}


@dataclass(frozen=True)
class Block:
    spaces: frozenset[int]
    start: datetime
    end: datetime
    label: str


def spaces(room_index: int) -> frozenset[int]:
    return frozenset(PARTS[room_index])


def oracle_blocks(rooms: list[Room]) -> list[Block]:
    index_of = {room.pk: index for index, room in enumerate(rooms)}
    blocks = []
    for booking in Booking.objects.filter(status=BookingStatus.APPROVED):
        blocks.append(
            Block(
                spaces(index_of[booking.room_id]),
                booking.start - timedelta(minutes=booking.setup_buffer_minutes),
                booking.end + timedelta(minutes=booking.cleanup_buffer_minutes),
                f"booking {booking.pk}",
            )
        )
    for closure in Closure.objects.filter(removed_at__isnull=True).prefetch_related("rooms"):
        covered = frozenset().union(*(spaces(index_of[room.pk]) for room in closure.rooms.all()))
        blocks.append(Block(covered, closure.start, closure.end, f"closure {closure.pk}"))
    return blocks


def overlaps(a: Block, b: Block) -> bool:
    return bool(a.spaces & b.spaces) and a.start < b.end and b.start < a.end


def assert_no_overlap(rooms: list[Room]) -> None:
    blocks = oracle_blocks(rooms)
    for i, first in enumerate(blocks):
        for second in blocks[i + 1 :]:
            assert not overlaps(first, second), f"{first.label} overlaps {second.label}"


def assert_really_clashed(rooms: list[Room], candidate: Block, exclude: str | None) -> None:
    others = [block for block in oracle_blocks(rooms) if block.label != exclude]
    assert any(overlaps(candidate, other) for other in others), (
        f"refused {candidate.label} although nothing blocks it"
    )


slot = st.integers(min_value=0, max_value=10)  # 30-minute slots from 08:00
length = st.integers(min_value=2, max_value=6)
room_index = st.integers(min_value=0, max_value=3)
pick = st.integers(min_value=0, max_value=1_000)
day = st.integers(min_value=0, max_value=1)
booked = st.tuples(st.just("book"), room_index, day, slot, length)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("request"), room_index, day, slot, length),
        booked,
        st.tuples(st.just("approve"), pick),
        st.tuples(st.just("cancel"), pick),
        st.tuples(st.just("move"), pick, room_index, day, slot, length),
        st.tuples(st.just("close"), room_index, day, slot, length),
        st.tuples(st.just("reopen"), pick),
    ),
    min_size=1,
    max_size=18,
)
buffers = st.lists(st.sampled_from([0, 15, 30]), min_size=8, max_size=8)


class Scenario:
    def __init__(self, buffer_minutes: list[int]) -> None:
        house_hours()
        HouseRules.load()
        halves = [make_room(capacity=10), make_room(capacity=10)]
        alone = make_room(capacity=10)
        whole = make_room(capacity=20, parts=halves)
        self.rooms = [*halves, alone, whole]
        for room, setup, cleanup in zip(
            self.rooms, buffer_minutes[::2], buffer_minutes[1::2], strict=True
        ):
            room.setup_buffer_minutes, room.cleanup_buffer_minutes = setup, cleanup
            room.save()
        self.first_day = working_day(20)

    def times(self, day_offset: int, start_slot: int, slots: int) -> tuple[datetime, datetime]:
        start = at(self.first_day + timedelta(days=day_offset), 8) + timedelta(
            minutes=30 * start_slot
        )
        return start, start + timedelta(minutes=30 * slots)

    def booking(self, choice: int) -> Booking | None:
        bookings = list(Booking.objects.order_by("pk"))
        return bookings[choice % len(bookings)] if bookings else None

    def block_for(self, room: int, start: datetime, end: datetime, label: str) -> Block:
        buffers = self.rooms[room]
        return Block(
            spaces(room),
            start - timedelta(minutes=buffers.setup_buffer_minutes),
            end + timedelta(minutes=buffers.cleanup_buffer_minutes),
            label,
        )

    def run(self, step: tuple) -> None:
        action, *args = step
        getattr(self, f"do_{action}")(*args)
        assert_no_overlap(self.rooms)

    def do_request(self, room: int, day_offset: int, start_slot: int, slots: int) -> None:
        start, end = self.times(day_offset, start_slot, slots)
        try:
            booking_request_create(
                room=self.rooms[room],
                start=start,
                end=end,
                title="x",
                attendees=1,
                renter=renter(),
                accept_terms=True,
            )
        except BookingConflict:
            assert_really_clashed(self.rooms, self.block_for(room, start, end, "new"), None)

    def do_book(self, room: int, day_offset: int, start_slot: int, slots: int) -> None:
        """Request and approve at once: the path that makes blocking entries most often."""
        before = Booking.objects.count()
        self.do_request(room, day_offset, start_slot, slots)
        if Booking.objects.count() > before:
            self.do_approve(Booking.objects.count() - 1)

    def do_approve(self, choice: int) -> None:
        booking = self.booking(choice)
        if booking is None:
            return
        try:
            booking_approve(booking=booking, actor=None)
        except BookingConflict:
            assert_really_clashed(self.rooms, self.existing(booking), f"booking {booking.pk}")
        except BookingStateError:
            assert booking.status != BookingStatus.REQUESTED

    def existing(self, booking: Booking) -> Block:
        index = next(i for i, room in enumerate(self.rooms) if room.pk == booking.room_id)
        return Block(spaces(index), booking.blocked_start, booking.blocked_end, "candidate")

    def do_cancel(self, choice: int) -> None:
        booking = self.booking(choice)
        if booking is None:
            return
        try:
            booking_cancel(booking=booking, actor=None)
        except BookingStateError:
            assert booking.status not in (BookingStatus.REQUESTED, BookingStatus.APPROVED)

    def do_move(self, choice: int, room: int, day_offset: int, start_slot: int, slots: int) -> None:
        booking = self.booking(choice)
        if booking is None or not booking.is_active:
            return
        start, end = self.times(day_offset, start_slot, slots)
        before = (booking.room_id, booking.start, booking.end)
        try:
            booking_move(booking=booking, actor=None, room=self.rooms[room], start=start, end=end)
        except BookingConflict:
            booking.refresh_from_db()
            assert (booking.room_id, booking.start, booking.end) == before
            moved = self.block_for(room, start, end, "moved")
            assert_really_clashed(self.rooms, moved, f"booking {booking.pk}")

    def do_close(self, room: int, day_offset: int, start_slot: int, slots: int) -> None:
        start, end = self.times(day_offset, start_slot, slots)
        try:
            closure_create(
                actor=None,
                start=start,
                end=end,
                reason=ClosureReason.CLEANING,
                rooms=[self.rooms[room]],
            )
        except BookingConflict:
            assert_really_clashed(self.rooms, Block(spaces(room), start, end, "new"), None)

    def do_reopen(self, choice: int) -> None:
        closures = list(Closure.objects.filter(removed_at__isnull=True).order_by("pk"))
        if closures:
            closure_remove(closure=closures[choice % len(closures)], actor=None)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(buffer_minutes=buffers, plan=steps)
def test_blocking_entries_never_overlap_and_refusals_really_clash(db, buffer_minutes, plan):
    with transaction.atomic():
        scenario = Scenario(buffer_minutes)
        for step in plan:
            scenario.run(step)
        transaction.set_rollback(True)
