"""The staff workspace (SPEC §1, §2.10, §3.3): booking staff decide and book, accounting
reads bookings. Each module holds the views of one job."""
