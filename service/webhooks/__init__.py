"""Partners' webhook endpoints and the deliveries of booking events to them."""
