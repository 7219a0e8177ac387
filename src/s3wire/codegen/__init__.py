"""The s3wire code generator: reads spec/ and writes src/s3wire/_generated/ and docs/."""
