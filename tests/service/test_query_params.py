"""An unknown query parameter is a 422 naming it, on every operation, never ignored."""

import re

from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings


def _operations(app) -> list[tuple[str, str, set[str]]]:
    """(method, path with its parameters filled in, declared query names) of every operation."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            out.append((method, re.sub(r"\{[^}]+\}", "1", path), declared))
    return out


def test_every_operation_refuses_an_unknown_query_parameter_and_documents_it():
    app = create_app(Settings(database_url="sqlite:///:memory:"))
    operations = _operations(app)
    assert len(operations) > 20
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, path, declared in operations:
            r = client.request(method.upper(), f"{path}?nearest_hospital_miles=5")
            assert r.status_code == 422, (method, path, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            problem = r.json()
            assert problem["code"] == "unknown_parameter"
            assert problem["field"] == "nearest_hospital_miles"
            for name in declared:  # the answer says what the operation does take
                assert name in problem["detail"], (path, name)
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            assert "application/problem+json" in op["responses"]["422"]["content"], (method, path)


def test_a_misspelt_filter_is_refused_not_silently_dropped(client):
    r = client.get("/v1/products?theme=forest_healing&nihgts=14")
    assert r.status_code == 422
    assert r.json()["field"] == "nihgts"
    assert "nights" in r.json()["detail"]


def test_declared_parameters_and_their_aliases_pass(client):
    assert client.get("/v1/products?theme=forest_healing&nights=14&limit=5").status_code == 200
    # `from` is the alias of a parameter named otherwise in the code.
    r = client.get("/v1/availability?theme=forest_healing&from=2027-07-01&to=2027-07-03")
    assert r.status_code == 200, r.text


def test_an_operation_without_query_parameters_says_it_takes_none_in_each_language(client):
    """No English "none" inside the Chinese text, and no "accepts: none"."""
    url = "/v1/bookings/JL-XXXXXX?token=x"
    zh = client.get(url, headers={"Accept-Language": "zh-CN"}).json()
    en = client.get(url, headers={"Accept-Language": "en"}).json()
    assert (zh["code"], zh["field"], en["code"], en["field"]) == (
        "unknown_parameter",
        "token",
        "unknown_parameter",
        "token",
    )
    assert zh["detail"] == "未知的查询参数 'token'；此接口不接受查询参数。"
    assert (
        en["detail"] == "Unknown query parameter 'token'; this endpoint takes no query parameters."
    )
    with_some = client.get("/v1/products?nihgts=14", headers={"Accept-Language": "zh-CN"}).json()
    assert "此接口接受：" in with_some["detail"] and "nights" in with_some["detail"]


def test_a_parameter_without_a_name_is_named_by_the_query(client):
    """``?=x`` has no name to say: the field is the query, as a 422 always names one
    (schemathesis sent it; it was field ``""``, "Unknown query parameter ''")."""
    for lang, said in (("en", "A query parameter without a name"), ("zh-CN", "没有名称的查询参数")):
        r = client.get("/v1/products?=x", headers={"Accept-Language": lang})
        assert r.status_code == 422, r.text
        problem = r.json()
        assert (problem["code"], problem["field"]) == ("unknown_parameter", "query")
        assert problem["detail"].startswith(said) and "''" not in problem["detail"]
