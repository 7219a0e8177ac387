"""Transfer defaults and S3's size limits, shared by the transfer helpers and the client.

A module of its own so that the client can name the defaults without importing the transfer
machinery (threads, file windows) before a transfer is asked for.
"""

DEFAULT_CONCURRENCY = 8  # parts, ranges or files in flight at once
MAX_COPY = 5 * 1024 * 1024 * 1024  # the largest object one CopyObject may copy
