"""What is for sale: destinations, products, packs, rates, inventory, transit, rules."""
