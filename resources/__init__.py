"""Package data: fonts, icons, stylesheets and the demo case's material."""

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    path = files(__name__)
    for part in parts:
        path = path / part
    return path
