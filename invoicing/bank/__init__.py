"""Bank payments in (SPEC §2.15): statement files read (camt.054, KTL), their credits
matched to invoices by reference, and what did not match listed for accounting.

- `models`: a statement per file, an entry per bank entry (registered through
  `invoicing.models`);
- `files`, `camt054`, `ktl`: the readers, which only parse and check files;
- `services`: the import and the resolutions, every write;
- `selectors`: the statements and the entries still to resolve.
"""
