"""Load the demo data set (SPEC §3.1): rooms of Perhetalo Heideken, opening hours, member
organisations, customers, and bookings in every state around today.

Idempotent. Rooms, organisations and customers are keyed by slug, business ID or e-mail
and brought to the values in these modules; bookings, series and closures are written once, through
the booking services, and skipped when demo bookings exist already. Everything here is
fictional: names end in "(demo)", business IDs come from a serial range chosen for the
demo, and e-mail addresses are on example.org / example.com (RFC 2606).

One module per part: `rooms`, `renters` (organisations and customers), `plans` (bookings,
series and closures), `dates` (where a plan falls), `writer` (writing it all through the
booking services). The `seed_demo` command runs it.
"""
