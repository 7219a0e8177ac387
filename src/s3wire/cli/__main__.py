"""`python -m s3wire.cli`: the same as the `s3wire` console script."""

import sys

from .main import main

sys.exit(main())
