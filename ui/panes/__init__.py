"""The panes of the main window; each takes the open case and calls its services."""
