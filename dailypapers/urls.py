"""The site's URLs: pages, the JSON API, feeds and citations, accounts, the admin."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconRedirect(RedirectView):
    # Browsers ask for /favicon.ico whatever the page links; resolved per
    # request because the hashed static name exists only after collectstatic.
    def get_redirect_url(self, *args, **kwargs):
        return static("dailypapers/favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view(permanent=False)),
    path("accounts/", include("allauth.urls")),
    path("", include("dailypapers.api.urls")),
    path("", include("dailypapers.syndication.urls")),
    path("admin/", admin.site.urls),
    path("", include("dailypapers.pages.urls")),
]

handler404 = "dailypapers.pages.errors.not_found"
handler500 = "dailypapers.pages.errors.server_error"
