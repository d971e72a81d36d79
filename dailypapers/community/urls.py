from django.urls import path

from dailypapers.community import views

app_name = "community"

urlpatterns = [
    path("votes/<int:paper_id>", views.vote, name="vote"),
    path("comments/on/<int:paper_id>", views.comment_create, name="comment_create"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/report", views.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/moderate", views.comment_moderate, name="comment_moderate"),
    path("submit", views.submit, name="submit"),
    path("curate/<int:paper_id>", views.curate, name="curate"),
    path("users/<str:username>", views.profile, name="profile"),
]
