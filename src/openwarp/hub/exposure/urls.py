from django.urls import path

from openwarp.hub.exposure import feed_views, views

app_name = "exposure"

urlpatterns = [
    path("exposure/", views.home, name="home"),
    path("exposure/region/", views.region, name="region"),
    path("exposure/advisories/", views.advisories, name="advisories"),
    path("exposure/feeds/", feed_views.feeds, name="feeds"),
    path("exposure/feeds/sources/", feed_views.feed_source, name="feed_source"),
    path("exposure/feeds/sources/<int:pk>/run/", feed_views.feed_run, name="feed_run"),
    path("exposure/<slug:slug>/inventory/", views.inventory, name="inventory"),
    path("exposure/<slug:slug>/inventory/new/", views.item_new, name="item_new"),
    path("exposure/<slug:slug>/inventory/upload/", views.upload, name="upload"),
    path("exposure/<slug:slug>/warnings/", views.warnings, name="warnings"),
    path("exposure/inventory/<int:pk>/", views.item_edit, name="item_edit"),
    path("exposure/inventory/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("exposure/inventory/<int:pk>/cpe/", views.item_cpe, name="item_cpe"),
    path("exposure/uploads/<uuid:public_id>/", views.upload_preview, name="upload_preview"),
    path("exposure/warnings/<uuid:public_id>/", views.warning_detail, name="warning"),
]
