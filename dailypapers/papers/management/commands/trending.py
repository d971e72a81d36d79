"""``dailypapers trending``: recompute every trending key.

Needed only after changing TRENDING_HALF_LIFE_HOURS or
TRENDING_COMMENT_WEIGHT; votes, comments, imports and curation keep the keys
current as they happen.
"""

from dailypapers.core import page_version
from dailypapers.core.commands import Command as BaseCommand
from dailypapers.papers.trending import trending_refresh_all


class Command(BaseCommand):
    help = "Recompute the trending keys of all featured papers (after a settings change)."

    def handle(self, *args, **options):
        changed = trending_refresh_all()
        if changed:
            page_version.changed()
        self.stdout.write(f"trending keys recomputed: {changed:,} changed")
