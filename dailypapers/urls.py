from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="papers:feed", permanent=False)),
    path("papers/", include("dailypapers.papers.urls")),
    path("admin/", admin.site.urls),
]
