"""Use cases over an open Case; the CLI and the GUI both call these."""
