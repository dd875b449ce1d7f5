from django.urls import path

from openwarp.hub.incidents.views import breach, channel, figures, incidents

app_name = "incidents"

ONE = "incidents/<uuid:public_id>/"

urlpatterns = [
    path("incidents/", incidents.incident_list, name="list"),
    path("incidents/new/", incidents.incident_new, name="new"),
    path("incidents/region/", figures.figures, name="figures"),
    path("incidents/channel/", channel.channel, name="channel"),
    path("incidents/channel/new/", channel.post_new, name="post_new"),
    path("incidents/channel/review/", channel.review_queue, name="review"),
    path(ONE, incidents.incident_detail, name="detail"),
    path(ONE + "edit/", incidents.incident_edit, name="edit"),
    path(ONE + "status/", incidents.status_set, name="status"),
    path(ONE + "timeline/", incidents.timeline_add, name="timeline_add"),
    path(ONE + "tasks/", incidents.task_add, name="task_add"),
    path(ONE + "tasks/<int:pk>/", incidents.task_toggle, name="task_toggle"),
    path(ONE + "log/", incidents.log_add, name="log_add"),
    path(ONE + "reports/", incidents.report_link, name="report_link"),
    path(ONE + "indicators/", incidents.indicators_add, name="indicators_add"),
    path(ONE + "breach/", breach.breach_edit, name="breach"),
    path(ONE + "ico-report/", breach.ico_report, name="ico_report"),
]
