from django.urls import path

from openwarp.hub.sharing import views

app_name = "sharing"

urlpatterns = [
    path("reports/", views.feed, name="feed"),
    path("alerts/", views.alerts, name="alerts"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/review/", views.release_queue, name="release_queue"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report"),
    path("reports/<uuid:public_id>/indicators/", views.indicators_new, name="indicators_new"),
    path(
        "reports/<uuid:public_id>/indicators/<uuid:indicator_id>/sightings/",
        views.sighting_new,
        name="sighting_new",
    ),
    path("indicators/<str:kind>/<path:value>/", views.indicator_detail, name="indicator"),
]
