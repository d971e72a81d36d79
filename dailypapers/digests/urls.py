from django.urls import path

from dailypapers.digests import views

app_name = "digests"

urlpatterns = [
    path("subscribe", views.subscribe, name="subscribe"),
    path("confirm/<str:token>", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("resubscribe/<str:token>", views.resubscribe, name="resubscribe"),
    path("forget/<str:token>", views.forget, name="forget"),
    path("settings", views.settings_page, name="settings"),
    path("preview", views.preview, name="preview"),
    path("bounces", views.bounces, name="bounces"),
]
