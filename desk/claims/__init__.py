"""Claims: typed values, the rules for when claims agree, conflicts, suggestions."""
