"""TAXII 2.1: discovery at /taxii2/ and the hub's one API root at /taxii2/api/."""

from django.urls import path

from openwarp.hub.taxii import pages, views

app_name = "taxii"

_COLLECTION = "taxii2/api/collections/<str:collection_id>/"

urlpatterns = [
    path("federation/peers/", pages.peers, name="peers"),
    path("federation/peers/<int:peer_id>/run/", pages.peer_run, name="peer_run"),
    path("taxii2/", views.discovery, name="discovery"),
    path("taxii2/api/", views.api_root, name="api_root"),
    path("taxii2/api/status/<uuid:status_id>/", views.status, name="status"),
    path("taxii2/api/collections/", views.collections, name="collections"),
    path(_COLLECTION, views.collection, name="collection"),
    path(f"{_COLLECTION}objects/", views.objects, name="objects"),
    path(f"{_COLLECTION}manifest/", views.manifest, name="manifest"),
    path(f"{_COLLECTION}objects/<str:object_id>/", views.object_detail, name="object"),
    path(
        f"{_COLLECTION}objects/<str:object_id>/versions/",
        views.object_versions,
        name="object_versions",
    ),
]
