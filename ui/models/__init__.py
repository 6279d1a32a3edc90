"""Qt item models over the desk's services."""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

# What Qt passes as an index to model methods.
AnyIndex = QModelIndex | QPersistentModelIndex
