"""PDF briefs: what is known, what is disputed, and where each statement comes from.

``build_brief(case, target, options, progress, cancelled)`` writes one; the CLI's
``brief`` command and the GUI's export dialog both call it.
"""

from exporters.brief.document import build_brief
from exporters.brief.options import BriefOptions, BriefResult, GraphicImages

__all__ = ["BriefOptions", "BriefResult", "GraphicImages", "build_brief"]
