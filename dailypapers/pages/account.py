"""Deleting one's account, and all of it, after typing one's username."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dailypapers.members.services import member_delete
from dailypapers.pages.decorators import member_required


@member_required
def account_delete(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if request.POST.get("username", "").strip() == request.user.username:
            user = request.user
            logout(request)
            member_delete(user=user)
            messages.success(request, "Your account and everything of it are deleted.")
            return redirect("/")
        error = "Type your username exactly, to show this is meant."
    return render(
        request, "library/account_delete.html", {"error": error}, status=400 if error else 200
    )
