"""Makes scripts/servers.py (start and stop the test servers) importable as `servers`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
