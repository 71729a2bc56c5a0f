"""The catalogue operations are documented: summary, tag, problems, enums, examples."""

import pytest

from service.app import create_app
from service.settings import Settings

TAGS = {"destinations", "products", "availability", "map", "transit", "discounts", "routes"}


@pytest.fixture(scope="module")
def spec(tmp_path_factory) -> dict:
    url = f"sqlite:///{tmp_path_factory.mktemp('openapi')}/unused.db"
    return create_app(Settings(env="test", database_url=url)).openapi()


def catalogue_operations(spec: dict) -> list[tuple[str, dict]]:
    return [
        (path, op)
        for path, ops in spec["paths"].items()
        for op in ops.values()
        if set(op.get("tags", [])) & TAGS
    ]


def test_every_catalogue_operation_has_a_summary_a_tag_and_problem_responses(spec):
    ops = catalogue_operations(spec)
    assert len(ops) == 14
    for path, op in ops:
        assert op.get("summary"), path
        assert op["tags"][0] in TAGS and op["operationId"][0].islower()
        problems = [s for s in op["responses"] if s.startswith("4")]
        assert problems, path
        for status in problems:
            assert "application/problem+json" in op["responses"][status]["content"], path


def test_theme_and_pilot_kind_parameters_list_their_values(spec):
    params = {p["name"]: p for p in spec["paths"]["/v1/destinations"]["get"]["parameters"]}
    theme = spec["components"]["schemas"]["Theme"]
    assert "$ref" in str(params["theme"]["schema"])
    assert set(theme["enum"]) >= {"forest_healing", "hot_spring", "folk_culture"}
    assert "eldercare" in spec["components"]["schemas"]["PilotKind"]["enum"]


def test_the_map_is_documented_as_geojson(spec):
    ok = spec["paths"]["/v1/map/destinations"]["get"]["responses"]["200"]
    assert list(ok["content"]) == ["application/geo+json"]


@pytest.mark.parametrize(
    "schema",
    [
        "DestinationPage",
        "DestinationDetail",
        "ProductPage",
        "ProductDetail",
        "AvailabilityCalendar",
        "AvailabilityCheck",
        "ThemeAvailabilityPage",
        "FeatureCollection",
        "TransitLinePage",
        "StubDealPage",
        "DiscountRulePage",
    ],
)
def test_response_schemas_carry_examples(spec, schema):
    assert spec["components"]["schemas"][schema]["examples"]
