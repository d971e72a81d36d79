from django.urls import path

from dailypapers.search import views

app_name = "search"

urlpatterns = [path("", views.search, name="search")]
