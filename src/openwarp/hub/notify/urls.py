from django.urls import path

from openwarp.hub.notify import views

app_name = "notify"

urlpatterns = [
    path("organisations/<slug:slug>/webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<uuid:public_id>/", views.webhook_action, name="webhook"),
    path("account/mail/", views.mail, name="mail"),
]
