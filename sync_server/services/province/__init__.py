"""The station's side of its provincial hub (docs/province.md): the protocol client,
the stored link and the day figures it sends, and serve's background sender."""
