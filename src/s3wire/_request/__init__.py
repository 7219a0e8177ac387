"""Request building and answer reading, with no I/O: what the sync loop (s3wire._base) and an
async one share.

- prepare: an operation and its arguments -> a `Prepared` request (checked, body and digests,
  host and path); `Prepared.signed` -> one try's URL and headers.
- target: `Client.request`'s path or URL -> a `Prepared` request.
- answer: one try's raw answer -> a Response (digests checked, XML parsed, fields typed).
- attempts: after each answer or failure, the decision: return, raise, or send again (retry
  wait, region redirect, credential refresh); retry and redirect hold the rules it applies.
- presign: presigned URLs.
"""
