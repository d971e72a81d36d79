"""Exit statuses of every ``dailypapers`` command, for operators' scripts.

0  done; for imports and ingests, done and something new arrived
1  imports and ingests only: done, and nothing new arrived
2  failed, or misused (an unknown option, a bad date, a missing file)

Django's own commands (``migrate``, ...) exit 1 on failure; ``dailypapers``
(cli.py) turns that into 2, so scripts read one rule.
"""

DONE = 0
NOTHING_NEW = 1
FAILED = 2
