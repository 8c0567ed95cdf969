"""Make the shared workbook builders (builders.py, next to this file) importable from the excel tests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
