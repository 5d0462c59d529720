"""The shared kernel: configuration, database and unit of work, auth, errors, ids, clock.

The kernel knows nothing of the business modules or of the event stream; they build on it.
"""
