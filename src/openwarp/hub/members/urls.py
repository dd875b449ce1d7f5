from django.urls import path

from openwarp.hub.members.views import account, organisations, people, sharing_groups, sign_in

app_name = "members"

urlpatterns = [
    path("sign-in/", sign_in.sign_in, name="sign_in"),
    path("sign-in/code/", sign_in.sign_in_code, name="sign_in_code"),
    path("sign-in/authenticator/", sign_in.enrol_totp, name="enrol_totp"),
    path("sign-in/forgotten/", sign_in.password_forgot, name="password_forgot"),
    path("sign-in/reset/<str:uid>/<str:token>/", sign_in.password_reset, name="password_reset"),
    path("sign-out/", sign_in.sign_out, name="sign_out"),
    path("invitations/<str:secret>/", people.accept_invitation, name="accept_invitation"),
    path("account/", account.account, name="account"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_new, name="organisation_new"),
    path(
        "organisations/<slug:slug>/", organisations.organisation_detail, name="organisation_detail"
    ),
    path(
        "organisations/<slug:slug>/edit/", organisations.organisation_edit, name="organisation_edit"
    ),
    path(
        "organisations/<slug:slug>/<str:kind>/<int:pk>/remove/",
        organisations.network_remove,
        name="network_remove",
    ),
    path("organisations/<slug:slug>/people/", people.people, name="people"),
    path("sharing-groups/", sharing_groups.sharing_group_list, name="sharing_groups"),
    path("sharing-groups/new/", sharing_groups.sharing_group_edit, name="sharing_group_new"),
    path("sharing-groups/<int:pk>/", sharing_groups.sharing_group_edit, name="sharing_group_edit"),
    path("organisations/<slug:slug>/people/<int:pk>/", people.person_update, name="person_update"),
]
