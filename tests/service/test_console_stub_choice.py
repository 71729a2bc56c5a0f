"""The stub batch form's choice of issuer at province scale: the province reads hundreds
of issuers (two at each of 150 destinations and the transit lines'), but only an
operator admin issues, and its choice holds only the issuers at its own destinations, by
name, under each destination's name when it has more than one. The province's page lists
the issuers 30 a page and has no form (it never loads them all). Both databases."""

import re
from datetime import timedelta

from catalog.models import Destination
from tests.factories import make_destination, make_issuer, make_line
from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import FIRST, add_operator, world

PLACES = 150


def _province(db, w) -> dict[str, list[int]]:
    """Two issuers at each of 150 destinations and at A and B, one at each of 12 lines."""
    with db.write_session() as s:
        ids = []
        for n in range(PLACES):
            d = make_destination(s, slug=f"place-{n:03d}", name_zh=f"地方{n:03d}")
            ids.append(d.id)
            make_issuer(s, destination=d, name_zh=f"景区{n:03d}")
            make_issuer(s, kind="resort", destination=d, name_zh=f"度假区{n:03d}")
        for tag in ("a", "b"):
            d = s.get(Destination, getattr(w, tag).destination_id)
            for name in ("乙景区", "甲度假区"):
                make_issuer(s, destination=d, name_zh=f"{name}{tag}")
        for _ in range(12):
            make_issuer(s, kind="transit_line", line=make_line(s, stops=[]))
        s.commit()
    return {"places": ids}


def _choice(html: str) -> list[tuple[str | None, list[str]]]:
    """The issuer select's groups (label, or None outside a group) and option texts."""
    box = re.search(r'<select id="issuer_id" name="issuer_id"[^>]*>(.*?)</select>', html, re.S)
    assert box, "no issuer choice"
    out, body = [], box.group(1)
    for label, inner in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', body, re.S):
        out.append((label, re.findall(r"<option [^>]*>([^<]*)</option>", inner)))
    if not out:
        out.append((None, re.findall(r"<option [^>]*>([^<]*)</option>", body)))
    return out


def test_a_province_scale_catalogue_has_hundreds_of_issuers_the_province_pages(db, client):
    w = world(db)
    _province(db, w)
    seen, cursor = 0, ""
    while True:
        page = client.get(
            f"/v1/admin/stub-issuers?limit=100&cursor={cursor}", headers=w.province.headers
        ).json()
        seen += len(page["items"])
        if (cursor := page["next"]) is None:
            break
    assert seen == 2 * PLACES + 4 + 12
    assert log_in(client, w.province.login).status_code == 303
    html = client.get("/console/stubs").text
    assert 'name="issuer_id"' not in html  # the province issues no stubs: no choice
    assert html.count("stubs.csv") == 30 and 'rel="next"' in html


def test_an_operator_chooses_among_its_own_issuers_by_name(db, client):
    w = world(db)
    _province(db, w)
    assert log_in(client, w.a.admin.login).status_code == 303
    assert _choice(client.get("/console/stubs").text) == [(None, ["乙景区a", "甲度假区a"])]


def test_an_operator_of_several_places_chooses_under_each_places_name(db, client):
    w = world(db)
    places = _province(db, w)["places"][:3]
    group = add_operator(db, "group-admin", "operator_admin", places)
    assert log_in(client, group.login).status_code == 303
    html = client.get("/console/stubs").text
    assert _choice(html) == [(f"地方{n:03d}", [f"度假区{n:03d}", f"景区{n:03d}"]) for n in range(3)]
    # another operator's issuer, typed into the form, is refused beside the choice
    theirs = client.get("/v1/admin/stub-issuers?limit=100", headers=w.a.admin.headers).json()
    r = post_form(
        client,
        "/console/stubs",
        {
            "issuer_id": str(theirs["items"][0]["id"]),
            "count": "2",
            "visit_date": (FIRST + timedelta(days=1)).isoformat(),
            "persons": "2",
        },
    )
    assert r.status_code == 404 and said_beside(r.text, "issuer_id"), r.status_code
