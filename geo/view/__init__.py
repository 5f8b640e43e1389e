"""The view floor: the view state (URL and widgets), what a view draws, what changed, colours."""
