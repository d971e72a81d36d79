"""dailypapers: the open, self-hostable Daily Papers site."""

__version__ = "0.1.0"
