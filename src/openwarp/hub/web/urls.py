from django.urls import path

from openwarp.hub.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="dashboard"),
    path("board/", views.board, name="board"),
]
