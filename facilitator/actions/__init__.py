"""Actions, one module per feature: `check_*` (access and invariants) then `do_*` (mutate, publish).

The same actions serve the socket handlers, the REST API, the pages and the CLI. None of them
commits: the caller commits once, and only then do the published events go out.
"""
