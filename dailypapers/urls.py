from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from dailypapers.api import views as api_views
from dailypapers.api.api import api
from dailypapers.papers import views as paper_views


class FaviconRedirect(RedirectView):
    # Browsers ask for /favicon.ico whatever the page links; resolved per
    # request because the hashed static name exists only after collectstatic.
    def get_redirect_url(self, *args, **kwargs):
        return static("dailypapers/favicon.svg")


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="papers:feed", permanent=False)),
    path("favicon.ico", FaviconRedirect.as_view(permanent=False)),
    # Before papers/<id>: "search" is not a paper.
    path("papers/search", include("dailypapers.search.urls")),
    path("papers/", include("dailypapers.papers.urls")),
    path("accounts/", include("allauth.urls")),
    path("digest/", include("dailypapers.digests.urls")),
    path("api/", api.urls),
    path("", include("dailypapers.syndication.urls")),
    path("settings/tokens", api_views.token_settings, name="api_tokens"),
    path("about/ranking", paper_views.about_ranking, name="about_ranking"),
    path("", include("dailypapers.community.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "dailypapers.api.errors.not_found"
handler500 = "dailypapers.api.errors.server_error"
