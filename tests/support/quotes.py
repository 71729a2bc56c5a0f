"""Reading a quote response."""


def quote_lines(quote: dict) -> list[dict]:
    """Every line of a quote body in quote order: the items' lines, then the legs'."""
    return [line for part in quote["items"] + quote["legs"] for line in part["lines"]]
