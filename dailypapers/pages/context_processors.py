from django.conf import settings

from dailypapers import search


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # The search boxes take what search reads: a pasted abstract whole.
        "max_query_chars": search.MAX_QUERY_CHARS,
    }
