from django.urls import path

from dailypapers.papers import views

app_name = "papers"

urlpatterns = [
    path("", views.feed_latest, name="feed"),
    path("go", views.feed_go, name="go"),
    path("trending", views.trending_page, name="trending"),
    path("date/<str:day>", views.feed_day, name="day"),
    path("week/<str:week>", views.feed_week, name="week"),
    path("month/<str:month>", views.feed_month, name="month"),
    # Old-style arXiv ids contain a slash ("astro-ph/0601001").
    path("<path:ref>", views.paper_detail, name="detail"),
]
