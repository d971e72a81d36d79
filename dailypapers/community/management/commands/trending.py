"""``dailypapers trending --refresh``: recompute every trending key.

Needed only after changing TRENDING_HALF_LIFE_HOURS or
TRENDING_COMMENT_WEIGHT; votes, comments, imports and curation keep the keys
current as they happen.
"""

from django.core.management.base import BaseCommand

from dailypapers.papers.trending import trending_refresh_all


class Command(BaseCommand):
    help = "Recompute the trending keys of all featured papers (after a settings change)."

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true", required=True)

    def handle(self, *args, **options):
        changed = trending_refresh_all()
        self.stdout.write(f"trending keys recomputed: {changed:,} changed")
