from django.urls import path

from openwarp.hub.feeds import views

app_name = "feeds"

urlpatterns = [
    path("feeds/", views.feed_list, name="feed_list"),
    path("feeds/new/", views.feed_new, name="feed_new"),
    path("feeds/warnings/", views.feed_alerts, name="alerts"),
    path("feeds/<slug:slug>/", views.feed_detail, name="feed"),
    path("feeds/<slug:slug>/source/", views.feed_source, name="feed_source"),
    path("feeds/<slug:slug>/fetch/", views.feed_fetch_now, name="feed_fetch"),
]
