from django.urls import path

from dailypapers.api.api import api
from dailypapers.api.webhooks import bounces

urlpatterns = [
    path("api/", api.urls),
    path("digest/bounces", bounces, name="digest_bounces"),
]
