"""`python -m crmdesk`: the command line (run, demo, search, bench, ...)."""

import sys

from crmdesk.cli import main

sys.exit(main())
