"""The console's destination facts: changed through the API's own model and service,
certifications from the vocabulary, audited; staff read them."""

from tests.support.console import log_in, post_form
from tests.support.operators import world


def test_facts_change_and_are_audited(db, client):
    w = world(db)
    log_in(client, w.a.admin.login)
    page = f"/console/destinations/{w.a.destination_id}"
    assert page in client.get("/console/destinations").text
    r = post_form(client, page, {"nearest_hospital_km": "far"})
    assert r.status_code == 422 and 'id="nearest_hospital_km-error"' in r.text
    r = post_form(
        client,
        page,
        {
            "description_zh": "林间木屋",
            "nearest_hospital_km": "3.5",
            "elder_friendly_rooms": "on",
            "certifications": "forest_healing_base",
        },
    )
    assert r.status_code == 303
    api = client.get(
        f"/v1/admin/destinations/{w.a.destination_id}", headers=w.a.admin.headers
    ).json()
    assert api["nearest_hospital_km"] == 3.5 and api["elder_friendly_rooms"] is True
    assert api["certifications"] == ["forest_healing_base"] and api["has_5g"] is False
    entry = client.get("/v1/admin/audit?entity=destination", headers=w.a.admin.headers).json()
    assert entry["items"][0]["after"]["description_zh"] == "林间木屋"
    assert client.get(f"/console/destinations/{w.b.destination_id}").status_code == 404


def test_staff_read_the_facts_without_a_form(db, client):
    w = world(db)
    log_in(client, w.a.staff.login)
    page = client.get(f"/console/destinations/{w.a.destination_id}")
    assert page.status_code == 200 and 'name="description_zh"' not in page.text
