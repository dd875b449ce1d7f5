"""Reports written with an attached file of indicators, on the page and the API."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from openwarp.hub.members.policy import Role
from openwarp.hub.sharing.models import Report
from tests.world import World

FORM = {
    "title": "Payroll phishing",
    "threat_type": "phishing",
    "confidence": "probable",
    "tlp": "green",
    "distribution": "region",
    "indicators": "pasted-one.example",
}


def _post_form(client: Any, name: str, data: bytes) -> Any:
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post("/reports/new/", {**FORM, "indicators_file": upload})


def test_the_form_takes_a_file_beside_pasted_values(world: World) -> None:
    csv_file = b"indicator,comment\npasted-one.example,dup\n198.51.100.61,c2\nnot a value,\n"
    client = world.client(Role.MEMBER)
    response = _post_form(client, "iocs.csv", csv_file)
    assert response.status_code == 302
    report = Report.objects.get(title="Payroll phishing")
    assert set(report.indicators.values_list("value", flat=True)) == {
        "pasted-one.example",
        "198.51.100.61",
    }
    page = client.get(response["Location"]).content.decode()
    assert "Not kept, iocs.csv: line 4" in page


def test_a_broken_file_refuses_the_report_and_says_where(world: World) -> None:
    response = _post_form(
        world.client(Role.MEMBER), "bundle.json", b'{"type": "bundle", "objects": [{"id": 1}]}'
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "bundle.json: objects[0]: not a STIX object with a type" in page
    assert not Report.objects.filter(title="Payroll phishing").exists()


def test_an_exported_report_uploads_again_with_the_same_values(world: World) -> None:
    api = world.api(Role.MEMBER)
    source = world.green_report
    expected = set(source.indicators.values_list("kind", "value"))
    for export in ("stix", "misp"):
        body = api.get(f"/api/v1/reports/{source.public_id}/{export}").content.decode()
        response = api.post(
            "/api/v1/reports",
            {
                "title": f"Re-shared from {export}",
                "threat_type": "phishing",
                "tlp": "green",
                "indicators_file": {"name": f"report.{export}.json", "content": body},
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        created = Report.objects.get(public_id=response.json()["id"])
        assert set(created.indicators.values_list("kind", "value")) == expected


def test_the_api_names_a_broken_file_and_keeps_nothing(world: World) -> None:
    response = world.api(Role.MEMBER).post(
        "/api/v1/reports",
        {
            "title": "Broken upload",
            "threat_type": "malware",
            "tlp": "green",
            "indicators_file": {"name": "iocs.csv", "content": "colour\nred\n"},
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "indicators_file"
    assert "iocs.csv: line 1: no value column" in response.json()["message"]
    assert not Report.objects.filter(title="Broken upload").exists()
