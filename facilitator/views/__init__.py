"""Read models: what each role sees of a meeting, built from the rows.

One module per feature holds its `*_view` functions (the dumps that events carry and snapshots
are made of). Views import models, schemas and events only, never actions: actions import views
(to publish what changed), and so does `state.py` (to build a snapshot), with no import cycle.
"""
