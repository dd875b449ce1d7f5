from django.urls import path

from openwarp.hub.mutualaid.views import offers, requests, roster

app_name = "mutualaid"

urlpatterns = [
    path("mutual-aid/roster/", roster.roster_index, name="roster_index"),
    path("mutual-aid/roster/<slug:slug>/", roster.roster_detail, name="roster"),
    path("mutual-aid/roster/<slug:slug>/people/new/", roster.person_new, name="person_new"),
    path("mutual-aid/roster/<slug:slug>/people/<int:pk>/", roster.person_edit, name="person_edit"),
    path("mutual-aid/roster/<slug:slug>/packages/new/", roster.package_new, name="package_new"),
    path("mutual-aid/roster/<slug:slug>/capacity/new/", roster.capacity_new, name="capacity_new"),
    path("mutual-aid/requests/", requests.request_list, name="requests"),
    path("mutual-aid/requests/new/", requests.request_new, name="request_new"),
    path("mutual-aid/plan/", requests.joint_plan_page, name="joint_plan"),
    path("mutual-aid/requests/<int:pk>/", requests.request_detail, name="request"),
    path("mutual-aid/requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("mutual-aid/requests/<int:pk>/offers/", requests.offer_send, name="offer_send"),
    path(
        "mutual-aid/requests/<int:pk>/conflicts/",
        requests.request_conflicts,
        name="request_conflicts",
    ),
    path(
        "mutual-aid/requests/<int:pk>/package-offers/",
        requests.package_offer_send,
        name="package_offer_send",
    ),
    path(
        "mutual-aid/requests/<int:pk>/offers/<int:offer_pk>/withdraw/",
        requests.offer_withdraw,
        name="offer_withdraw",
    ),
    path(
        "mutual-aid/requests/<int:pk>/reimbursement.csv",
        requests.request_reimbursement,
        name="request_reimbursement",
    ),
    path("mutual-aid/requests/<int:pk>/close/", requests.request_close, name="request_close"),
    path("mutual-aid/offers/", offers.offer_inbox, name="offers"),
    path("mutual-aid/offers/<int:pk>/", offers.offer_detail, name="offer"),
    path("mutual-aid/deployments/<int:pk>/", offers.deployment_detail, name="deployment"),
    path("mutual-aid/conflicts/", offers.conflict_list, name="conflicts"),
    path("mutual-aid/conflicts/<int:pk>/remove/", offers.conflict_remove, name="conflict_remove"),
]
