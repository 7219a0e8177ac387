"""Where credentials come from: one module per source of the AWS chain (s3wire.credentials
puts them in order), and the wrapper that refreshes temporary credentials before they expire."""
